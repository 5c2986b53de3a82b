//! `KeyLocks` against PostgreSQL: a held key is refused at once, to another holder and to the
//! transaction lock of `IdempotencyRepository::try_lock`, and freed when the guard drops.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::idempotency::{IdempotencyRepository, KeyLocks};

use crate::key_locks::PgKeyLocks;
use crate::store::PgStore;
use crate::testing::fresh_database;
use crate::tx::PgTx;

#[test]
fn a_held_key_excludes_other_holders_and_transactions_until_dropped() {
    let db = fresh_database();
    let locks = PgKeyLocks::new(&PgStore::connect(&db.url, 1).expect("store"));
    let guard = locks.try_hold("act_1", "k1").unwrap().expect("first hold");
    assert!(locks.try_hold("act_1", "k1").unwrap().is_none());
    assert!(locks.try_hold("act_1", "k2").unwrap().is_some());

    let mut conn = db.connect();
    conn.batch_execute("BEGIN").expect("begin");
    assert!(!PgTx::new(&mut conn).try_lock("act_1", "k1").unwrap());
    conn.batch_execute("ROLLBACK").expect("rollback");

    drop(guard);
    assert!(locks.try_hold("act_1", "k1").unwrap().is_some());
}

#[test]
fn a_key_locked_by_a_transaction_cannot_be_held() {
    let db = fresh_database();
    let locks = PgKeyLocks::new(&PgStore::connect(&db.url, 1).expect("store"));
    let mut conn = db.connect();
    conn.batch_execute("BEGIN").expect("begin");
    assert!(PgTx::new(&mut conn).try_lock("act_1", "k1").unwrap());
    assert!(locks.try_hold("act_1", "k1").unwrap().is_none());
    conn.batch_execute("ROLLBACK").expect("rollback");
    assert!(locks.try_hold("act_1", "k1").unwrap().is_some());
}

/// The billing-run lock (decision 0325): runs share it, the sealer's check sees it held
/// while any run holds it and never waits for it; the check itself holds nothing after its
/// transaction.
#[test]
fn billing_runs_share_their_lock_and_the_sealers_check_sees_it_without_waiting() {
    use domain::archive::ArchiveRepository;
    let db = fresh_database();
    let locks = PgKeyLocks::new(&PgStore::connect(&db.url, 1).expect("store"));
    let mut conn = db.connect();
    let in_progress = |conn: &mut diesel::PgConnection| {
        conn.batch_execute("BEGIN").expect("begin");
        let held = PgTx::new(conn).billing_run_in_progress().unwrap();
        conn.batch_execute("COMMIT").expect("commit");
        held
    };
    assert!(!in_progress(&mut conn));
    assert!(!in_progress(&mut conn), "the check leaves nothing held");
    let first = locks.hold_billing_run().unwrap();
    let second = locks.hold_billing_run().unwrap();
    assert!(in_progress(&mut conn));
    drop(first);
    assert!(in_progress(&mut conn));
    drop(second);
    assert!(!in_progress(&mut conn));
}
