//! The batch claim's read of late usage (decision 0377): for the batch's contracts, the late
//! records not billed yet of the months before the one billed, with each such month's other
//! records and offer periods, so the engine rates what they add to that month; and the
//! marking of those records once an invoice bills them.
//!
//! Read and marked under the usage lock the batch holds (decision 0375): no ingestion runs
//! meanwhile, so the records marked are exactly those read.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{Array, Date as SqlDate, Text};
use domain::billing::{LateMonth, Period};
use domain::error::Result;
use domain::usage::{DailyUsage, UsageKind};
use time::Date;

use super::billing_runs::named_period;
use crate::errors::storage;
use crate::rows::billing_candidate::{LatePeriodRow, LateUsageRow};
use crate::rows::corrupt;
use crate::tx::PgTx;

/// The (contract, first day of month) pairs with late records still to bill dated before
/// `{before}`, among the contracts `{contracts}`: a scan of the small partial index
/// `usage_records_late_unbilled`, empty in the usual batch.
fn late_months(contracts: &str, before: &str) -> String {
    format!(
        "SELECT DISTINCT contract_id, date_trunc('month', usage_date)::date AS month \
           FROM usage_records \
          WHERE {contracts} AND late AND billed_invoice_id IS NULL AND usage_date < {before}"
    )
}

/// Every record of those months, summed by contract, day, kind and whether it is a late one
/// still to bill.
fn late_usage_sql(contracts: &str, before: &str) -> String {
    format!(
        "SELECT u.contract_id, m.month, u.usage_date, u.kind, \
                (u.late AND u.billed_invoice_id IS NULL) AS pending, \
                sum(u.quantity)::bigint AS quantity \
           FROM ({}) m \
           JOIN usage_records u ON u.contract_id = m.contract_id \
            AND u.usage_date >= m.month \
            AND u.usage_date < (m.month + interval '1 month')::date \
          GROUP BY u.contract_id, m.month, u.usage_date, u.kind, pending \
          ORDER BY u.contract_id, m.month, u.usage_date, u.kind",
        late_months(contracts, before)
    )
}

/// The offer periods touching each of those months.
fn late_periods_sql(contracts: &str, before: &str) -> String {
    format!(
        "SELECT m.month, p.contract_id, p.offer_id, o.name AS offer_name, p.monthly_price, \
                p.tax_rate_bp, p.start_date, p.end_date, p.usage_terms, \
                p.allowance_voice_seconds, p.allowance_sms, p.allowance_data_bytes, \
                p.rate_voice_per_minute, p.rate_sms_each, p.rate_data_per_mb \
           FROM ({}) m \
           JOIN contract_offer_periods p ON p.contract_id = m.contract_id \
            AND p.start_date < (m.month + interval '1 month')::date \
            AND (p.end_date IS NULL OR p.end_date > m.month) \
           JOIN offers o ON o.id = p.offer_id \
          ORDER BY p.contract_id, m.month, p.start_date, p.id",
        late_months(contracts, before)
    )
}

/// Marks the late records still to bill dated before `$3` of each contract `$1[i]` as billed
/// by the invoice `$2[i]`, in one statement for the batch.
const MARK: &str = "\
    UPDATE usage_records u SET billed_invoice_id = b.invoice_id \
      FROM unnest($1::text[], $2::text[]) AS b(contract_id, invoice_id) \
     WHERE u.contract_id = b.contract_id AND u.late AND u.billed_invoice_id IS NULL \
       AND u.usage_date < $3";

/// The batch's id range, (after, last].
const RANGE: &str = "contract_id > $1 AND contract_id <= $2";

impl PgTx<'_> {
    /// Late months of the contracts with an id in (after, last], before `period`, by contract.
    pub(super) fn late_usage_of(
        &mut self,
        (after, last): (&str, &str),
        period: Period,
    ) -> Result<HashMap<String, Vec<LateMonth>>> {
        let usage: Vec<LateUsageRow> = diesel::sql_query(late_usage_sql(RANGE, "$3"))
            .bind::<Text, _>(after)
            .bind::<Text, _>(last)
            .bind::<SqlDate, _>(period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        if usage.is_empty() {
            return Ok(HashMap::new());
        }
        let periods: Vec<LatePeriodRow> = diesel::sql_query(late_periods_sql(RANGE, "$3"))
            .bind::<Text, _>(after)
            .bind::<Text, _>(last)
            .bind::<SqlDate, _>(period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        late_months_of(usage, periods)
    }

    /// The same for the contracts `ids` (an account's other contracts).
    pub(super) fn account_late_usage(
        &mut self,
        ids: &[&str],
        period: Period,
    ) -> Result<HashMap<String, Vec<LateMonth>>> {
        let contracts = "contract_id = ANY($1)";
        let usage: Vec<LateUsageRow> = diesel::sql_query(late_usage_sql(contracts, "$2"))
            .bind::<Array<Text>, _>(ids)
            .bind::<SqlDate, _>(period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        if usage.is_empty() {
            return Ok(HashMap::new());
        }
        let periods: Vec<LatePeriodRow> = diesel::sql_query(late_periods_sql(contracts, "$2"))
            .bind::<Array<Text>, _>(ids)
            .bind::<SqlDate, _>(period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        late_months_of(usage, periods)
    }

    /// Marks billed the late records still to bill dated before `period` of each (contract,
    /// invoice) pair's contract; answers how many records it marked.
    pub(super) fn mark_late_usage(
        &mut self,
        billed: &[(&str, &str)],
        period: Period,
    ) -> Result<usize> {
        let (contracts, invoices): (Vec<&str>, Vec<&str>) = billed.iter().copied().unzip();
        diesel::sql_query(MARK)
            .bind::<Array<Text>, _>(&contracts)
            .bind::<Array<Text>, _>(&invoices)
            .bind::<SqlDate, _>(period.first_day())
            .execute(self.conn)
            .map_err(storage)
    }
}

/// The rows grouped into late months by contract, months in date order.
fn late_months_of(
    usage: Vec<LateUsageRow>,
    periods: Vec<LatePeriodRow>,
) -> Result<HashMap<String, Vec<LateMonth>>> {
    let mut months: BTreeMap<(String, Date), LateMonth> = BTreeMap::new();
    for row in usage {
        let kind = UsageKind::parse(&row.kind)
            .map_err(|m| corrupt("usage record of contract", &row.contract_id, m))?;
        let month = late_month(&mut months, &row.contract_id, row.month);
        let daily = DailyUsage {
            date: row.usage_date,
            kind,
            quantity: row.quantity,
        };
        if row.pending {
            month.late.push(daily);
        } else {
            month.billed.push(daily);
        }
    }
    for row in periods {
        let key = (row.period.contract_id.clone(), row.month);
        if let Some(month) = months.get_mut(&key) {
            month.offer_periods.push(named_period(row.period));
        }
    }
    let mut grouped: HashMap<String, Vec<LateMonth>> = HashMap::new();
    for ((contract, _), month) in months {
        grouped.entry(contract).or_default().push(month);
    }
    Ok(grouped)
}

/// The entry of (contract, month), created empty on first sight.
fn late_month<'a>(
    months: &'a mut BTreeMap<(String, Date), LateMonth>,
    contract: &str,
    first_day: Date,
) -> &'a mut LateMonth {
    months
        .entry((contract.to_owned(), first_day))
        .or_insert_with(|| LateMonth {
            period: Period::containing(first_day),
            offer_periods: Vec::new(),
            billed: Vec::new(),
            late: Vec::new(),
        })
}
