//! Query plans of the repositories' own queries, so tests (and operators) can check that a
//! search uses its index: `EXPLAIN` wrapped around the exact diesel query, binds included.

use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::Text;
use diesel::{QueryResult, RunQueryDsl};
use domain::clients::ClientFilter;
use domain::error::Result;
use domain::page::PageRequest;

use crate::errors::storage;

/// `EXPLAIN <query>`: one text row per plan line.
struct Explain<Q>(Q);

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for Explain<Q> {
    type SqlType = Text;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> RunQueryDsl<PgConnection> for Explain<Q> {}

/// The plan PostgreSQL chooses for `GET /customers` with this filter and page.
pub fn client_list(
    conn: &mut PgConnection,
    filter: &ClientFilter,
    page: &PageRequest,
) -> Result<Vec<String>> {
    Explain(super::clients::list_query(filter, page))
        .load::<String>(conn)
        .map_err(storage)
}
