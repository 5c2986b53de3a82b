//! Rows of the billing claim: a candidate contract and its offer periods touching the month.

use diesel::sql_types::{BigInt, Bool, Date as SqlDate, Int4, Nullable, Text};
use diesel::QueryableByName;
use time::Date;

#[derive(QueryableByName)]
pub(crate) struct CandidateRow {
    #[diesel(sql_type = Text)]
    pub(crate) id: String,
    #[diesel(sql_type = Text)]
    pub(crate) client_id: String,
    #[diesel(sql_type = Text)]
    pub(crate) service_type: String,
    #[diesel(sql_type = Text)]
    pub(crate) status: String,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub(crate) termination_date: Option<Date>,
    #[diesel(sql_type = Text)]
    pub(crate) service_identifier: String,
    #[diesel(sql_type = Bool)]
    pub(crate) per_account: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) invoiced_by: Option<String>,
}

#[derive(QueryableByName)]
pub(crate) struct PeriodRow {
    #[diesel(sql_type = Text)]
    pub(crate) contract_id: String,
    #[diesel(sql_type = Text)]
    pub(crate) offer_id: String,
    #[diesel(sql_type = Text)]
    pub(crate) offer_name: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) monthly_price: i64,
    #[diesel(sql_type = Int4)]
    pub(crate) tax_rate_bp: i32,
    #[diesel(sql_type = SqlDate)]
    pub(crate) start_date: Date,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub(crate) end_date: Option<Date>,
    #[diesel(sql_type = Bool)]
    pub(crate) usage_terms: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) allowance_voice_seconds: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) allowance_sms: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) allowance_data_bytes: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) rate_voice_per_minute: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) rate_sms_each: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) rate_data_per_mb: Option<i64>,
}

/// A contract's usage of one kind on one day of the billed month (the records summed).
#[derive(QueryableByName)]
pub(crate) struct DailyUsageRow {
    #[diesel(sql_type = Text)]
    pub(crate) contract_id: String,
    #[diesel(sql_type = SqlDate)]
    pub(crate) usage_date: Date,
    #[diesel(sql_type = Text)]
    pub(crate) kind: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) quantity: i64,
}

/// A contract's usage of one kind on one day of an earlier month that has late records still
/// to bill: `pending` sums those late records, the other row of the day the rest.
#[derive(QueryableByName)]
pub(crate) struct LateUsageRow {
    #[diesel(sql_type = Text)]
    pub(crate) contract_id: String,
    /// First day of the record's month.
    #[diesel(sql_type = SqlDate)]
    pub(crate) month: Date,
    #[diesel(sql_type = SqlDate)]
    pub(crate) usage_date: Date,
    #[diesel(sql_type = Text)]
    pub(crate) kind: String,
    #[diesel(sql_type = Bool)]
    pub(crate) pending: bool,
    #[diesel(sql_type = BigInt)]
    pub(crate) quantity: i64,
}

/// An offer period touching an earlier month that has late records still to bill.
#[derive(QueryableByName)]
pub(crate) struct LatePeriodRow {
    /// First day of that month.
    #[diesel(sql_type = SqlDate)]
    pub(crate) month: Date,
    #[diesel(embed)]
    pub(crate) period: PeriodRow,
}
