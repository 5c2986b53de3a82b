//! What an invoice document names beyond the invoice: client (person or company), contract
//! and line.

use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;

#[derive(QueryableByName)]
pub(crate) struct PartiesRow {
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) first_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) last_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) cin: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) company_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) ice: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) address: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) city: Option<String>,
    #[diesel(sql_type = Text)]
    pub(crate) contract_number: String,
    #[diesel(sql_type = Text)]
    pub(crate) service_identifier: String,
}
