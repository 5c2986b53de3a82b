//! `SequenceRepository` against PostgreSQL: consecutive values, given back on rollback,
//! and concurrent reservations wait on the sequence's row.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::numbering::SequenceRepository;

use super::test_support::{assert_storage, begin, end, impatient, seeded};
use crate::tx::PgTx;

#[test]
fn reservations_are_consecutive_per_name_and_year() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(tx.reserve("FAC", 2026, 3).unwrap(), 1);
    assert_eq!(tx.reserve("FAC", 2026, 2).unwrap(), 4);
    assert_eq!(tx.reserve("FAC", 2027, 1).unwrap(), 1);
    assert_eq!(tx.reserve("CTR", 2026, 1).unwrap(), 1);
    assert_eq!(tx.reserve("FAC", 2026, 1).unwrap(), 6);
}

#[test]
fn a_rolled_back_reservation_leaves_no_gap() {
    let (_db, mut conn) = seeded();
    PgTx::new(&mut conn).reserve("FAC", 2026, 2).unwrap();
    begin(&mut conn);
    assert_eq!(PgTx::new(&mut conn).reserve("FAC", 2026, 5).unwrap(), 3);
    end(&mut conn);
    assert_eq!(PgTx::new(&mut conn).reserve("FAC", 2026, 1).unwrap(), 3);
}

#[test]
fn a_concurrent_reservation_waits_for_the_first_transaction() {
    let (db, mut conn) = seeded();
    PgTx::new(&mut conn).reserve("FAC", 2026, 1).unwrap();
    begin(&mut conn);
    PgTx::new(&mut conn).reserve("FAC", 2026, 1).unwrap();
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).reserve("FAC", 2026, 1));
    end(&mut conn);
}
