//! The settlement contract of `InvoiceRepository` against PostgreSQL (decision 0141): which
//! invoices a payment locks and in what order, and what saving a settlement writes or refuses.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::PgConnection;
use domain::billing::{InvoiceRepository, InvoiceStatus};
use domain::error::Error;
use domain::money::Money;
use domain::typed_ids::{ClientId, InvoiceId};

use super::test_support::SEED;
use crate::testing::{fresh_database, TestDatabase};
use crate::tx::PgTx;

/// Invoices of `cli_1`'s contract: two open ones out of due-date order, a paid one and a
/// void one; and one open invoice of `cli_2`.
const INVOICES: &str = "
    INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, offer_id,
        service_type, period, issue_date, due_date, status, total_excl_tax, total_tax,
        total_incl_tax, amount_paid, currency, created_at, updated_at, buyer_name,
        service_identifier, seller_identity_id) VALUES
      ('inv_b', 'FAC-b', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-02',
       DATE '2026-03-01', DATE '2026-03-16', 'partially_paid', 9900, 1980, 11880, 1000, 'MAD',
       now(), now(), 'Amal Un', '+212600000001', 100),
      ('inv_a', 'FAC-a', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-01',
       DATE '2026-02-01', DATE '2026-02-16', 'issued', 9900, 1980, 11880, 0, 'MAD', now(), now(), 'Amal Un', '+212600000001', 100),
      ('inv_p', 'FAC-p', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2025-12',
       DATE '2026-01-01', DATE '2026-01-16', 'paid', 9900, 1980, 11880, 11880, 'MAD', now(), now(), 'Amal Un', '+212600000001', 100),
      ('inv_v', 'FAC-v', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2025-11',
       DATE '2025-12-01', DATE '2025-12-16', 'void', 9900, 1980, 11880, 0, 'MAD', now(), now(), 'Amal Un', '+212600000001', 100),
      ('inv_o', 'FAC-o', 'run_1', 'cli_2', 'ctr_2', 'ofr_A', 'mobile', '2026-01',
       DATE '2026-02-01', DATE '2026-02-10', 'issued', 9900, 1980, 11880, 0, 'MAD', now(), now(), 'Amal Un', '+212600000001', 100);
";

fn seeded() -> (TestDatabase, PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    conn.batch_execute(SEED).expect("seed");
    conn.batch_execute(INVOICES).expect("invoices");
    (db, conn)
}

#[test]
fn a_clients_open_invoices_are_locked_oldest_due_first_without_lines() {
    let (_db, mut conn) = seeded();
    let open = PgTx::new(&mut conn)
        .lock_open_invoices(&[ClientId::from_stored("cli_1")])
        .unwrap();
    let ids: Vec<&str> = open.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["inv_a", "inv_b"]);
    assert_eq!(open[1].amount_paid, Money::from_stored(1000));
    assert_eq!(open[1].outstanding(), Money::from_stored(10_880));
    assert!(open.iter().all(|i| i.lines.is_empty()));
    assert!(PgTx::new(&mut conn)
        .lock_open_invoices(&[ClientId::from_stored("cli_9")])
        .unwrap()
        .is_empty());
}

#[test]
fn a_settlement_saves_the_amount_paid_and_the_status() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let id = InvoiceId::from_stored("inv_b");
    let mut invoice = tx.find(&id).unwrap().unwrap();
    invoice.amount_paid = invoice.total_incl_tax;
    invoice.status = InvoiceStatus::Paid;
    tx.save_settlements(std::slice::from_ref(&invoice)).unwrap();
    let saved = tx.find(&id).unwrap().unwrap();
    assert_eq!(saved.amount_paid, Money::from_stored(11_880));
    assert_eq!(saved.status, InvoiceStatus::Paid);
}

#[test]
fn a_settlement_beyond_the_total_or_of_an_unknown_invoice_is_a_storage_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut invoice = tx.find(&InvoiceId::from_stored("inv_a")).unwrap().unwrap();
    invoice.amount_paid = Money::from_stored(11_881);
    assert!(matches!(
        tx.save_settlements(std::slice::from_ref(&invoice)),
        Err(Error::Storage(_))
    ));
    invoice.id = InvoiceId::from_stored("inv_gone");
    invoice.amount_paid = Money::ZERO;
    assert!(matches!(
        tx.save_settlements(std::slice::from_ref(&invoice)),
        Err(Error::Storage(_))
    ));
    let kept = tx.find(&InvoiceId::from_stored("inv_a")).unwrap().unwrap();
    assert_eq!(kept.amount_paid, Money::ZERO);
}
