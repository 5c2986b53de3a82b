//! Rows of `usage_records` reads.

use diesel::sql_types::{BigInt, Bool, Date as SqlDate, Integer, Nullable, Text};
use diesel::QueryableByName;
use domain::error::Result;
use domain::usage::{DailyUsage, UsageKind, UsageRecord};
use time::{Date, OffsetDateTime};

use super::contract::OfferPeriodRow;
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

/// A row of the ingestion's statement: the usage of one contract, day and kind, stored by
/// the batch (`accepted` records, of which `late`) or before it (both 0); or one record no
/// contract took (`line`, `record_id`, `known_line`: whether any subscriber has its line).
#[derive(QueryableByName)]
pub struct IngestedRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub contract_id: Option<String>,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub usage_date: Option<Date>,
    #[diesel(sql_type = Nullable<Text>)]
    pub kind: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub quantity: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub accepted: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub late: Option<i64>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub line: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub record_id: Option<String>,
    #[diesel(sql_type = Nullable<Bool>)]
    pub known_line: Option<bool>,
}

/// A contract as rating needs it, without its offer periods.
#[derive(QueryableByName)]
pub struct UsageContractRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub client_id: String,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub termination_date: Option<Date>,
    /// One of its offer periods: the contract's columns repeat on each.
    #[diesel(embed)]
    pub period: OfferPeriodRow,
}

/// A threshold row just recorded.
#[derive(QueryableByName)]
pub struct RecordedThresholdRow {
    #[diesel(sql_type = Text)]
    pub contract_id: String,
    #[diesel(sql_type = Text)]
    pub period: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Integer)]
    pub percent: i32,
}

diesel::table! {
    /// The staging table of one ingestion (a temporary table the call creates and drops).
    usage_staging (line) {
        line -> Int4,
        record_id -> Text,
        service_identifier -> Text,
        kind -> Text,
        started_at -> Timestamptz,
        quantity -> Int8,
        destination -> Nullable<Text>,
        shared -> Bool,
    }
}

/// One record as copied into `usage_staging`.
#[derive(diesel::Insertable)]
#[diesel(table_name = usage_staging, treat_none_as_default_value = false)]
pub struct StagedRecord<'a> {
    pub line: i32,
    pub record_id: &'a str,
    pub service_identifier: &'a str,
    pub kind: &'a str,
    pub started_at: OffsetDateTime,
    pub quantity: i64,
    pub destination: Option<&'a str>,
    pub shared: bool,
}

impl<'a> StagedRecord<'a> {
    /// The row of `record`; `shared` when another record of the batch has its `record_id`.
    pub fn of(record: &'a UsageRecord, shared: bool) -> Self {
        Self {
            line: i32::try_from(record.line).unwrap_or(i32::MAX),
            record_id: &record.record_id,
            service_identifier: &record.service_identifier,
            kind: record.kind.as_str(),
            started_at: record.started_at,
            quantity: record.quantity,
            destination: record.destination.as_deref(),
            shared,
        }
    }
}
