//! `OfferRepository` against PostgreSQL: each error its trait documents.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::catalog::{OfferCode, OfferRepository};
use domain::error::{Conflict, Resource};

use super::test_support::{assert_conflict, assert_not_found, count, offer_id, seeded};
use crate::tx::PgTx;

#[test]
fn inserting_an_offer_with_a_taken_code_is_offer_code_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut copy = tx.find(&offer_id("ofr_A")).unwrap().expect("offer A");
    copy.id = offer_id("ofr_C");
    assert_conflict(tx.insert(&copy), Conflict::OfferCodeExists);
    assert_eq!(count(&mut conn, "offers", "id = 'ofr_C'"), 0);
}

#[test]
fn an_offer_with_a_new_code_is_inserted_and_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut copy = tx.find(&offer_id("ofr_A")).unwrap().expect("offer A");
    copy.id = offer_id("ofr_C");
    copy.code = OfferCode::parse("OFFRE-C").unwrap();
    tx.insert(&copy).expect("insert");
    assert_eq!(tx.find(&offer_id("ofr_C")).unwrap(), Some(copy));
}

#[test]
fn updating_an_absent_offer_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find(&offer_id("ofr_B")).unwrap().expect("offer B");
    ghost.id = offer_id("ofr_Z");
    ghost.code = OfferCode::parse("OFFRE-Z").unwrap();
    assert_not_found(tx.update(&ghost), Resource::Offer);
}

#[test]
fn updating_an_offer_to_another_offers_code_is_offer_code_exists() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut offer = tx.find(&offer_id("ofr_B")).unwrap().expect("offer B");
    offer.code = OfferCode::parse("OFFRE-A").unwrap();
    assert_conflict(tx.update(&offer), Conflict::OfferCodeExists);
    let stored = tx.find(&offer_id("ofr_B")).unwrap().expect("offer B");
    assert_eq!(stored.code.as_str(), "OFFRE-B");
}

#[test]
fn deleting_an_absent_offer_is_not_found() {
    let (_db, mut conn) = seeded();
    assert_not_found(
        PgTx::new(&mut conn).delete(&offer_id("ofr_Z")),
        Resource::Offer,
    );
}

#[test]
fn deleting_an_offer_a_contract_references_is_offer_delete_blocked() {
    let (_db, mut conn) = seeded();
    assert_conflict(
        PgTx::new(&mut conn).delete(&offer_id("ofr_A")),
        Conflict::OfferDeleteBlocked,
    );
    assert_eq!(count(&mut conn, "offers", "id = 'ofr_A'"), 1);
}

#[test]
fn an_offer_without_references_is_deleted() {
    let (_db, mut conn) = seeded();
    PgTx::new(&mut conn)
        .delete(&offer_id("ofr_B"))
        .expect("delete");
    assert_eq!(count(&mut conn, "offers", "id = 'ofr_B'"), 0);
}

#[test]
fn deleting_an_offer_only_an_invoice_names_is_offer_delete_blocked() {
    let (_db, mut conn) = seeded();
    // Invoices keep their offer through a trigger, not a foreign key (decision 0094).
    conn.batch_execute(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id,
             offer_id, service_type, period, issue_date, due_date, status, total_excl_tax,
             total_tax, total_incl_tax, currency, created_at, updated_at, buyer_name,
             service_identifier, seller_identity_id)
         VALUES ('inv_3', 'FAC-3', 'run_1', 'cli_1', 'ctr_1', 'ofr_B', 'mobile', '2026-03',
             DATE '2026-04-01', DATE '2026-04-16', 'issued', 4900, 980, 5880, 'MAD', now(),
             now(), 'Amal Un', '+212600000001', 100)",
    )
    .expect("an invoice naming offer B");
    assert_conflict(
        PgTx::new(&mut conn).delete(&offer_id("ofr_B")),
        Conflict::OfferDeleteBlocked,
    );
    assert_eq!(count(&mut conn, "offers", "id = 'ofr_B'"), 1);
}
