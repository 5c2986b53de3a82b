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
use crate::rows::scalar::PlanLine;

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

/// The plan PostgreSQL chooses for a billing batch's candidate query (`FOR UPDATE … SKIP
/// LOCKED` form) for the month `period` (`YYYY-MM`, starting on `first_day`), after contract
/// id `after`.
pub fn billing_candidates(
    conn: &mut PgConnection,
    period: &str,
    first_day: time::Date,
    after: &str,
    limit: i64,
) -> Result<Vec<String>> {
    use diesel::sql_types::{BigInt, Date};
    diesel::sql_query(format!(
        "EXPLAIN {} FOR UPDATE OF c SKIP LOCKED",
        super::billing_runs::CANDIDATES
    ))
    .bind::<Text, _>(period)
    .bind::<Text, _>(after)
    .bind::<Date, _>(first_day)
    .bind::<BigInt, _>(limit)
    .load::<PlanLine>(conn)
    .map(|lines| lines.into_iter().map(|l| l.plan).collect())
    .map_err(storage)
}

/// The executed plan, with buffers, of the dunning candidates query on `as_of` with the
/// ladder's step days (decision 0331: what a second run of the day costs).
pub fn dunning_candidates(
    conn: &mut PgConnection,
    as_of: time::Date,
    ladder: &domain::settings::DunningLadder,
) -> Result<Vec<String>> {
    use diesel::sql_types::{Bool, Date, Integer};
    let days = |d: i64| i32::try_from(d).unwrap_or(i32::MAX);
    diesel::sql_query(format!(
        "EXPLAIN (ANALYZE, BUFFERS) {}",
        super::collections_sql::DUNNING_CANDIDATES
    ))
    .bind::<Date, _>(as_of)
    .bind::<Integer, _>(days(ladder.reminder_days))
    .bind::<Integer, _>(days(ladder.second_reminder_days))
    .bind::<Integer, _>(days(ladder.suspension_days))
    .bind::<Integer, _>(days(ladder.pre_litigation_days))
    .bind::<Bool, _>(true)
    .load::<PlanLine>(conn)
    .map(|lines| lines.into_iter().map(|l| l.plan).collect())
    .map_err(storage)
}
