//! The statement-level integrity triggers that `invoice_writes` relies on (decision 0094):
//! what the foreign keys they replace refused is still refused, and what they allowed still
//! passes.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::mpsc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::PgConnection;

use super::test_support::{count, SEED};
use crate::testing::{fresh_database, TestDatabase};

fn seeded() -> (TestDatabase, PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    conn.batch_execute(SEED).expect("seed");
    (db, conn)
}

fn invoice(id: &str, run: &str, client: &str, contract: &str, offer: &str) -> String {
    format!(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
         offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, \
         total_tax, total_incl_tax, currency, created_at, updated_at, buyer_name, \
         service_identifier, seller_identity_id) VALUES \
         ('{id}', 'FAC-{id}', '{run}', '{client}', '{contract}', '{offer}', 'mobile', \
         '2026-02', DATE '2026-03-01', DATE '2026-03-16', 'issued', 9900, 1980, 11880, 'MAD', \
         now(), now(), 'Client', '+212600000000', 1)"
    )
}

fn line(invoice_id: &str) -> String {
    format!(
        "INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date, \
         end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount, \
         amount_incl_tax, contract_id) VALUES ('{invoice_id}', 1, 'Offre A', 'ofr_A', \
         DATE '2026-02-01', DATE '2026-02-28', 28, 9900, 9900, 2000, 1980, 11880, \
         coalesce((SELECT contract_id FROM invoices WHERE id = '{invoice_id}'), 'ctr_1'))"
    )
}

fn kind(result: Result<(), DieselError>) -> DatabaseErrorKind {
    match result {
        Err(DieselError::DatabaseError(kind, _)) => kind,
        other => panic!("expected a database error, got {other:?}"),
    }
}

#[test]
fn a_consistent_invoice_and_its_line_are_written() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(&invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_A"))
        .expect("invoice");
    conn.batch_execute(&line("inv_1")).expect("line");
    assert_eq!(count(&mut conn, "invoices", "true"), 1);
    assert_eq!(count(&mut conn, "invoice_lines", "true"), 1);
}

#[test]
fn an_invoice_with_a_missing_or_mismatched_reference_is_refused() {
    let (_db, mut conn) = seeded();
    let cases = [
        (
            "unknown contract",
            invoice("inv_1", "run_1", "cli_1", "ctr_9", "ofr_A"),
        ),
        (
            "another client's contract",
            invoice("inv_1", "run_1", "cli_2", "ctr_1", "ofr_A"),
        ),
        (
            "unknown client",
            invoice("inv_1", "run_1", "cli_9", "ctr_1", "ofr_A"),
        ),
        (
            "unknown run",
            invoice("inv_1", "run_9", "cli_1", "ctr_1", "ofr_A"),
        ),
        (
            "unknown offer",
            invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_9"),
        ),
    ];
    for (case, sql) in cases {
        assert_eq!(
            kind(conn.batch_execute(&sql)),
            DatabaseErrorKind::ForeignKeyViolation,
            "{case}"
        );
    }
    assert_eq!(count(&mut conn, "invoices", "true"), 0);
}

#[test]
fn one_bad_row_refuses_the_whole_statement() {
    let (_db, mut conn) = seeded();
    let sql = "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, \
               contract_id, offer_id, service_type, period, issue_date, due_date, status, \
               total_excl_tax, total_tax, total_incl_tax, currency, created_at, updated_at, \
               buyer_name, service_identifier, seller_identity_id) \
               SELECT 'inv_' || n, 'FAC-' || n, 'run_1', 'cli_' || n, 'ctr_' || n, 'ofr_A', \
               'mobile', '2026-02', DATE '2026-03-01', DATE '2026-03-16', 'issued', 1, 0, 1, \
               'MAD', now(), now(), 'Client', '+212600000000', 1 FROM generate_series(1, 3) n";
    assert_eq!(
        kind(conn.batch_execute(sql)),
        DatabaseErrorKind::ForeignKeyViolation
    );
    assert_eq!(count(&mut conn, "invoices", "true"), 0);
}

#[test]
fn a_line_without_its_invoice_is_refused() {
    let (_db, mut conn) = seeded();
    assert_eq!(
        kind(conn.batch_execute(&line("inv_9"))),
        DatabaseErrorKind::ForeignKeyViolation
    );
    assert_eq!(count(&mut conn, "invoice_lines", "true"), 0);
}

/// A line of `contract` on `invoice_id` (a per-account invoice bills several contracts).
fn line_of(invoice_id: &str, position: i32, contract: &str) -> String {
    format!(
        "INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date, \
         end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount, \
         amount_incl_tax, contract_id) VALUES ('{invoice_id}', {position}, 'Offre A', 'ofr_A', \
         DATE '2026-02-01', DATE '2026-02-28', 28, 9900, 9900, 2000, 1980, 11880, '{contract}')"
    )
}

#[test]
fn a_line_of_another_contract_must_be_one_of_the_invoices_client() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, \
         updated_at) VALUES ('sub_4', 'cli_1', 'mobile', '+212600000004', now(), now()); \
         INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, \
         service_type, status, contract_start_date, commitment_months, commitment_end_date, \
         monthly_price, currency, tax_rate_bp, created_at, updated_at) VALUES \
         ('ctr_3', 'CTR-3', 'cli_1', 'sub_4', 'ofr_A', 'mobile', 'active', DATE '2026-01-01', \
          12, DATE '2027-01-01', 9900, 'MAD', 2000, now(), now())",
    )
    .expect("a second contract of cli_1");
    conn.batch_execute(&invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_A"))
        .expect("invoice");
    // The invoice's own contract, then another contract of its client: both pass.
    conn.batch_execute(&line_of("inv_1", 1, "ctr_1"))
        .expect("own contract");
    conn.batch_execute(&line_of("inv_1", 2, "ctr_3"))
        .expect("another contract of the same client");
    // Another client's contract, or no contract at all, is refused, alone or among good lines.
    for (case, sql) in [
        ("another client's", line_of("inv_1", 3, "ctr_2")),
        ("unknown", line_of("inv_1", 3, "ctr_9")),
        (
            "one bad line among good ones",
            format!(
                "{}, ('inv_1', 4, 'Offre A', 'ofr_A', DATE '2026-02-01', DATE '2026-02-28', \
                 28, 9900, 9900, 2000, 1980, 11880, 'ctr_2')",
                line_of("inv_1", 3, "ctr_1")
            ),
        ),
    ] {
        assert_eq!(
            kind(conn.batch_execute(&sql)),
            DatabaseErrorKind::ForeignKeyViolation,
            "{case}"
        );
    }
    assert_eq!(count(&mut conn, "invoice_lines", "true"), 2);
}

#[test]
fn legal_records_are_never_deleted() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(&invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_A"))
        .expect("invoice");
    conn.batch_execute(&line("inv_1")).expect("line");
    for sql in [
        "DELETE FROM invoice_lines",
        "DELETE FROM invoices WHERE id = 'inv_1'",
        "DELETE FROM billing_runs",
        "DELETE FROM contracts WHERE id = 'ctr_2'",
        "TRUNCATE invoice_lines",
        "TRUNCATE billing_runs",
    ] {
        assert_eq!(
            kind(conn.batch_execute(sql)),
            DatabaseErrorKind::RestrictViolation,
            "{sql}"
        );
    }
    assert_eq!(count(&mut conn, "invoice_lines", "true"), 1);
    assert_eq!(count(&mut conn, "billing_runs", "true"), 1);
    assert_eq!(count(&mut conn, "contracts", "true"), 2);
}

#[test]
fn the_columns_that_tie_records_together_never_change() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(&invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_A"))
        .expect("invoice");
    conn.batch_execute(&line("inv_1")).expect("line");
    for sql in [
        "UPDATE invoices SET contract_id = 'ctr_2', client_id = 'cli_2'",
        "UPDATE invoices SET offer_id = 'ofr_B'",
        "UPDATE invoices SET billing_run_id = 'run_9'",
        "UPDATE invoices SET id = 'inv_2'",
        "UPDATE invoice_lines SET invoice_id = 'inv_2'",
        "UPDATE contracts SET client_id = 'cli_2' WHERE id = 'ctr_1'",
        "UPDATE billing_runs SET id = 'run_2'",
    ] {
        assert_eq!(
            kind(conn.batch_execute(sql)),
            DatabaseErrorKind::RestrictViolation,
            "{sql}"
        );
    }
    // What payments and dunning change is free to change.
    conn.batch_execute(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax, updated_at = now(); \
         UPDATE invoices SET contract_id = contract_id; \
         UPDATE contracts SET status = 'suspended' WHERE id = 'ctr_1'; \
         UPDATE billing_runs SET status = 'completed', invoice_count = 1",
    )
    .expect("allowed updates");
}

#[test]
fn an_offer_named_by_an_invoice_cannot_be_deleted_but_an_unused_one_can() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "INSERT INTO offers (id, code, name, service_type, monthly_price, tax_rate_bp, \
         commitment_months, status, created_at, updated_at) VALUES \
         ('ofr_C', 'C', 'Offre C', 'mobile', 1, 0, 0, 'active', now(), now())",
    )
    .expect("offer C");
    conn.batch_execute(&invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_B"))
        .expect("invoice on B");
    assert_eq!(
        kind(conn.batch_execute("DELETE FROM offers WHERE id = 'ofr_B'")),
        DatabaseErrorKind::ForeignKeyViolation
    );
    conn.batch_execute("DELETE FROM offers WHERE id = 'ofr_C'")
        .expect("unused offer");
    assert_eq!(count(&mut conn, "offers", "true"), 2);
}

#[test]
fn deleting_an_offer_while_an_invoice_naming_it_is_written_waits_then_is_refused() {
    let (db, mut writer) = seeded();
    writer
        .batch_execute(&format!(
            "BEGIN; {}",
            invoice("inv_1", "run_1", "cli_1", "ctr_1", "ofr_B")
        ))
        .expect("invoice in an open transaction");
    let (done, finished) = mpsc::channel();
    let url = db.url.clone();
    let deleter = std::thread::spawn(move || {
        let mut conn = <PgConnection as diesel::Connection>::establish(&url).expect("connect");
        let result = conn.batch_execute("DELETE FROM offers WHERE id = 'ofr_B'");
        done.send(()).expect("signal");
        result
    });
    assert!(
        finished.recv_timeout(Duration::from_millis(500)).is_err(),
        "the delete waits for the invoice's transaction"
    );
    writer.batch_execute("COMMIT").expect("commit");
    let result = deleter.join().expect("deleter");
    assert_eq!(kind(result), DatabaseErrorKind::ForeignKeyViolation);
    assert_eq!(count(&mut writer, "offers", "true"), 2);
}
