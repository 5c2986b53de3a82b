//! The contract of `CreditNoteRepository` (and of the credit-note audit entry) against PostgreSQL
//! (decision 0149), with the invoice writes a credit note makes through `InvoiceRepository`
//! (`lock`, `save_credit`): the credited sums per line, notes and documents, and each error
//! the database turns a bad write into.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::PgConnection;
use domain::billing::{InvoiceRepository, InvoiceStatus};
use domain::credit_notes::{CreditNote, CreditNoteFilter, CreditNoteLine, CreditNoteRepository};
use domain::error::Error;
use domain::ledger::{LedgerAction, LedgerAuditEntry, LedgerRepository};
use domain::money::Money;
use domain::page::PageRequest;
use domain::typed_ids::{ClientId, CreditNoteId, InvoiceId, LedgerAuditEntryId};
use time::macros::{date, datetime};

use super::test_support::SEED;
use crate::testing::{fresh_database, TestDatabase};
use crate::tx::PgTx;

/// One invoice of client 1 with two lines: 4 950 + 990 and 9 950 + 1 990.
const INVOICE: &str = "
    INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, offer_id,
        service_type, period, issue_date, due_date, status, total_excl_tax, total_tax,
        total_incl_tax, amount_paid, currency, created_at, updated_at, buyer_name,
        service_identifier, seller_identity_id) VALUES
      ('inv_1', 'FAC-1', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-02',
       DATE '2026-03-01', DATE '2026-03-16', 'issued', 14900, 2980, 17880, 0, 'MAD',
       now(), now(), 'Amal Un', '+212600000001', 100);
    INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date,
        end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount,
        amount_incl_tax, contract_id) VALUES
      ('inv_1', 1, 'Un', 'ofr_A', DATE '2026-02-01', DATE '2026-02-14', 14, 9900, 4950, 2000,
       990, 5940, 'ctr_1'),
      ('inv_1', 2, 'Deux', 'ofr_A', DATE '2026-02-15', DATE '2026-02-28', 14, 19900, 9950,
       2000, 1990, 11940, 'ctr_1');";

fn seeded() -> (TestDatabase, PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    conn.batch_execute(SEED).expect("seed");
    conn.batch_execute(INVOICE).expect("invoice");
    (db, conn)
}

fn line(position: i32, excl: i64, tax: i64) -> CreditNoteLine {
    CreditNoteLine {
        position,
        description: format!("Ligne {position}"),
        amount_excl_tax: Money::from_stored(excl),
        tax_rate_bp: 2000,
        tax_amount: Money::from_stored(tax),
        amount_incl_tax: Money::from_stored(excl + tax),
    }
}

/// A note `n` on `inv_1` crediting `lines`, all of it applied to the invoice.
fn note(n: u32, lines: Vec<CreditNoteLine>) -> CreditNote {
    let excl: Money = lines.iter().map(|l| l.amount_excl_tax).sum();
    let tax: Money = lines.iter().map(|l| l.tax_amount).sum();
    let total = excl.saturating_add(tax);
    CreditNote {
        id: CreditNoteId::from_stored(format!("cn_{n}")),
        credit_note_number: format!("AV-2026-{n:06}"),
        invoice_id: InvoiceId::from_stored("inv_1"),
        client_id: ClientId::from_stored("cli_1"),
        issue_date: date!(2026 - 03 - 10),
        reason: "Geste".into(),
        lines,
        total_excl_tax: excl,
        total_tax: tax,
        total_incl_tax: total,
        applied_to_invoice: total,
        credited_to_balance: Money::ZERO,
        credit_remaining: Money::ZERO,
        currency: "MAD".into(),
        actor_id: "act_1 via gw".into(),
        created_at: datetime!(2026-03-10 09:00 UTC),
    }
}

/// The credit-note side of the unit of work (several repositories share method names).
fn notes<'a>(tx: &'a mut PgTx<'_>) -> &'a mut dyn CreditNoteRepository {
    tx
}

fn inv_1() -> InvoiceId {
    InvoiceId::from_stored("inv_1")
}

#[test]
fn the_invoice_is_locked_with_its_lines_and_an_unknown_one_is_none() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let invoice = tx.lock(&inv_1()).unwrap().unwrap();
    assert_eq!(invoice.lines.len(), 2);
    assert_eq!(invoice.credited_amount, Money::ZERO);
    assert!(tx.lock(&InvoiceId::from_stored("inv_9")).unwrap().is_none());
}

#[test]
fn notes_store_with_their_lines_and_credited_sums_are_per_line() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert!(notes(&mut tx).credited_lines(&inv_1()).unwrap().is_empty());
    let first = note(1, vec![line(1, 1000, 200), line(2, 3000, 600)]);
    notes(&mut tx).insert(&first).unwrap();
    notes(&mut tx)
        .insert(&note(2, vec![line(2, 500, 100)]))
        .unwrap();
    let sums: Vec<(i32, i64, i64)> = notes(&mut tx)
        .credited_lines(&inv_1())
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.position,
                c.amount_excl_tax.centimes(),
                c.tax_amount.centimes(),
            )
        })
        .collect();
    assert_eq!(sums, vec![(1, 1000, 200), (2, 3500, 700)]);
    assert_eq!(notes(&mut tx).find(&first.id).unwrap(), Some(first.clone()));
    let ids = notes(&mut tx).ids_for_invoice(&inv_1()).unwrap();
    assert_eq!(
        ids,
        vec![first.id.clone(), CreditNoteId::from_stored("cn_2")]
    );
    let invoice = InvoiceRepository::find(&mut tx, &inv_1()).unwrap().unwrap();
    assert_eq!(invoice.credit_note_ids, ids);
    let listed = notes(&mut tx)
        .list(
            &CreditNoteFilter {
                client_id: Some(ClientId::from_stored("cli_2")),
                ..CreditNoteFilter::default()
            },
            &PageRequest::first(),
        )
        .unwrap();
    assert!(listed.is_empty());
    let invoice = [InvoiceId::from_stored("inv_1")];
    assert_eq!(
        notes(&mut tx)
            .for_invoices(&ClientId::from_stored("cli_1"), &invoice)
            .unwrap()
            .len(),
        2,
        "both notes of the invoice"
    );
    assert!(notes(&mut tx)
        .for_invoices(&ClientId::from_stored("cli_2"), &invoice)
        .unwrap()
        .is_empty());
    assert!(notes(&mut tx)
        .for_invoices(&ClientId::from_stored("cli_1"), &[])
        .unwrap()
        .is_empty());
}

#[test]
fn a_note_the_tables_refuse_is_a_storage_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    notes(&mut tx)
        .insert(&note(1, vec![line(1, 1000, 200)]))
        .unwrap();
    // The same legal number twice.
    let mut twin = note(2, vec![line(1, 1000, 200)]);
    twin.credit_note_number = "AV-2026-000001".into();
    assert!(matches!(
        notes(&mut tx).insert(&twin),
        Err(Error::Storage(_))
    ));
    // A line of zero.
    assert!(matches!(
        notes(&mut tx).insert(&note(3, vec![line(1, 0, 0)])),
        Err(Error::Storage(_))
    ));
    // An unknown invoice.
    let mut stray = note(4, vec![line(1, 10, 2)]);
    stray.invoice_id = InvoiceId::from_stored("inv_9");
    assert!(matches!(
        notes(&mut tx).insert(&stray),
        Err(Error::Storage(_))
    ));
    // More credit remaining than was credited to the balance.
    let mut over = note(5, vec![line(1, 10, 2)]);
    over.credit_remaining = Money::from_stored(1);
    assert!(matches!(
        notes(&mut tx).insert(&over),
        Err(Error::Storage(_))
    ));
}

#[test]
fn the_invoice_credit_saves_and_beyond_the_total_or_unknown_is_a_storage_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut invoice = InvoiceRepository::find(&mut tx, &inv_1()).unwrap().unwrap();
    invoice.credited_amount = Money::from_stored(17_880);
    invoice.status = InvoiceStatus::Void;
    tx.save_credit(&invoice).unwrap();
    let saved = InvoiceRepository::find(&mut tx, &inv_1()).unwrap().unwrap();
    assert_eq!(saved.credited_amount, Money::from_stored(17_880));
    assert_eq!(saved.status, InvoiceStatus::Void);
    assert_eq!(saved.outstanding(), Money::ZERO);
    invoice.credited_amount = Money::from_stored(17_881);
    assert!(matches!(tx.save_credit(&invoice), Err(Error::Storage(_))));
    invoice.id = InvoiceId::from_stored("inv_9");
    invoice.credited_amount = Money::from_stored(1);
    assert!(matches!(tx.save_credit(&invoice), Err(Error::Storage(_))));
}

#[test]
fn a_payment_cannot_settle_what_a_note_already_took() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut invoice = InvoiceRepository::find(&mut tx, &inv_1()).unwrap().unwrap();
    invoice.credited_amount = Money::from_stored(6_000);
    tx.save_credit(&invoice).unwrap();
    invoice.amount_paid = invoice.total_incl_tax;
    invoice.status = InvoiceStatus::Paid;
    assert!(matches!(
        tx.save_settlements(std::slice::from_ref(&invoice)),
        Err(Error::Storage(_))
    ));
}

#[test]
fn the_first_stored_document_stays() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let id = CreditNoteId::from_stored("cn_1");
    notes(&mut tx)
        .insert(&note(1, vec![line(1, 1000, 200)]))
        .unwrap();
    assert_eq!(notes(&mut tx).find_document(&id).unwrap(), None);
    let at = datetime!(2026-03-10 09:00 UTC);
    notes(&mut tx).insert_document(&id, b"first", at).unwrap();
    notes(&mut tx).insert_document(&id, b"second", at).unwrap();
    assert_eq!(
        notes(&mut tx).find_document(&id).unwrap(),
        Some(b"first".to_vec())
    );
    assert!(matches!(
        notes(&mut tx).insert_document(&CreditNoteId::from_stored("cn_9"), b"x", at),
        Err(Error::Storage(_))
    ));
}

#[test]
fn a_credit_note_audit_entry_stores_and_one_for_an_unknown_client_is_a_storage_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut entry = LedgerAuditEntry {
        id: LedgerAuditEntryId::from_stored("lau_1"),
        client_id: ClientId::from_stored("cli_1"),
        document_kind: "credit_note",
        document_id: "cn_1".into(),
        action: LedgerAction::CreditNoteIssued,
        actor_id: "act_1".into(),
        at: datetime!(2026-03-10 09:00 UTC),
        before: vec![("outstanding".into(), 17_880)],
        after: vec![("outstanding".into(), 0)],
    };
    LedgerRepository::insert_audit(&mut tx, std::slice::from_ref(&entry)).unwrap();
    entry.id = LedgerAuditEntryId::from_stored("lau_2");
    entry.client_id = ClientId::from_stored("cli_9");
    assert!(matches!(
        LedgerRepository::insert_audit(&mut tx, &[entry]),
        Err(Error::Storage(_))
    ));
}
