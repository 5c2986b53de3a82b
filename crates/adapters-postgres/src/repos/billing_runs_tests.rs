//! `BillingRunRepository` against PostgreSQL: a run is found by its key, and a locking batch
//! skips the contracts another batch holds.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::billing::{BatchQuery, BillingRunRepository, Period, RunKey};

use super::test_support::{
    assert_storage, begin, billing_run_id, contract_id, end, impatient, seeded,
};
use crate::tx::PgTx;

fn batch(period: &str, lock: bool) -> BatchQuery {
    BatchQuery {
        period: Period::parse(period).unwrap(),
        after: String::new(),
        limit: 10,
        lock,
    }
}

fn key(key: &str) -> RunKey {
    RunKey {
        scope: "act_1".to_owned(),
        key: key.to_owned(),
        fingerprint: format!("fp-{key}"),
    }
}

#[test]
fn a_run_is_found_by_its_key_with_its_fingerprint() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut run = tx.find(&billing_run_id("run_1")).unwrap().expect("run");
    run.id = billing_run_id("run_2");
    run.period = "2026-03".to_owned();
    tx.insert(&run, &key("k1")).expect("insert");
    assert_eq!(
        tx.find_by_key("act_1", "k1").unwrap(),
        Some((run, "fp-k1".to_owned()))
    );
    assert_eq!(tx.find_by_key("act_2", "k1").unwrap(), None);
}

#[test]
fn a_second_run_with_the_same_key_is_refused() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut run = tx.find(&billing_run_id("run_1")).unwrap().expect("run");
    run.id = billing_run_id("run_2");
    tx.insert(&run, &key("k1")).expect("insert");
    run.id = billing_run_id("run_3");
    assert_storage(tx.insert(&run, &key("k1")));
}

#[test]
fn candidates_carry_the_run_that_already_invoiced_them() {
    let (_db, mut conn) = seeded();
    let candidates = PgTx::new(&mut conn)
        .candidates(&batch("2026-02", false))
        .unwrap();
    let seen: Vec<(String, Option<String>)> = candidates
        .into_iter()
        .map(|c| (c.contract.contract_id, c.invoiced_by))
        .collect();
    assert_eq!(
        seen,
        [
            (
                contract_id("ctr_1").to_string(),
                Some(billing_run_id("run_1"))
            ),
            (contract_id("ctr_2").to_string(), None),
        ]
    );
}

#[test]
fn a_locking_batch_skips_contracts_another_batch_holds() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    let mut first = batch("2026-03", true);
    first.limit = 1;
    let held = PgTx::new(&mut conn).candidates(&first).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].contract.contract_id, contract_id("ctr_1").as_str());
    let mut other = impatient(&db);
    let rest = PgTx::new(&mut other)
        .candidates(&batch("2026-03", true))
        .unwrap();
    let ids: Vec<String> = rest.into_iter().map(|c| c.contract.contract_id).collect();
    assert_eq!(ids, [contract_id("ctr_2").to_string()]);
    end(&mut conn);
}
