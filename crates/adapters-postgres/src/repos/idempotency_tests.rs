//! `IdempotencyRepository` against PostgreSQL: a key's lock excludes other transactions
//! without waiting, and a key is stored once.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::error::Conflict;
use domain::idempotency::{Claim, IdempotencyRecord, IdempotencyRepository, StoredResponse};

use super::test_support::{assert_conflict, at, begin, end, impatient, seeded};
use crate::tx::PgTx;

fn record(fingerprint: &str, body: &[u8]) -> IdempotencyRecord {
    IdempotencyRecord {
        fingerprint: fingerprint.to_owned(),
        response: StoredResponse {
            status: 201,
            body: body.to_vec(),
        },
    }
}

#[test]
fn a_held_key_is_refused_at_once_to_another_transaction() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    assert!(PgTx::new(&mut conn).try_lock("act_1", "k1").unwrap());
    let mut other = impatient(&db);
    assert!(!PgTx::new(&mut other).try_lock("act_1", "k1").unwrap());
    assert!(PgTx::new(&mut other).try_lock("act_1", "k2").unwrap());
    assert!(PgTx::new(&mut other).try_lock("act_2", "k1").unwrap());
    end(&mut conn);
    let mut after = impatient(&db);
    assert!(PgTx::new(&mut after).try_lock("act_1", "k1").unwrap());
}

#[test]
fn saving_a_key_twice_is_idempotency_key_in_use_and_keeps_the_first() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.save("act_1", "k1", &record("fp-1", b"first"), at())
        .expect("save");
    assert_conflict(
        tx.save("act_1", "k1", &record("fp-2", b"second"), at()),
        Conflict::IdempotencyKeyInUse,
    );
    assert_eq!(
        tx.find("act_1", "k1").unwrap(),
        Some(record("fp-1", b"first"))
    );
    assert_eq!(tx.find("act_2", "k1").unwrap(), None);
}

#[test]
fn a_claim_takes_the_lock_and_reads_the_record_in_one_statement() {
    let (db, mut conn) = seeded();
    PgTx::new(&mut conn)
        .save("act_1", "k1", &record("fp-1", b"first"), at())
        .expect("save");
    begin(&mut conn);
    assert_eq!(
        PgTx::new(&mut conn).claim("act_1", "k1").unwrap(),
        Claim::Stored(record("fp-1", b"first"))
    );
    assert_eq!(
        PgTx::new(&mut conn).claim("act_1", "k2").unwrap(),
        Claim::Free
    );
    // Both keys are now held by this transaction: another one is refused without waiting.
    let mut other = impatient(&db);
    assert_eq!(
        PgTx::new(&mut other).claim("act_1", "k1").unwrap(),
        Claim::InUse
    );
    assert_eq!(
        PgTx::new(&mut other).claim("act_1", "k2").unwrap(),
        Claim::InUse
    );
    assert!(!PgTx::new(&mut other).try_lock("act_1", "k2").unwrap());
    assert_eq!(
        PgTx::new(&mut other).claim("act_2", "k1").unwrap(),
        Claim::Free
    );
    end(&mut conn);
    let mut after = impatient(&db);
    assert_eq!(
        PgTx::new(&mut after).claim("act_1", "k1").unwrap(),
        Claim::Stored(record("fp-1", b"first"))
    );
}
