//! The per-client reads of a dunning batch probe an index on the client even with the generic
//! plan a kept-prepared statement ends up with (decision 0380). Bound as a parameter, the live
//! statuses hid the partial index `collection_cases_one_live` from that plan, which then
//! compared every live case with the batch's client ids: quadratic in a first run's cases.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{PgConnection, RunQueryDsl};
use domain::collections::CollectionRepository;
use domain::typed_ids::ClientId;

use super::test_support::seeded;
use crate::rows::scalar::{PlanLine, TextValue};
use crate::tx::PgTx;

/// The generic plan of the statement this session prepared whose text contains every one of
/// `fragments`, executed with `args`. Sequential scans are priced out so that the tiny test
/// tables do not hide which indexes the plan can use.
fn generic_plan(conn: &mut PgConnection, fragments: &[&str], args: &str) -> String {
    let pattern = format!("%{}%", fragments.join("%"));
    let statement: TextValue = diesel::sql_query(
        "SELECT name AS value FROM pg_prepared_statements WHERE statement LIKE $1",
    )
    .bind::<Text, _>(&pattern)
    .get_result(conn)
    .expect("the statement is kept prepared");
    conn.batch_execute("SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off")
        .unwrap();
    let plan: Vec<PlanLine> =
        diesel::sql_query(format!("EXPLAIN EXECUTE {}({args})", statement.value))
            .load(conn)
            .unwrap();
    conn.batch_execute("RESET plan_cache_mode; RESET enable_seqscan")
        .unwrap();
    plan.into_iter()
        .map(|line| line.plan)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_batch_reads_of_cases_probe_their_partial_indexes_with_a_generic_plan() {
    let (_db, mut conn) = seeded();
    let batch = [
        ClientId::from_stored("cli_1"),
        ClientId::from_stored("cli_2"),
    ];
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(tx.live_cases_for_update(&batch).unwrap().len(), 1);
    assert!(tx.last_case_ends(&batch).unwrap().is_empty());

    let live = generic_plan(
        &mut conn,
        &[
            "FROM collection_cases WHERE client_id = ANY($1)",
            "FOR UPDATE",
        ],
        "'{cli_1,cli_2}'",
    );
    assert!(
        live.contains("collection_cases_one_live") && live.contains("Index Cond"),
        "{live}"
    );
    let ended = generic_plan(
        &mut conn,
        &["max(resolved_at)", "ANY($1)"],
        "'{cli_1,cli_2}'",
    );
    assert!(
        ended.contains("collection_cases_ended_by_client") && ended.contains("Index Cond"),
        "{ended}"
    );
}

#[test]
fn the_per_client_read_of_the_live_case_probes_its_partial_index_with_a_generic_plan() {
    let (_db, mut conn) = seeded();
    let found = PgTx::new(&mut conn)
        .live_case_for_update(&ClientId::from_stored("cli_1"))
        .unwrap();
    assert!(found.is_some());
    let plan = generic_plan(
        &mut conn,
        &["FROM collection_cases WHERE client_id = $1", "FOR UPDATE"],
        "'cli_1'",
    );
    assert!(
        plan.contains("collection_cases_one_live") && plan.contains("Index Cond"),
        "{plan}"
    );
}
