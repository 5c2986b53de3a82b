//! `InvoiceRepository` against PostgreSQL: one invoice per contract and period (a refused
//! batch writes nothing), documents stored once, and the parties fixed at issue.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::billing::{Invoice, InvoiceRepository, Period};
use domain::documents::SellerIdentity;
use domain::error::Conflict;
use domain::typed_ids::{ClientId, ContractId};

use super::test_support::{assert_conflict, assert_storage, at, count, invoice_id, seeded};
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
        .iter()
        .any(|id| id == "inv_9"));
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

#[test]
fn a_contracts_billed_months_are_read_from_a_month_on_in_order() {
    use domain::billing::Period;
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let months = |from: &str, tx: &mut PgTx| -> Vec<String> {
        tx.billed_for_contract(
            &ContractId::from_stored("ctr_1"),
            Period::parse(from).unwrap(),
        )
        .unwrap()
        .into_iter()
        .map(|i| format!("{} {} lines", i.invoice_number, i.lines.len()))
        .collect()
    };
    assert_eq!(
        months("2026-01", &mut tx),
        ["FAC-1 1 lines", "FAC-2 1 lines"]
    );
    assert_eq!(months("2026-02", &mut tx), ["FAC-2 1 lines"]);
    assert!(months("2026-03", &mut tx).is_empty());
}

fn seller(name: &str) -> SellerIdentity {
    SellerIdentity {
        name: name.to_owned(),
        address: "Avenue Annakhil, Rabat".to_owned(),
        ice: "001234567000089".to_owned(),
        if_number: "12345678".to_owned(),
        rc: "RC Rabat 1".to_owned(),
        tva_number: "TVA 1".to_owned(),
        tp: "TP 1".to_owned(),
    }
}

#[test]
fn a_seller_identity_is_stored_once_per_distinct_value() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let first = tx.seller_identity(&seller("MT Télécom SA")).unwrap();
    let again = tx.seller_identity(&seller("MT Télécom SA")).unwrap();
    let renamed = tx.seller_identity(&seller("MT Télécom Groupe SA")).unwrap();
    assert_eq!(first, again);
    assert_ne!(first, renamed);
    assert_eq!(
        count(&mut conn, "seller_identities", "name LIKE 'MT Télécom%'"),
        2
    );
}

#[test]
fn a_new_tp_is_a_new_seller_identity_and_an_old_one_keeps_none() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let with_tp = tx.seller_identity(&seller("MT Télécom SA")).unwrap();
    let other_tp = SellerIdentity {
        tp: "TP 2".to_owned(),
        ..seller("MT Télécom SA")
    };
    let changed = tx.seller_identity(&other_tp).unwrap();
    assert_ne!(with_tp, changed);
    assert_eq!(tx.seller_identity(&other_tp).unwrap(), changed);
    // The identity the seed stored without a TP (as the migration leaves older ones).
    let parties = tx.parties(&invoice_id("inv_1")).unwrap().expect("parties");
    assert_eq!(parties.seller.tp, "");
}

#[test]
fn an_invoice_names_its_stored_seller_and_buyer_whatever_the_client_becomes() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "UPDATE clients SET last_name = 'Nouveau', address = 'Rue 9' WHERE id = 'cli_1'",
    )
    .unwrap();
    let mut tx = PgTx::new(&mut conn);
    let parties = tx.parties(&invoice_id("inv_1")).unwrap().expect("parties");
    assert_eq!(parties.seller.name, "Vendeur SA");
    assert_eq!(parties.contract_number, "CTR-1");
    let invoice = tx.find(&invoice_id("inv_1")).unwrap().expect("inv_1");
    assert_eq!(invoice.buyer.name, "Amal Un");
    assert_eq!(invoice.buyer.address.as_deref(), Some("Rue 1"));
    assert_eq!(invoice.service_identifier, "+212600000001");
    assert_eq!(tx.parties(&invoice_id("inv_404")).unwrap(), None);
}

#[test]
fn an_invoice_whose_seller_identity_is_still_pending_is_a_storage_fault_until_adopted() {
    let (_db, mut conn) = seeded();
    // Issued before the migration: the migration's placeholder identity.
    conn.batch_execute(
        "UPDATE invoices SET seller_identity_id = \
         (SELECT id FROM seller_identities WHERE pending) WHERE id = 'inv_1'",
    )
    .unwrap();
    let mut tx = PgTx::new(&mut conn);
    assert_storage(tx.parties(&invoice_id("inv_1")));
    assert!(tx.adopt_pending_seller(&seller("Au démarrage SA")).unwrap());
    assert!(!tx.adopt_pending_seller(&seller("Plus tard SA")).unwrap());
    let parties = tx.parties(&invoice_id("inv_1")).unwrap().expect("parties");
    assert_eq!(parties.seller, seller("Au démarrage SA"));
    // The adopted identity is the settings' identity from then on.
    let id = tx.seller_identity(&seller("Au démarrage SA")).unwrap();
    assert_eq!(
        count(
            &mut conn,
            "invoices",
            &format!("id = 'inv_1' AND seller_identity_id = {}", id.get())
        ),
        1
    );
}

#[test]
fn a_runs_ids_come_in_invoice_number_order_not_id_order() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let february = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    let mut first = for_client_2(&february, "inv_9");
    first.invoice_number = "FAC-0".to_owned();
    // A longer number comes after the shorter ones, as a seventh digit does after 999,999.
    let mut last = for_client_2(&february, "inv_0");
    last.invoice_number = "FAC-10".to_owned();
    last.period = Period::parse("2026-03").unwrap();
    tx.insert_batch(&[first, last]).expect("insert");
    let ids = tx
        .ids_for_run(&super::test_support::billing_run_id("run_1"))
        .unwrap();
    assert_eq!(
        ids.iter().collect::<Vec<_>>(),
        ["inv_9", "inv_1", "inv_2", "inv_0"]
    );
    assert!(tx
        .ids_for_run(&super::test_support::billing_run_id("run_none"))
        .unwrap()
        .is_empty());
}

/// A replacement (decision 0315) of February's invoice, made from it.
fn replacement_of(original: &Invoice, id: &str) -> Invoice {
    let mut invoice = original.clone();
    invoice.id = invoice_id(id);
    invoice.invoice_number = format!("FAC-{id}");
    invoice.replaces_invoice_id = Some(original.id.clone());
    invoice
}

#[test]
fn a_replacement_holds_its_month_beside_the_original_and_names_it() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let february = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    assert_eq!(tx.replacement_of(&february.id).unwrap(), None);
    tx.insert_batch(&[replacement_of(&february, "inv_7")])
        .unwrap();
    let stored = tx.find(&invoice_id("inv_7")).unwrap().expect("inv_7");
    assert_eq!(stored.replaces_invoice_id, Some(february.id.clone()));
    assert_eq!(
        tx.replacement_of(&february.id).unwrap(),
        Some(invoice_id("inv_7"))
    );
    let parties = tx.parties(&invoice_id("inv_7")).unwrap().expect("parties");
    let replaced = parties.replaces.expect("names the invoice replaced");
    assert_eq!(replaced.number, february.invoice_number);
    assert_eq!(replaced.issue_date, february.issue_date);
    assert!(tx
        .parties(&february.id)
        .unwrap()
        .unwrap()
        .replaces
        .is_none());
    // The month's live invoice is the replacement; the original still bars a second
    // original for the month.
    let months: Vec<String> = tx
        .billed_for_contract(
            &ContractId::from_stored("ctr_1"),
            Period::parse("2026-01").unwrap(),
        )
        .unwrap()
        .into_iter()
        .map(|i| i.invoice_number)
        .collect();
    assert_eq!(months, ["FAC-1", "FAC-inv_7"]);
    let mut again = february.clone();
    again.id = invoice_id("inv_8");
    again.invoice_number = "FAC-8".to_owned();
    assert_conflict(tx.insert_batch(&[again]), Conflict::InvoiceAlreadyIssued);
}

#[test]
fn an_invoice_is_replaced_once() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let february = tx.find(&invoice_id("inv_2")).unwrap().expect("inv_2");
    tx.insert_batch(&[replacement_of(&february, "inv_7")])
        .unwrap();
    assert_conflict(
        tx.insert_batch(&[replacement_of(&february, "inv_8")]),
        Conflict::InvoiceAlreadyReissued,
    );
}
