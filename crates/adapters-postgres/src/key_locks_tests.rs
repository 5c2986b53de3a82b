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
