//! What an invoice document names beyond the invoice: client, contract and line.

use diesel::sql_types::{Nullable, Text};
use diesel::QueryableByName;

#[derive(QueryableByName)]
pub(crate) struct PartiesRow {
    #[diesel(sql_type = Text)]
    pub(crate) first_name: String,
    #[diesel(sql_type = Text)]
    pub(crate) last_name: String,
    #[diesel(sql_type = Text)]
    pub(crate) cin: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) address: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) city: Option<String>,
    #[diesel(sql_type = Text)]
    pub(crate) contract_number: String,
    #[diesel(sql_type = Text)]
    pub(crate) service_identifier: String,
}
