//! Settlement of invoices against PostgreSQL (through `InvoiceRepository` since decision 0141):
//! the lock order of open invoices and the database's last net on over-payment.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::billing::{InvoiceRepository, InvoiceStatus};
use domain::collections::{Allocation, Payment, PaymentMethod, PaymentRepository};
use domain::money::Money;
use domain::typed_ids::{ClientId, PaymentId};

use super::test_support::{assert_storage, at, begin, count, end, impatient, invoice_id, seeded};
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
    let mut paid = InvoiceRepository::find(&mut tx, &invoice_id("inv_2"))
        .unwrap()
        .expect("inv_2");
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
    let mut invoice = InvoiceRepository::find(&mut tx, &invoice_id("inv_1"))
        .unwrap()
        .expect("inv_1");
    invoice.amount_paid = Money::from_stored(invoice.total_incl_tax.centimes() + 1);
    invoice.status = InvoiceStatus::Paid;
    assert_storage(tx.save_settlements(std::slice::from_ref(&invoice)));
    assert_eq!(
        count(&mut conn, "invoices", "id = 'inv_1' AND amount_paid = 0"),
        1
    );
}

fn payment(id: &str, allocations: &[(&str, i64)], unallocated: i64) -> Payment {
    let allocated: i64 = allocations.iter().map(|(_, amount)| amount).sum();
    Payment {
        id: PaymentId::from_stored(id),
        client_id: ClientId::from_stored("cli_1"),
        amount: Money::from_stored(allocated + unallocated),
        currency: "MAD".into(),
        method: PaymentMethod::Cash,
        reference: Some("R-1".into()),
        received_at: at().date(),
        allocations: allocations
            .iter()
            .map(|(invoice, amount)| Allocation {
                invoice_id: invoice_id(invoice),
                amount: Money::from_stored(*amount),
            })
            .collect(),
        unallocated_amount: Money::from_stored(unallocated),
        actor_id: "act_1".into(),
        created_at: at(),
    }
}

#[test]
fn a_payment_is_stored_with_its_allocations_in_their_order() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    // inv_2 first: the order of the allocations, not of the invoice ids, is kept.
    let paid = payment("pay_1", &[("inv_2", 300), ("inv_1", 200)], 50);
    tx.insert(&paid, &[]).expect("insert");
    assert_eq!(
        PaymentRepository::find(&mut tx, &paid.id).unwrap(),
        Some(paid)
    );
    let credit = payment("pay_2", &[], 700);
    tx.insert(&credit, &[]).expect("insert without allocations");
    assert_eq!(
        PaymentRepository::find(&mut tx, &credit.id).unwrap(),
        Some(credit)
    );
}

#[test]
fn a_posting_answers_the_credit_the_client_held_before_it() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let first = tx.insert(&payment("pay_1", &[("inv_1", 200)], 50), &[]);
    assert_eq!(first.unwrap(), Money::ZERO);
    // The statement does not see the row it writes: pay_1's 50 only, not pay_2's 700.
    let second = tx.insert(&payment("pay_2", &[], 700), &[]);
    assert_eq!(second.unwrap(), Money::from_stored(50));
    let third = tx.insert(&payment("pay_3", &[("inv_2", 100)], 0), &[]);
    assert_eq!(third.unwrap(), Money::from_stored(750));
}

#[test]
fn an_allocation_to_an_unknown_invoice_stores_nothing() {
    let (_db, mut conn) = seeded();
    assert_storage(PgTx::new(&mut conn).insert(&payment("pay_1", &[("inv_404", 300)], 0), &[]));
    assert_eq!(count(&mut conn, "payments", "id = 'pay_1'"), 0);
    assert_eq!(
        count(&mut conn, "payment_allocations", "payment_id = 'pay_1'"),
        0
    );
}

#[test]
fn a_payment_settles_its_invoices_in_the_same_statement() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut invoice = InvoiceRepository::find(&mut tx, &invoice_id("inv_1"))
        .unwrap()
        .expect("inv_1");
    invoice.amount_paid = Money::from_stored(300);
    invoice.status = InvoiceStatus::PartiallyPaid;
    invoice.updated_at = at();
    tx.insert(
        &payment("pay_1", &[("inv_1", 300)], 0),
        std::slice::from_ref(&invoice),
    )
    .expect("insert");
    let stored = InvoiceRepository::find(&mut tx, &invoice_id("inv_1"))
        .unwrap()
        .expect("inv_1");
    assert_eq!(stored.amount_paid, Money::from_stored(300));
    assert_eq!(stored.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(stored.updated_at, at());
}

#[test]
fn a_settlement_beyond_the_total_or_of_a_missing_invoice_stores_nothing() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut invoice = InvoiceRepository::find(&mut tx, &invoice_id("inv_1"))
        .unwrap()
        .expect("inv_1");
    invoice.amount_paid = Money::from_stored(invoice.total_incl_tax.centimes() + 1);
    invoice.status = InvoiceStatus::Paid;
    assert_storage(tx.insert(
        &payment("pay_1", &[("inv_1", 300)], 0),
        std::slice::from_ref(&invoice),
    ));
    assert_eq!(count(&mut conn, "payments", "id = 'pay_1'"), 0);
    assert_eq!(
        count(&mut conn, "invoices", "id = 'inv_1' AND amount_paid = 0"),
        1
    );
    // An invoice that is not there is reported, so the caller's transaction rolls back.
    let mut vanished = invoice;
    vanished.id = invoice_id("inv_404");
    vanished.amount_paid = Money::from_stored(1);
    assert_storage(
        PgTx::new(&mut conn).insert(&payment("pay_2", &[], 1), std::slice::from_ref(&vanished)),
    );
}
