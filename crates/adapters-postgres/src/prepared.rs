//! Hand-written SQL that diesel keeps prepared (decision 0342).
//!
//! `diesel::sql_query` marks every statement unsafe to cache, because its text may have been
//! formatted at run time: PostgreSQL then parses and plans it on every call. A statement of
//! the hot paths (a payment's key claim, its settling write, the credit figure) is a
//! `&'static str` with `$n` binds, so the same text always means the same statement: wrapped
//! in [`keep_prepared`], it goes into the connection's prepared-statement cache under its text
//! and bind types, and PostgreSQL may switch to one generic plan after five executions.
//!
//! Only a [`constant_sql`] may be wrapped, which is what makes caching safe: a statement whose
//! text depends on the data (a dynamic `IN` list, formatted values) would fill the cache
//! without bound and must stay a plain `sql_query`.
//!
//! The wrapper works for statements that return rows (`load`, `get_result`): diesel's
//! `execute` borrows the query and asks the borrowed form, which walks the inner `SqlQuery`
//! and answers "unsafe", so a statement run with `execute` is not kept prepared by this.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId, SqlQuery};
use diesel::{QueryResult, RunQueryDsl};

/// A statement whose text is a constant of the program; bind its `$n` parameters with
/// `.bind`, then wrap it in [`keep_prepared`].
pub fn constant_sql(sql: &'static str) -> SqlQuery {
    diesel::sql_query(sql)
}

/// `query` (a [`constant_sql`] with its binds) kept in the prepared-statement cache, when it
/// is run with `load` or `get_result`.
pub fn keep_prepared<Q>(query: Q) -> Prepared<Q> {
    Prepared(query)
}

/// See [`keep_prepared`].
#[derive(Debug, Clone, Copy)]
#[must_use = "Queries are only executed when calling `load`, `get_result` or similar."]
pub struct Prepared<Q>(Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Prepared<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    // `SqlQuery` answers false because its text could have been built at run time; the text
    // of a `constant_sql` cannot.
    fn is_safe_to_cache_prepared(&self, _backend: &Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

// No static id: the cache key is the text and the bind types, one entry per constant.
impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> RunQueryDsl<Conn> for Prepared<Q> {}
