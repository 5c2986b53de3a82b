//! The statement-level checks that replace the foreign keys of `usage_records` (decision
//! 0383): what the keys refused is still refused, with the same SQLSTATE, and what they
//! allowed still passes.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::PgConnection;

use super::test_support::{count, seeded};

fn record(id: &str, contract: &str, billed_invoice: Option<&str>) -> String {
    let invoice = billed_invoice.map_or("NULL".to_owned(), |id| format!("'{id}'"));
    format!(
        "INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, \
         started_at, usage_date, quantity, received_at, billed_invoice_id) VALUES \
         ('{id}', '{contract}', '+212600000001', 'voice', now(), DATE '2026-03-10', 60, now(), \
         {invoice})"
    )
}

fn kind(result: Result<(), DieselError>) -> DatabaseErrorKind {
    match result {
        Err(DieselError::DatabaseError(kind, _)) => kind,
        other => panic!("expected a database error, got {other:?}"),
    }
}

fn refused(conn: &mut PgConnection, statement: &str) {
    assert!(
        matches!(
            kind(conn.batch_execute(statement)),
            DatabaseErrorKind::ForeignKeyViolation
        ),
        "{statement}"
    );
}

#[test]
fn records_of_existing_contracts_and_invoices_are_stored() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(&record("u1", "ctr_1", None)).unwrap();
    conn.batch_execute(&record("u2", "ctr_2", Some("inv_2")))
        .unwrap();
    conn.batch_execute(
        "UPDATE usage_records SET billed_invoice_id = 'inv_1', contract_id = 'ctr_2' \
         WHERE record_id = 'u1'; \
         UPDATE usage_records SET quantity = 61",
    )
    .unwrap();
    assert_eq!(count(&mut conn, "usage_records", "true"), 2);
}

#[test]
fn a_record_naming_a_missing_contract_or_invoice_is_refused() {
    let (_db, mut conn) = seeded();
    refused(&mut conn, &record("u1", "ctr_9", None));
    refused(&mut conn, &record("u1", "ctr_1", Some("inv_9")));
    // One bad row fails the whole statement, as a foreign key did.
    refused(
        &mut conn,
        "INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, \
         started_at, usage_date, quantity, received_at) VALUES \
         ('a', 'ctr_1', 'L', 'sms', now(), DATE '2026-03-10', 1, now()), \
         ('b', 'ctr_9', 'L', 'sms', now(), DATE '2026-03-10', 1, now())",
    );
    assert_eq!(count(&mut conn, "usage_records", "true"), 0);
}

#[test]
fn an_update_to_a_missing_contract_or_invoice_is_refused() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(&record("u1", "ctr_1", None)).unwrap();
    refused(
        &mut conn,
        "UPDATE usage_records SET contract_id = 'ctr_9' WHERE record_id = 'u1'",
    );
    refused(
        &mut conn,
        "UPDATE usage_records SET billed_invoice_id = 'inv_9' WHERE record_id = 'u1'",
    );
    assert_eq!(
        count(
            &mut conn,
            "usage_records",
            "contract_id = 'ctr_1' AND billed_invoice_id IS NULL"
        ),
        1
    );
}
