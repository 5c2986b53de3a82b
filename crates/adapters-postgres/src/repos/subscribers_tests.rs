//! `SubscriberRepository` against PostgreSQL: each error its trait documents, and the
//! insert-or-get of provisioning.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::clients::{ServiceIdentifier, SubscriberRepository};
use domain::error::{Conflict, Resource};
use domain::service_type::ServiceType;

use super::test_support::{
    assert_conflict, assert_not_found, client_id, count, seeded, subscriber_id,
};
use crate::tx::PgTx;

fn line(raw: &str) -> ServiceIdentifier {
    ServiceIdentifier::parse(ServiceType::Mobile, raw).unwrap()
}

#[test]
fn inserting_a_line_whose_identifier_is_taken_is_service_identifier_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut copy = tx.find(&subscriber_id("sub_1")).unwrap().expect("line 1");
    copy.id = subscriber_id("sub_9");
    copy.client_id = client_id("cli_3");
    assert_conflict(tx.insert(&copy), Conflict::ServiceIdentifierExists);
    assert_eq!(count(&mut conn, "subscribers", "id = 'sub_9'"), 0);
}

#[test]
fn inserting_a_line_of_an_absent_client_is_client_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut orphan = tx.find(&subscriber_id("sub_1")).unwrap().expect("line 1");
    orphan.id = subscriber_id("sub_9");
    orphan.client_id = client_id("cli_9");
    orphan.service_identifier = line("+212600000009");
    assert_not_found(tx.insert(&orphan), Resource::Client);
}

#[test]
fn updating_an_absent_line_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find(&subscriber_id("sub_3")).unwrap().expect("line 3");
    ghost.id = subscriber_id("sub_9");
    ghost.service_identifier = line("+212600000009");
    assert_not_found(tx.update(&ghost), Resource::Subscriber);
}

#[test]
fn updating_a_line_to_another_lines_identifier_is_service_identifier_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut sub = tx.find(&subscriber_id("sub_3")).unwrap().expect("line 3");
    sub.service_identifier = line("+212600000001");
    assert_conflict(tx.update(&sub), Conflict::ServiceIdentifierExists);
}

#[test]
fn deleting_the_lines_of_a_client_with_a_contract_is_client_delete_blocked() {
    let (_db, mut conn) = seeded();
    assert_conflict(
        PgTx::new(&mut conn).delete_for_client(&client_id("cli_2")),
        Conflict::ClientDeleteBlocked,
    );
    assert_eq!(count(&mut conn, "subscribers", "client_id = 'cli_2'"), 1);
}

#[test]
fn the_lines_of_a_client_without_contract_are_deleted() {
    let (_db, mut conn) = seeded();
    PgTx::new(&mut conn)
        .delete_for_client(&client_id("cli_3"))
        .expect("delete");
    assert_eq!(count(&mut conn, "subscribers", "client_id = 'cli_3'"), 0);
}

#[test]
fn insert_or_get_returns_the_stored_line_when_it_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut again = tx.find(&subscriber_id("sub_1")).unwrap().expect("line 1");
    again.id = subscriber_id("sub_9");
    again.client_id = client_id("cli_3");
    let stored = tx.insert_or_get(&again).expect("insert or get");
    assert_eq!(stored.id, subscriber_id("sub_1"));
    assert_eq!(stored.client_id, client_id("cli_1"));
    assert_eq!(count(&mut conn, "subscribers", "id = 'sub_9'"), 0);
}

#[test]
fn insert_or_get_stores_a_new_line_and_finds_it_by_line() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut new = tx.find(&subscriber_id("sub_3")).unwrap().expect("line 3");
    new.id = subscriber_id("sub_9");
    new.service_identifier = line("+212600000009");
    let stored = tx.insert_or_get(&new).expect("insert or get");
    assert_eq!(stored, new);
    assert_eq!(
        tx.find_by_line(ServiceType::Mobile, "+212600000009")
            .unwrap(),
        Some(new)
    );
}
