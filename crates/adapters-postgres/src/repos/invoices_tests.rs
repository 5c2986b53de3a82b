//! `InvoiceRepository` against PostgreSQL: one invoice per contract and period (a refused
//! batch writes nothing), and documents stored once.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::billing::{Invoice, InvoiceRepository};
use domain::error::Conflict;
use domain::typed_ids::{ClientId, ContractId};

use super::test_support::{assert_conflict, at, count, invoice_id, seeded};
use crate::tx::PgTx;

/// Client 2's invoice for February, made from client 1's.
fn for_client_2(template: &Invoice, id: &str) -> Invoice {
    let mut invoice = template.clone();
    invoice.id = invoice_id(id);
    invoice.invoice_number = format!("FAC-{id}");
    invoice.client_id = ClientId::from_stored("cli_2");
    invoice.contract_id = ContractId::from_stored("ctr_2");
    for line in &mut invoice.lines {
        line.contract_id = ContractId::from_stored("ctr_2");
        line.service_identifier = Some("+212600000002".into());
    }
    invoice
}

#[test]
fn a_line_billing_another_clients_contract_is_refused() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let february = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    assert_eq!(
        february.lines[0].service_identifier.as_deref(),
        Some("+212600000001"),
        "a line is read with its contract's line"
    );
    let mut stray = for_client_2(&february, "inv_9");
    stray.lines[0].contract_id = ContractId::from_stored("ctr_1");
    // A storage fault: the batch's transaction rolls back whole.
    assert!(matches!(
        tx.insert_batch(&[stray]),
        Err(domain::error::Error::Storage(_))
    ));
}

#[test]
fn a_batch_with_an_invoice_already_issued_is_refused_whole() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let february = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    let mut again = february.clone();
    again.id = invoice_id("inv_8");
    again.invoice_number = "FAC-8".to_owned();
    let fresh = for_client_2(&february, "inv_9");
    assert_conflict(
        tx.insert_batch(&[fresh, again]),
        Conflict::InvoiceAlreadyIssued,
    );
    assert_eq!(count(&mut conn, "invoices", "id IN ('inv_8', 'inv_9')"), 0);
    assert_eq!(
        count(
            &mut conn,
            "invoice_lines",
            "invoice_id IN ('inv_8', 'inv_9')"
        ),
        0
    );
}

#[test]
fn a_batch_is_written_with_its_lines_and_found_again() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let february = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    let fresh = for_client_2(&february, "inv_9");
    tx.insert_batch(std::slice::from_ref(&fresh))
        .expect("insert");
    assert_eq!(tx.find(&invoice_id("inv_9")).unwrap(), Some(fresh));
    assert!(tx
        .ids_for_run(&super::test_support::billing_run_id("run_1"))
        .unwrap()
        .contains(&invoice_id("inv_9")));
}

#[test]
fn a_stored_document_is_kept_when_stored_again() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(tx.find_document(&invoice_id("inv_1")).unwrap(), None);
    tx.insert_document(&invoice_id("inv_1"), b"first", at())
        .expect("first");
    tx.insert_document(&invoice_id("inv_1"), b"second", at())
        .expect("second is a no-op");
    assert_eq!(
        tx.find_document(&invoice_id("inv_1")).unwrap(),
        Some(b"first".to_vec())
    );
}
