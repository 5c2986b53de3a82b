//! `OtpChallengeRepository` against PostgreSQL: one challenge per client, not-found on
//! update, and the row lock of `find_for_update`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::error::Resource;
use domain::landing::OtpChallengeRepository;

use super::test_support::{
    assert_not_found, assert_storage, at, begin, count, end, impatient, otp_challenge_id, seeded,
};
use crate::tx::PgTx;

#[test]
fn updating_an_absent_challenge_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx
        .find_for_update(&otp_challenge_id("otp_1"))
        .unwrap()
        .expect("challenge");
    ghost.id = otp_challenge_id("otp_9");
    assert_not_found(tx.update(&ghost), Resource::OtpChallenge);
}

#[test]
fn a_new_challenge_replaces_the_clients_previous_one() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut next = tx
        .find_for_update(&otp_challenge_id("otp_1"))
        .unwrap()
        .expect("challenge");
    next.id = otp_challenge_id("otp_2");
    next.code_hash = "another-hash".to_owned();
    next.created_at = at();
    tx.replace_for_client(&next).expect("replace");
    assert_eq!(
        tx.find_for_update(&otp_challenge_id("otp_1")).unwrap(),
        None
    );
    assert_eq!(
        tx.find_for_update(&otp_challenge_id("otp_2")).unwrap(),
        Some(next)
    );
    assert_eq!(
        count(&mut conn, "landing_otp_challenges", "client_id = 'cli_1'"),
        1
    );
}

#[test]
fn a_spent_attempt_is_saved() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut challenge = tx
        .find_for_update(&otp_challenge_id("otp_1"))
        .unwrap()
        .expect("challenge");
    challenge.attempts_left -= 1;
    challenge.consumed_at = Some(at());
    tx.update(&challenge).expect("update");
    assert_eq!(
        tx.find_for_update(&otp_challenge_id("otp_1")).unwrap(),
        Some(challenge)
    );
}

#[test]
fn a_challenge_found_for_update_stays_locked_until_the_transaction_ends() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    PgTx::new(&mut conn)
        .find_for_update(&otp_challenge_id("otp_1"))
        .unwrap()
        .expect("challenge");
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).find_for_update(&otp_challenge_id("otp_1")));
    end(&mut conn);
}
