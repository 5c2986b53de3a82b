//! The use case of `POST /usage/records` (issue #21): a batch of records from the network is
//! stored in one transaction; then each contract month that gained usage is rated, and the
//! allowance thresholds (80 and 100 %) it reached for the first time fire
//! `usage.allowance_threshold_reached` in that same transaction (decision 0368).

use std::collections::HashMap;
use std::sync::Arc;

use time::OffsetDateTime;

use super::ports::{MonthUsage, ThresholdReached, UsageContract};
use super::records::{check_quantity, Rejection, RejectionCode, UsageRecord, MAX_RECORDS};
use super::{month_segments, rate_month, UsageSummary};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::events::{record_all, EventPayload};
use crate::ids::IdGenerator;
use crate::ports::Ports;
use crate::tx::{transaction, UnitOfWork};
use crate::typed_ids::ContractId;

/// What a batch did, as the API answers it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Records stored now (late ones included).
    pub accepted: u64,
    /// Records already stored, by this batch or an earlier one: ignored.
    pub duplicates: u64,
    /// Stored records whose month was already billed: billed on the next invoice.
    pub late: u64,
    /// Records not stored, in line order.
    pub rejected: Vec<Rejection>,
}

/// Usage ingestion.
#[derive(Clone)]
pub struct UsageService {
    tx: Arc<dyn crate::tx::TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl UsageService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
        }
    }

    /// Ingests a batch: `lines` holds each line of the request read into a record, or the
    /// reason it could not be. `Validation` only for an empty batch or one over
    /// [`MAX_RECORDS`]; a bad record is rejected, never an error.
    pub fn ingest(
        &self,
        lines: Vec<std::result::Result<UsageRecord, Rejection>>,
        actor_id: &str,
    ) -> Result<IngestReport> {
        if lines.is_empty() {
            return Err(Error::invalid("body", "must hold at least one record"));
        }
        if lines.len() > MAX_RECORDS {
            return Err(Error::invalid(
                "body",
                format!("at most {MAX_RECORDS} records per request"),
            ));
        }
        let mut rejected = Vec::new();
        let mut records = Vec::with_capacity(lines.len());
        for line in lines {
            match line.and_then(checked) {
                Ok(record) => records.push(record),
                Err(rejection) => rejected.push(rejection),
            }
        }
        let now = self.clock.now();
        let mut report = transaction(self.tx.as_ref(), |uow| {
            let stored = uow.usage().ingest(&records, now)?;
            self.fire_thresholds(uow, &stored.months, now, actor_id)?;
            Ok(IngestReport {
                accepted: stored.accepted,
                duplicates: stored.duplicates,
                late: stored.late,
                rejected: stored.rejected,
            })
        })?;
        report.rejected.extend(rejected);
        report.rejected.sort_by_key(|rejection| rejection.line);
        Ok(report)
    }

    /// Rates each month that gained usage and fires the thresholds it reached first now.
    fn fire_thresholds(
        &self,
        uow: &mut dyn UnitOfWork,
        months: &[MonthUsage],
        now: OffsetDateTime,
        actor_id: &str,
    ) -> Result<()> {
        if months.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<ContractId> = months.iter().map(|m| m.contract_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let contracts: HashMap<ContractId, UsageContract> = uow
            .usage()
            .usage_contracts(&ids)?
            .into_iter()
            .map(|contract| (contract.contract_id.clone(), contract))
            .collect();
        let reached: Vec<ThresholdReached> = months
            .iter()
            .filter_map(|month| Some(thresholds(contracts.get(&month.contract_id)?, month)))
            .flatten()
            .collect();
        if reached.is_empty() {
            return Ok(());
        }
        let first = uow.usage().record_thresholds(&reached, now)?;
        record_all(
            uow,
            self.ids.as_ref(),
            now,
            Some(actor_id),
            first.into_iter().map(EventPayload::UsageThresholdReached),
        )
    }
}

/// The record once its quantity is checked (the reader checks it too; this keeps the rule
/// in one place for any caller).
fn checked(record: UsageRecord) -> std::result::Result<UsageRecord, Rejection> {
    match check_quantity(record.kind, record.quantity) {
        Ok(_) => Ok(record),
        Err(message) => Err(Rejection {
            line: record.line,
            record_id: Some(record.record_id),
            code: RejectionCode::InvalidQuantity,
            message,
        }),
    }
}

/// Every threshold a contract's month has reached, by the rating rule (decision 0360).
pub fn thresholds(contract: &UsageContract, month: &MonthUsage) -> Vec<ThresholdReached> {
    let segments = month_segments(&contract.offer_periods, month.period, contract.service_end);
    let ratings = rate_month(&segments, i64::from(month.period.days()), &month.days);
    let summary = UsageSummary::of(&ratings);
    if !summary.rated {
        return Vec::new();
    }
    summary
        .kinds
        .iter()
        .flat_map(|total| {
            total
                .thresholds_reached()
                .into_iter()
                .map(move |percent| ThresholdReached {
                    contract_id: contract.contract_id.clone(),
                    client_id: contract.client_id.clone(),
                    period: month.period,
                    kind: total.kind,
                    percent,
                    used: total.used,
                    included: total.included.unwrap_or_default(),
                })
        })
        .collect()
}
