//! `UsageRepository` on PostgreSQL: the reads of rating and views, and ingestion's bulk path
//! (binary `COPY` into a staging table, then one set-based insert; decision 0367).

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Integer, Text, Timestamptz};
use domain::billing::Period;
use domain::error::Result;
use domain::typed_ids::{ClientId, ContractId};
use domain::usage::{
    DailyUsage, MonthUsage, Rejection, RejectionCode, StoredBatch, ThresholdReached, UsageContract,
    UsageKind, UsageRecord, UsageRepository,
};
use time::{Date, OffsetDateTime};

use super::usage_ingest_sql::{
    CREATE_STAGING, DROP_STAGING, INGEST, INGEST_WORK_MEM, LOCK_EXCLUSIVE, RECORD_THRESHOLDS,
    USAGE_CONTRACTS,
};
use crate::errors::storage;
use crate::rows::corrupt;
use crate::rows::usage::{
    usage_staging, DailyUsageRow, IngestedRow, RecordedThresholdRow, StagedRecord, UsageContractRow,
};
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
        let mut contracts: Vec<UsageContract> = Vec::new();
        for row in rows {
            let period = row.period.into_domain();
            match contracts.last_mut() {
                Some(last) if last.contract_id.as_str() == row.id => {
                    last.offer_periods.push(period);
                }
                _ => contracts.push(UsageContract {
                    contract_id: ContractId::from_stored(row.id),
                    client_id: ClientId::from_stored(row.client_id),
                    offer_periods: vec![period],
                    // A terminated contract's service ends on its termination date; an open
                    // one on its scheduled termination, if any (as the billing engine reads
                    // it).
                    service_end: row.termination_date,
                }),
            }
        }
        Ok(contracts)
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

/// The batch from the ingestion statement's rows: the months it added to (the statement
/// reads stored usage only for those), in contract then month order, each with its usage by
/// day and kind (the batch's and what was stored before it, summed),
/// rejections in line order; duplicates are the attributed records not stored.
fn stored_batch(records: usize, rows: Vec<IngestedRow>) -> Result<StoredBatch> {
    let mut batch = StoredBatch::default();
    let mut months: BTreeMap<(String, Period), BTreeMap<(Date, String), i64>> = BTreeMap::new();
    for row in rows {
        match (
            row.contract_id,
            row.usage_date,
            row.kind,
            row.line,
            row.record_id,
        ) {
            (Some(contract_id), Some(usage_date), Some(kind), _, _) => {
                batch.accepted += u64::try_from(row.accepted.unwrap_or(0)).unwrap_or(0);
                batch.late += u64::try_from(row.late.unwrap_or(0)).unwrap_or(0);
                *months
                    .entry((contract_id, Period::containing(usage_date)))
                    .or_default()
                    .entry((usage_date, kind))
                    .or_default() += row.quantity.unwrap_or(0);
            }
            (_, _, _, Some(line), Some(record_id)) => {
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
    for ((contract_id, period), days) in months {
        let days = days
            .into_iter()
            .map(|((usage_date, kind), quantity)| {
                DailyUsageRow {
                    usage_date,
                    kind,
                    quantity,
                }
                .into_domain()
            })
            .collect::<Result<Vec<_>>>()?;
        batch.months.push(MonthUsage {
            contract_id: ContractId::from_stored(contract_id),
            period,
            days,
        });
    }
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
