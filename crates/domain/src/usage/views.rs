//! Seeing usage (issue #21): a contract's used, included and remaining amounts of a month and
//! its overage so far, for the back office and for the client on the landing. The figures are
//! the billing's own: the month's segments, its daily usage and `rate_month` (decision 0370).

use std::sync::Arc;

use super::{month_segments, rate_month, UsageSummary};
use crate::billing::{service_end, Period};
use crate::clock::Clock;
use crate::contracts::Contract;
use crate::error::{Error, Resource, Result};
use crate::landing::{client_by_cin, contracts_of, missing, LandingService};
use crate::ports::Ports;
use crate::tx::{transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::ContractId;

/// One contract's usage of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractUsage {
    /// The contract.
    pub contract_id: ContractId,
    /// The month.
    pub period: Period,
    /// Used, included, overage by kind, summed over the month's offer periods.
    pub summary: UsageSummary,
}

/// A contract's usage as its client sees it on the landing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientContractUsage {
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// The line with its middle hidden (`+2126••••••78`), as the subscriptions list shows it.
    pub service_identifier_masked: String,
    /// The month's usage.
    pub usage: ContractUsage,
}

/// A verified client's usage of the current month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientUsage {
    /// The current month.
    pub period: Period,
    /// Each contract with a day of service in it, oldest first.
    pub items: Vec<ClientContractUsage>,
}

/// The usage views' use cases.
#[derive(Clone)]
pub struct UsageViewService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    /// The landing's lookup-token check, reused as is.
    landing: LandingService,
}

impl UsageViewService {
    /// Wires the service to its ports and to the landing whose token check it reuses.
    pub fn new(ports: &Ports, landing: LandingService) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            landing,
        }
    }

    /// The usage of `contract_id` in `period` (`YYYY-MM`; the current month when `None`).
    /// `NotFound(Contract)` for an unknown contract; a validation error on `period` when it is
    /// not a month, is after the current one, or holds no day of the contract's service
    /// (decision 0371).
    pub fn contract_usage(
        &self,
        contract_id: &ContractId,
        period: Option<&str>,
    ) -> Result<ContractUsage> {
        let current = self.current_period();
        let period = match period {
            None => current,
            Some(raw) => Period::parse(raw).map_err(|message| Error::invalid("period", message))?,
        };
        if period > current {
            return Err(Error::invalid(
                "period",
                format!("{period} has not started yet; the current month is {current}"),
            ));
        }
        transaction(self.tx.as_ref(), |uow| {
            let contract = uow
                .contracts()
                .find(contract_id)?
                .ok_or(Error::NotFound(Resource::Contract))?;
            usage_of(uow, &contract, period)?.ok_or_else(|| {
                Error::invalid(
                    "period",
                    format!("the contract has no day of service in {period}"),
                )
            })
        })
    }

    /// The current month's usage of each contract of a verified CIN with a day of service in
    /// it (active and suspended ones, and those terminated during the month), oldest first.
    /// The lookup token is checked as the subscriptions list checks it (`Forbidden`).
    pub fn client_usage(&self, raw_cin: &str, lookup_token: Option<&str>) -> Result<ClientUsage> {
        let cin = self.landing.check_lookup(raw_cin, lookup_token)?;
        let period = self.current_period();
        transaction(self.tx.as_ref(), |uow| {
            let client = client_by_cin(uow, &cin)?;
            let mut items = Vec::new();
            for contract in contracts_of(uow, &client.id)? {
                let Some(usage) = usage_of(uow, &contract, period)? else {
                    continue;
                };
                let line = uow
                    .subscribers()
                    .find(&contract.subscriber_id)?
                    .ok_or_else(|| missing("subscriber", contract.subscriber_id.as_str()))?;
                items.push(ClientContractUsage {
                    contract_number: contract.contract_number,
                    service_identifier_masked: line.service_identifier.masked(),
                    usage,
                });
            }
            Ok(ClientUsage { period, items })
        })
    }

    /// The month of the clock's today: usage so far is that month's.
    fn current_period(&self) -> Period {
        Period::containing(self.clock.today())
    }
}

/// The contract's usage of `period`, rated as the billing rates it; `None` when no day of its
/// service falls in the month (pending or cancelled, or a month outside its life).
fn usage_of(
    uow: &mut dyn UnitOfWork,
    contract: &Contract,
    period: Period,
) -> Result<Option<ContractUsage>> {
    let Some(end) = service_end(contract.status, contract.termination_date) else {
        return Ok(None);
    };
    let offer_periods = uow.contracts().offer_periods(&contract.id)?;
    let segments = month_segments(&offer_periods, period, end);
    if segments.is_empty() {
        return Ok(None);
    }
    let daily = uow.usage().daily_usage(&contract.id, period)?;
    let ratings = rate_month(&segments, i64::from(period.days()), &daily);
    Ok(Some(ContractUsage {
        contract_id: contract.id.clone(),
        period,
        summary: UsageSummary::of(&ratings),
    }))
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
