//! `OfferRepository` against PostgreSQL: each error its trait documents.

#![allow(clippy::expect_used, clippy::unwrap_used)]

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
