//! Rows of the idempotency records.

use diesel::sql_types::{Bool, Bytea, Int2, Nullable, Text};
use diesel::QueryableByName;

/// A key's lock attempt and its stored record, if any (`IdempotencyRepository::claim`).
#[derive(QueryableByName)]
pub(crate) struct ClaimRow {
    #[diesel(sql_type = Bool)]
    pub(crate) locked: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) request_hash: Option<String>,
    #[diesel(sql_type = Nullable<Int2>)]
    pub(crate) response_status: Option<i16>,
    #[diesel(sql_type = Nullable<Bytea>)]
    pub(crate) response_body: Option<Vec<u8>>,
}
