//! Rows of `usage_records` reads.

use diesel::sql_types::{BigInt, Date as SqlDate, Text};
use diesel::QueryableByName;
use domain::error::Result;
use domain::usage::{DailyUsage, UsageKind};
use time::Date;

use super::corrupt;

/// One day's usage of one kind.
#[derive(QueryableByName)]
pub struct DailyUsageRow {
    #[diesel(sql_type = SqlDate)]
    pub usage_date: Date,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub quantity: i64,
}

impl DailyUsageRow {
    /// The value; a kind the table's CHECK rules out is a storage fault.
    pub fn into_domain(self) -> Result<DailyUsage> {
        let kind = UsageKind::parse(&self.kind)
            .map_err(|m| corrupt("usage_records", &self.usage_date.to_string(), m))?;
        Ok(DailyUsage {
            date: self.usage_date,
            kind,
            quantity: self.quantity,
        })
    }
}
