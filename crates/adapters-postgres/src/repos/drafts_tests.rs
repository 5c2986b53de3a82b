//! `DraftRepository` against PostgreSQL: not-found on update, the row lock of
//! `find_for_update`, and the per-creator lock of `lock_and_count_open`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::error::Resource;
use domain::landing::{DraftRepository, DraftStatus};
use time::Duration;

use super::test_support::{
    assert_not_found, assert_storage, at, begin, draft_id, end, impatient, seeded,
};
use crate::tx::PgTx;

#[test]
fn updating_an_absent_draft_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find(&draft_id("drf_1")).unwrap().expect("draft");
    ghost.id = draft_id("drf_9");
    assert_not_found(tx.update(&ghost), Resource::Draft);
}

#[test]
fn a_draft_found_for_update_stays_locked_until_the_transaction_ends() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    PgTx::new(&mut conn)
        .find_for_update(&draft_id("drf_1"))
        .unwrap()
        .expect("draft");
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).find_for_update(&draft_id("drf_1")));
    end(&mut conn);
    let mut after = impatient(&db);
    assert!(PgTx::new(&mut after)
        .find_for_update(&draft_id("drf_1"))
        .unwrap()
        .is_some());
}

#[test]
fn open_drafts_are_counted_per_creator_and_the_count_is_locked() {
    let (db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut second = tx.find(&draft_id("drf_1")).unwrap().expect("draft");
    second.id = draft_id("drf_2");
    tx.insert(&second, "creator-1").expect("insert");
    let mut expired = second.clone();
    expired.id = draft_id("drf_3");
    expired.expires_at = at() - Duration::days(400);
    tx.insert(&expired, "creator-1")
        .expect("insert an expired one");
    let mut submitted = second.clone();
    submitted.id = draft_id("drf_4");
    submitted.status = DraftStatus::Submitted;
    tx.insert(&submitted, "creator-1")
        .expect("insert a submitted one");
    let mut neighbours = second.clone();
    neighbours.id = draft_id("drf_5");
    tx.insert(&neighbours, "creator-2")
        .expect("another creator's");

    begin(&mut conn);
    let now = second.created_at;
    assert_eq!(
        PgTx::new(&mut conn)
            .lock_and_count_open("creator-1", now)
            .unwrap(),
        2
    );
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).lock_and_count_open("creator-1", now));
    let mut neighbour = impatient(&db);
    assert_eq!(
        PgTx::new(&mut neighbour)
            .lock_and_count_open("creator-2", now)
            .unwrap(),
        1
    );
    end(&mut conn);
}
