//! Settlement of invoices against PostgreSQL (through `InvoiceRepository` since decision 0141):
//! the lock order of open invoices and the database's last net on over-payment.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::billing::{InvoiceRepository, InvoiceStatus};
use domain::money::Money;
use domain::typed_ids::ClientId;

use super::test_support::{assert_storage, begin, count, end, impatient, invoice_id, seeded};
use crate::tx::PgTx;

#[test]
fn open_invoices_are_locked_in_due_date_then_id_order() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    // inv_2 is due before inv_1: due-date order, not id order.
    let ids: Vec<_> = PgTx::new(&mut conn)
        .lock_open_invoices(&[ClientId::from_stored("cli_1")])
        .unwrap()
        .into_iter()
        .map(|invoice| invoice.id)
        .collect();
    assert_eq!(ids, [invoice_id("inv_2"), invoice_id("inv_1")]);
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).lock_open_invoices(&[ClientId::from_stored("cli_1")]));
    let mut neighbour = impatient(&db);
    assert!(PgTx::new(&mut neighbour)
        .lock_open_invoices(&[ClientId::from_stored("cli_2")])
        .unwrap()
        .is_empty());
    end(&mut conn);
}

#[test]
fn paid_invoices_are_not_locked() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut paid = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    paid.amount_paid = paid.total_incl_tax;
    paid.status = InvoiceStatus::Paid;
    tx.save_settlements(std::slice::from_ref(&paid))
        .expect("save");
    let open = tx
        .lock_open_invoices(&[ClientId::from_stored("cli_1")])
        .unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, invoice_id("inv_1"));
}

#[test]
fn paying_more_than_the_invoice_total_is_refused_by_the_database() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut invoice = tx.find(&invoice_id("inv_1")).unwrap().expect("inv_1");
    invoice.amount_paid = Money::from_stored(invoice.total_incl_tax.centimes() + 1);
    invoice.status = InvoiceStatus::Paid;
    assert_storage(tx.save_settlements(std::slice::from_ref(&invoice)));
    assert_eq!(
        count(&mut conn, "invoices", "id = 'inv_1' AND amount_paid = 0"),
        1
    );
}
