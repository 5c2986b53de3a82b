//! Contract tests of the payment-import repository against PostgreSQL (decision 0149): its
//! errors, its locks and the database's own guards on receipts.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::error::Resource;
use domain::money::Money;
use domain::page::PageRequest;
use domain::payment_imports::{
    ImportLine, ImportTotals, LineStatus, PaymentImport, PaymentImportRepository,
    ReceiptAssignment, ReceiptFilter, ReceiptStatus, RecordedAs, UnidentifiedReceipt,
};
use domain::typed_ids::{ClientId, PaymentId, PaymentImportId, ReceiptId};
use time::macros::date;

use super::test_support::{
    assert_not_found, assert_storage, at, begin, count, end, impatient, invoice_id, seeded,
};
use crate::tx::PgTx;

fn receipt(id: &str, import: &str) -> UnidentifiedReceipt {
    UnidentifiedReceipt {
        id: ReceiptId::from_stored(id),
        import_id: PaymentImportId::from_stored(import),
        line: 1,
        amount: Money::from_stored(7_550),
        currency: "MAD".into(),
        received_at: date!(2026 - 03 - 03),
        reference: "VIR-1".into(),
        payer: Some("Inconnu".into()),
        assignment: None,
        created_at: at(),
        updated_at: at(),
    }
}

fn import(id: &str, receipt_id: &str) -> PaymentImport {
    let lines = vec![ImportLine {
        line: 1,
        status: LineStatus::Unidentified,
        amount: Some(Money::from_stored(7_550)),
        payment_id: None,
        receipt_id: Some(ReceiptId::from_stored(receipt_id)),
        invoice_number: None,
        client_id: None,
        message: Some("no client found".into()),
    }];
    PaymentImport {
        id: PaymentImportId::from_stored(id),
        totals: ImportTotals::of(&lines),
        lines,
        actor_id: "act_1".into(),
        created_at: at(),
    }
}

/// Stores import `imp_1` and its receipt `rcp_1` in one transaction, as an import does (the
/// receipt's reference to its import is checked at commit).
fn store_import(conn: &mut diesel::PgConnection) {
    begin(conn);
    let mut tx = PgTx::new(conn);
    tx.insert_receipt(&receipt("rcp_1", "imp_1")).unwrap();
    tx.insert_import(&import("imp_1", "rcp_1")).unwrap();
    conn.batch_execute("COMMIT").expect("commit");
}

#[test]
fn an_import_and_its_receipt_read_back_as_stored() {
    let (_db, mut conn) = seeded();
    store_import(&mut conn);
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(
        tx.find_import(&PaymentImportId::from_stored("imp_1"))
            .unwrap(),
        Some(import("imp_1", "rcp_1"))
    );
    assert_eq!(
        tx.find_receipt(&ReceiptId::from_stored("rcp_1")).unwrap(),
        Some(receipt("rcp_1", "imp_1"))
    );
    assert_eq!(
        tx.recorded_as("VIR-1", Money::from_stored(7_550), date!(2026 - 03 - 03))
            .unwrap(),
        Some(RecordedAs::Receipt(ReceiptId::from_stored("rcp_1")))
    );
    assert_eq!(
        tx.recorded_as("VIR-1", Money::from_stored(7_551), date!(2026 - 03 - 03))
            .unwrap(),
        None
    );
    assert_eq!(
        tx.invoice_by_number("FAC-1").unwrap(),
        Some(invoice_id("inv_1"))
    );
    assert_eq!(tx.invoice_by_number("FAC-9").unwrap(), None);
    let waiting = ReceiptFilter {
        status: Some(ReceiptStatus::Unidentified),
    };
    assert_eq!(
        tx.list_receipts(&waiting, &PageRequest::first())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_receipt_whose_import_is_never_stored_fails_the_commit() {
    let (_db, mut conn) = seeded();
    begin(&mut conn);
    PgTx::new(&mut conn)
        .insert_receipt(&receipt("rcp_1", "imp_ghost"))
        .unwrap();
    assert!(conn.batch_execute("COMMIT").is_err());
    assert_eq!(count(&mut conn, "unidentified_receipts", "true"), 0);
}

#[test]
fn saving_an_assignment_of_an_unknown_receipt_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut ghost = receipt("rcp_ghost", "imp_1");
    ghost.assignment = Some(ReceiptAssignment {
        client_id: ClientId::from_stored("cli_1"),
        payment_id: PaymentId::from_stored("pay_1"),
        actor_id: "act_1".into(),
        at: at(),
    });
    assert_not_found(
        PgTx::new(&mut conn).save_assignment(&ghost),
        Resource::UnidentifiedReceipt,
    );
}

#[test]
fn a_receipt_marked_assigned_without_its_payment_is_refused_by_the_database() {
    let (_db, mut conn) = seeded();
    store_import(&mut conn);
    let half = "UPDATE unidentified_receipts SET status = 'assigned' WHERE id = 'rcp_1'";
    assert!(conn.batch_execute(half).is_err());
}

#[test]
fn the_bank_line_lock_and_a_receipt_lock_hold_until_the_transaction_ends() {
    let (db, mut conn) = seeded();
    store_import(&mut conn);
    begin(&mut conn);
    let mut tx = PgTx::new(&mut conn);
    tx.lock_bank_lines().unwrap();
    assert!(tx
        .lock_receipt(&ReceiptId::from_stored("rcp_1"))
        .unwrap()
        .is_some());
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).lock_bank_lines());
    let mut third = impatient(&db);
    assert_storage(PgTx::new(&mut third).lock_receipt(&ReceiptId::from_stored("rcp_1")));
    end(&mut conn);
}
