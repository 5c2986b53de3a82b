//! `ClientRepository` against PostgreSQL: each error its trait documents.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::clients::{Cin, ClientRepository};
use domain::error::{Conflict, Resource};

use super::test_support::{assert_conflict, assert_not_found, client_id, count, seeded};
use crate::tx::PgTx;

#[test]
fn inserting_a_client_with_a_taken_cin_is_cin_already_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut copy = tx.find(&client_id("cli_1")).unwrap().expect("client 1");
    copy.id = client_id("cli_9");
    assert_conflict(tx.insert(&copy), Conflict::CinAlreadyExists);
    assert_eq!(count(&mut conn, "clients", "id = 'cli_9'"), 0);
}

#[test]
fn a_client_with_a_new_cin_is_inserted_and_found_by_it() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut copy = tx.find(&client_id("cli_1")).unwrap().expect("client 1");
    copy.id = client_id("cli_9");
    copy.cin = Cin::parse("ZZ999999").unwrap();
    tx.insert(&copy).expect("insert");
    assert_eq!(tx.find_by_cin("ZZ999999").unwrap(), Some(copy));
}

#[test]
fn updating_an_absent_client_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find(&client_id("cli_3")).unwrap().expect("client 3");
    ghost.id = client_id("cli_9");
    ghost.cin = Cin::parse("ZZ999999").unwrap();
    assert_not_found(tx.update(&ghost), Resource::Client);
}

#[test]
fn updating_a_client_to_another_clients_cin_is_cin_already_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut client = tx.find(&client_id("cli_3")).unwrap().expect("client 3");
    client.cin = Cin::parse("AB100001").unwrap();
    assert_conflict(tx.update(&client), Conflict::CinAlreadyExists);
    assert_eq!(count(&mut conn, "clients", "cin = 'AB100003'"), 1);
}

#[test]
fn deleting_an_absent_client_is_not_found() {
    let (_db, mut conn) = seeded();
    assert_not_found(
        PgTx::new(&mut conn).delete(&client_id("cli_9")),
        Resource::Client,
    );
}

#[test]
fn deleting_a_client_with_history_is_client_delete_blocked() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert!(tx.has_history(&client_id("cli_2")).unwrap());
    assert_conflict(
        tx.delete(&client_id("cli_2")),
        Conflict::ClientDeleteBlocked,
    );
    assert_eq!(count(&mut conn, "clients", "id = 'cli_2'"), 1);
}

#[test]
fn a_client_without_history_is_deleted_once_its_lines_are() {
    let (_db, mut conn) = seeded();
    conn.batch_execute("DELETE FROM subscribers WHERE client_id = 'cli_3'")
        .expect("remove the line");
    let mut tx = PgTx::new(&mut conn);
    assert!(!tx.has_history(&client_id("cli_3")).unwrap());
    tx.delete(&client_id("cli_3")).expect("delete");
    assert_eq!(count(&mut conn, "clients", "id = 'cli_3'"), 0);
}

#[test]
fn history_counts_contracts_invoices_payments_and_cases() {
    let (_db, mut conn) = seeded();
    // Client 1 has them all; client 2 a contract only; client 3 nothing.
    let mut tx = PgTx::new(&mut conn);
    assert!(tx.has_history(&client_id("cli_1")).unwrap());
    assert!(tx.has_history(&client_id("cli_2")).unwrap());
    assert!(!tx.has_history(&client_id("cli_3")).unwrap());
    conn.batch_execute(
        "INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at,
            created_at, updated_at) VALUES ('case_3', 'cli_3', 'closed', 0, now(), now(), now())",
    )
    .expect("a closed case of client 3");
    assert!(PgTx::new(&mut conn)
        .has_history(&client_id("cli_3"))
        .unwrap());
}

#[test]
fn several_clients_are_found_at_once_and_unknown_ids_left_out() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut found: Vec<String> = tx
        .find_many(&[client_id("cli_2"), client_id("cli_404"), client_id("cli_1")])
        .unwrap()
        .into_iter()
        .map(|c| c.id.to_string())
        .collect();
    found.sort();
    assert_eq!(found, ["cli_1", "cli_2"]);
    assert!(tx.find_many(&[]).unwrap().is_empty());
}
