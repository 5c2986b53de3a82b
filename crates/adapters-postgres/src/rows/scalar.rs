//! One-value rows of `sql_query` answers (lock results, counters, plans).

use diesel::sql_types::{Bool, Int4, Int8, Text};
use diesel::QueryableByName;

/// Whether an advisory lock was taken.
#[derive(QueryableByName)]
pub(crate) struct Locked {
    #[diesel(sql_type = Bool)]
    pub(crate) locked: bool,
}

/// The value a sequence reached.
#[derive(QueryableByName)]
pub(crate) struct LastValue {
    #[diesel(sql_type = Int8)]
    pub(crate) last_value: i64,
}

/// A rate-limit window's count.
#[derive(QueryableByName)]
pub(crate) struct Hits {
    #[diesel(sql_type = Int4)]
    pub(crate) hits: i32,
}

/// One line of an `EXPLAIN` answer read through `sql_query`.
#[derive(QueryableByName)]
pub(crate) struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    pub(crate) plan: String,
}

/// Whether a catalog row exists.
#[derive(QueryableByName)]
pub(crate) struct Exists {
    #[diesel(sql_type = Bool)]
    pub(crate) found: bool,
}

/// A row count (tests).
#[cfg(test)]
#[derive(QueryableByName)]
pub(crate) struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub(crate) n: i64,
}

/// One text value (tests).
#[cfg(test)]
#[derive(QueryableByName)]
pub(crate) struct TextValue {
    #[diesel(sql_type = Text)]
    pub(crate) value: String,
}

/// Two texts and an amount: the allocations a ledger test reads back.
#[cfg(test)]
#[derive(QueryableByName)]
pub(crate) struct Triple {
    #[diesel(sql_type = Text)]
    pub(crate) a: String,
    #[diesel(sql_type = Text)]
    pub(crate) b: String,
    #[diesel(sql_type = Int8)]
    pub(crate) amount: i64,
}

/// The id of a row a statement wrote (`RETURNING id`) or found.
#[derive(QueryableByName)]
pub(crate) struct IdValue {
    #[diesel(sql_type = Text)]
    pub(crate) id: String,
}
