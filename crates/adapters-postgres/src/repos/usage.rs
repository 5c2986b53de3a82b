//! `UsageRepository` on PostgreSQL: the reads of rating and views, and ingestion's bulk path
//! (binary `COPY` into a staging table, then one set-based insert; decision 0367).

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Integer, Text, Timestamptz};
use domain::billing::Period;
use domain::contracts::OfferPeriod;
use domain::error::Result;
use domain::typed_ids::{ClientId, ContractId};
use domain::usage::{
    DailyUsage, MonthUsage, Rejection, RejectionCode, StoredBatch, ThresholdReached, UsageContract,
    UsageKind, UsageRecord, UsageRepository,
};
use time::OffsetDateTime;

use super::usage_ingest_sql::{
    CREATE_STAGING, DROP_STAGING, INGEST, INGEST_WORK_MEM, LOCK_EXCLUSIVE, MONTH_USAGE,
    RECORD_THRESHOLDS, USAGE_CONTRACTS,
};
use crate::errors::storage;
use crate::rows::contract::OfferPeriodRow;
use crate::rows::corrupt;
use crate::rows::usage::{
    usage_staging, ContractDailyUsageRow, DailyUsageRow, IngestedRow, RecordedThresholdRow,
    StagedRecord, UsageContractRow,
};
use crate::schema::contract_offer_periods;
use crate::tx::PgTx;
use crate::usage_lock::USAGE_BILLING_LOCK;

const DAILY_USAGE_SQL: &str = "
SELECT usage_date, kind, sum(quantity)::int8 AS quantity
FROM usage_records
WHERE contract_id = $1 AND usage_date BETWEEN $2 AND $3
GROUP BY usage_date, kind
ORDER BY usage_date, kind";

impl UsageRepository for PgTx<'_> {
    fn daily_usage(&mut self, contract_id: &ContractId, period: Period) -> Result<Vec<DailyUsage>> {
        let rows: Vec<DailyUsageRow> = diesel::sql_query(DAILY_USAGE_SQL)
            .bind::<Text, _>(contract_id.as_str())
            .bind::<SqlDate, _>(period.first_day())
            .bind::<SqlDate, _>(period.last_day())
            .load(self.conn)
            .map_err(storage)?;
        rows.into_iter().map(DailyUsageRow::into_domain).collect()
    }

    fn ingest(
        &mut self,
        records: &[UsageRecord],
        received_at: OffsetDateTime,
    ) -> Result<StoredBatch> {
        // Taken exclusive before anything is read or locked: the billing batches holding it
        // shared finish first, so their invoices are seen when `late` is decided, and no
        // batch claims a contract while this insert checks its key (decision 0375).
        diesel::sql_query(LOCK_EXCLUSIVE)
            .bind::<BigInt, _>(USAGE_BILLING_LOCK)
            .execute(self.conn)
            .map_err(storage)?;
        if records.is_empty() {
            return Ok(StoredBatch::default());
        }
        for statement in [DROP_STAGING, CREATE_STAGING, INGEST_WORK_MEM] {
            diesel::sql_query(statement)
                .execute(self.conn)
                .map_err(storage)?;
        }
        let mut lines_of_id: HashMap<&str, u32> = HashMap::with_capacity(records.len());
        for record in records {
            *lines_of_id.entry(record.record_id.as_str()).or_default() += 1;
        }
        let staged: Vec<StagedRecord<'_>> = records
            .iter()
            .map(|record| {
                let shared = lines_of_id
                    .get(record.record_id.as_str())
                    .is_some_and(|lines| *lines > 1);
                StagedRecord::of(record, shared)
            })
            .collect();
        diesel::copy_from(usage_staging::table)
            .from_insertable(staged)
            .execute(self.conn)
            .map_err(storage)?;
        let rows: Vec<IngestedRow> = diesel::sql_query(INGEST)
            .bind::<Timestamptz, _>(received_at)
            .load(self.conn)
            .map_err(storage)?;
        diesel::sql_query(DROP_STAGING)
            .execute(self.conn)
            .map_err(storage)?;
        stored_batch(records.len(), rows)
    }

    fn usage_contracts(&mut self, contract_ids: &[ContractId]) -> Result<Vec<UsageContract>> {
        let ids: Vec<&str> = contract_ids.iter().map(ContractId::as_str).collect();
        let rows: Vec<UsageContractRow> = diesel::sql_query(USAGE_CONTRACTS)
            .bind::<Array<Text>, _>(&ids)
            .load(self.conn)
            .map_err(storage)?;
        let periods: Vec<(String, OfferPeriodRow)> = contract_offer_periods::table
            .filter(contract_offer_periods::contract_id.eq_any(&ids))
            .order((
                contract_offer_periods::contract_id,
                contract_offer_periods::start_date,
                contract_offer_periods::id,
            ))
            .select((
                contract_offer_periods::contract_id,
                OfferPeriodRow::as_select(),
            ))
            .load(self.conn)
            .map_err(storage)?;
        let mut by_contract: HashMap<String, Vec<OfferPeriod>> = HashMap::new();
        for (contract_id, row) in periods {
            by_contract
                .entry(contract_id)
                .or_default()
                .push(row.into_domain());
        }
        Ok(rows
            .into_iter()
            .map(|row| UsageContract {
                offer_periods: by_contract.remove(&row.id).unwrap_or_default(),
                contract_id: ContractId::from_stored(row.id),
                client_id: ClientId::from_stored(row.client_id),
                // A terminated contract's service ends on its termination date; an open one
                // on its scheduled termination, if any (as the billing engine reads it).
                service_end: row.termination_date,
            })
            .collect())
    }

    fn month_usage(&mut self, months: &[(ContractId, Period)]) -> Result<Vec<MonthUsage>> {
        let ids: Vec<&str> = months.iter().map(|(id, _)| id.as_str()).collect();
        let labels: Vec<String> = months.iter().map(|(_, p)| p.to_string()).collect();
        let rows: Vec<ContractDailyUsageRow> = diesel::sql_query(MONTH_USAGE)
            .bind::<Array<Text>, _>(&ids)
            .bind::<Array<Text>, _>(&labels)
            .load(self.conn)
            .map_err(storage)?;
        let mut usage: Vec<MonthUsage> = months
            .iter()
            .map(|(contract_id, period)| MonthUsage {
                contract_id: contract_id.clone(),
                period: *period,
                days: Vec::new(),
            })
            .collect();
        let index: HashMap<(String, Period), usize> = usage
            .iter()
            .enumerate()
            .map(|(i, m)| ((m.contract_id.as_str().to_owned(), m.period), i))
            .collect();
        for row in rows {
            let period = Period::containing(row.usage_date);
            let Some(&slot) = index.get(&(row.contract_id.clone(), period)) else {
                continue;
            };
            let day = DailyUsageRow {
                usage_date: row.usage_date,
                kind: row.kind,
                quantity: row.quantity,
            }
            .into_domain()?;
            usage[slot].days.push(day);
        }
        Ok(usage)
    }

    fn record_thresholds(
        &mut self,
        reached: &[ThresholdReached],
        at: OffsetDateTime,
    ) -> Result<Vec<ThresholdReached>> {
        if reached.is_empty() {
            return Ok(Vec::new());
        }
        let contracts: Vec<&str> = reached.iter().map(|r| r.contract_id.as_str()).collect();
        let periods: Vec<String> = reached.iter().map(|r| r.period.to_string()).collect();
        let kinds: Vec<&str> = reached.iter().map(|r| r.kind.as_str()).collect();
        let percents: Vec<i32> = reached.iter().map(|r| r.percent).collect();
        let rows: Vec<RecordedThresholdRow> = diesel::sql_query(RECORD_THRESHOLDS)
            .bind::<Array<Text>, _>(&contracts)
            .bind::<Array<Text>, _>(&periods)
            .bind::<Array<Text>, _>(&kinds)
            .bind::<Array<Integer>, _>(&percents)
            .bind::<Timestamptz, _>(at)
            .load(self.conn)
            .map_err(storage)?;
        Ok(reached
            .iter()
            .filter(|r| {
                rows.iter().any(|row| {
                    row.contract_id == r.contract_id.as_str()
                        && row.period == r.period.to_string()
                        && UsageKind::parse(&row.kind).ok() == Some(r.kind)
                        && row.percent == r.percent
                })
            })
            .cloned()
            .collect())
    }
}

/// The batch from the ingestion statement's rows: months in contract then month order,
/// rejections in line order; duplicates are the attributed records not stored.
fn stored_batch(records: usize, rows: Vec<IngestedRow>) -> Result<StoredBatch> {
    let mut batch = StoredBatch::default();
    let mut months = Vec::new();
    for row in rows {
        match (row.contract_id, row.period, row.line, row.record_id) {
            (Some(contract_id), Some(period), _, _) => {
                batch.accepted += u64::try_from(row.accepted.unwrap_or(0)).unwrap_or(0);
                batch.late += u64::try_from(row.late.unwrap_or(0)).unwrap_or(0);
                let period = Period::parse(&period)
                    .map_err(|m| corrupt("usage_records", &contract_id, m))?;
                months.push((contract_id, period));
            }
            (_, _, Some(line), Some(record_id)) => {
                batch
                    .rejected
                    .push(rejection(line, record_id, row.known_line == Some(true)));
            }
            _ => {
                return Err(corrupt(
                    "usage_staging",
                    "batch",
                    "an ingestion row of no known shape".into(),
                ))
            }
        }
    }
    months.sort();
    batch.months = months
        .into_iter()
        .map(|(contract_id, period)| (ContractId::from_stored(contract_id), period))
        .collect();
    batch.rejected.sort_by_key(|rejection| rejection.line);
    let attributed = records.saturating_sub(batch.rejected.len()) as u64;
    batch.duplicates = attributed.saturating_sub(batch.accepted);
    Ok(batch)
}

fn rejection(line: i32, record_id: String, known_line: bool) -> Rejection {
    let (code, message) = if known_line {
        (
            RejectionCode::NoContractAtTime,
            "service_identifier: no live contract on this line on the record's day",
        )
    } else {
        (
            RejectionCode::UnknownLine,
            "service_identifier: no subscriber has this line",
        )
    };
    Rejection {
        line: u32::try_from(line).unwrap_or(0),
        record_id: Some(record_id),
        code,
        message: message.into(),
    }
}
