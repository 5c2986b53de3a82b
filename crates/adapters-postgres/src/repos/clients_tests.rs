//! `ClientRepository` against PostgreSQL: each error its trait documents.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::clients::{
    Cin, Client, ClientAuditAction, ClientAuditEntry, ClientRepository, Company, Ice, Identity,
    Invoicing,
};
use domain::error::{Conflict, Resource};
use domain::typed_ids::AuditEntryId;
use time::macros::datetime;

use super::test_support::{assert_conflict, assert_not_found, client_id, count, seeded};
use crate::tx::PgTx;

/// Gives a (person) client another CIN.
fn set_cin(client: &mut Client, cin: &str) {
    if let Identity::Person(person) = &mut client.identity {
        person.cin = Cin::parse(cin).unwrap();
    }
}

/// The client as a company with this ICE.
fn as_company(mut client: Client, id: &str, ice: &str) -> Client {
    client.id = client_id(id);
    client.birth_date = None;
    client.invoicing = Invoicing::PerAccount;
    client.identity = Identity::Company(Company {
        company_name: format!("Société {id}"),
        ice: Ice::parse(ice).unwrap(),
        rc: None,
        tax_id: Some("40123456".into()),
        legal_representative: None,
    });
    client
}

#[test]
fn companies_are_stored_and_read_back_whole() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let template = tx.find(&client_id("cli_1")).unwrap().expect("client 1");
    let company = as_company(template, "cli_8", "001525374000089");
    tx.insert(&company).expect("insert");
    assert_eq!(tx.find(&client_id("cli_8")).unwrap(), Some(company));
}

#[test]
fn inserting_or_updating_a_company_with_a_taken_ice_is_ice_already_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let template = tx.find(&client_id("cli_1")).unwrap().expect("client 1");
    tx.insert(&as_company(template.clone(), "cli_8", "001525374000089"))
        .expect("first company");
    let twin = as_company(template.clone(), "cli_9", "001525374000089");
    assert_conflict(tx.insert(&twin), Conflict::IceAlreadyExists);
    let third = tx.find(&client_id("cli_3")).unwrap().expect("client 3");
    let renamed = as_company(third, "cli_3", "001525374000089");
    assert_conflict(tx.update(&renamed), Conflict::IceAlreadyExists);
    assert_eq!(count(&mut conn, "clients", "kind = 'company'"), 1);
}

#[test]
fn the_audit_of_an_absent_client_is_not_found_and_a_trail_reads_oldest_first() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let entry = |id: &str, client: &str, minute: u8| ClientAuditEntry {
        id: AuditEntryId::from_stored(id),
        client_id: client_id(client),
        at: datetime!(2026-03-10 09:00 UTC) + time::Duration::minutes(i64::from(minute)),
        actor_id: "act_1".into(),
        action: ClientAuditAction::Updated,
        before: Some(vec![("city".into(), "Fès".into())]),
        after: Some(vec![("city".into(), "Rabat".into())]),
    };
    assert_not_found(
        tx.append_audit(&entry("aud_0", "cli_9", 0)),
        Resource::Client,
    );
    tx.append_audit(&entry("aud_2", "cli_1", 5)).expect("later");
    tx.append_audit(&entry("aud_1", "cli_1", 1))
        .expect("earlier");
    let trail = tx.audit_trail(&client_id("cli_1")).unwrap();
    let ids: Vec<&str> = trail.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["aud_1", "aud_2"]);
    assert_eq!(trail[0], entry("aud_1", "cli_1", 1));
}

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
    set_cin(&mut copy, "ZZ999999");
    tx.insert(&copy).expect("insert");
    assert_eq!(tx.find_by_cin("ZZ999999").unwrap(), Some(copy));
}

#[test]
fn updating_an_absent_client_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find(&client_id("cli_3")).unwrap().expect("client 3");
    ghost.id = client_id("cli_9");
    set_cin(&mut ghost, "ZZ999999");
    assert_not_found(tx.update(&ghost), Resource::Client);
}

#[test]
fn updating_a_client_to_another_clients_cin_is_cin_already_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut client = tx.find(&client_id("cli_3")).unwrap().expect("client 3");
    set_cin(&mut client, "AB100001");
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
