//! `UsageRepository` on PostgreSQL.

use diesel::prelude::*;
use diesel::sql_types::{Date as SqlDate, Text};
use domain::billing::Period;
use domain::error::Result;
use domain::typed_ids::ContractId;
use domain::usage::{DailyUsage, UsageRepository};

use crate::errors::storage;
use crate::rows::usage::DailyUsageRow;
use crate::tx::PgTx;

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
}
