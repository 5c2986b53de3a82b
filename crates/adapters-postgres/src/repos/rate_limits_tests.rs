//! `RateLimitRepository` against PostgreSQL: hits counted per bucket and window.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::rate_limit::RateLimitRepository;
use time::Duration;

use super::test_support::{at, seeded};
use crate::tx::PgTx;

#[test]
fn hits_are_counted_per_bucket_and_window() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let window = at();
    assert_eq!(tx.hit("lookup:a", window).unwrap(), 1);
    assert_eq!(tx.hit("lookup:a", window).unwrap(), 2);
    assert_eq!(tx.hit("lookup:b", window).unwrap(), 1);
    assert_eq!(
        tx.hit("lookup:a", window + Duration::minutes(1)).unwrap(),
        1
    );
    assert_eq!(tx.hit("lookup:a", window).unwrap(), 3);
}
