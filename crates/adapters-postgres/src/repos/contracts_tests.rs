//! `ContractRepository` against PostgreSQL: each error its trait documents, the row lock of
//! `find_for_update`, and the offer periods and documents it keeps.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::contracts::{AuditAction, AuditEntry, ContractRepository, ContractStatus};
use domain::error::{Conflict, Resource};
use domain::typed_ids::AuditEntryId;
use time::macros::date;
use time::Duration;

use super::test_support::{
    actor_id, assert_conflict, assert_not_found, assert_storage, at, begin, client_id, contract_id,
    count, end, impatient, offer_id, seeded, subscriber_id,
};
use crate::tx::PgTx;

#[test]
fn a_second_live_contract_on_a_line_is_service_identifier_in_use() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut second = tx.find(&contract_id("ctr_1")).unwrap().expect("contract 1");
    second.id = contract_id("ctr_9");
    second.contract_number = "CTR-9".to_owned();
    assert_conflict(tx.insert(&second), Conflict::ServiceIdentifierInUse);
    assert_eq!(count(&mut conn, "contracts", "id = 'ctr_9'"), 0);
}

#[test]
fn a_new_contract_on_a_line_whose_contract_ended_is_inserted() {
    let (_db, mut conn) = seeded();
    conn.batch_execute("UPDATE contracts SET status = 'terminated' WHERE id = 'ctr_1'")
        .expect("end contract 1");
    let mut tx = PgTx::new(&mut conn);
    let mut next = tx.find(&contract_id("ctr_1")).unwrap().expect("contract 1");
    next.id = contract_id("ctr_9");
    next.contract_number = "CTR-9".to_owned();
    next.status = ContractStatus::Active;
    tx.insert(&next).expect("insert");
    assert_eq!(
        tx.live_for_subscriber(&subscriber_id("sub_1")).unwrap(),
        Some(next)
    );
}

#[test]
fn updating_an_absent_contract_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find(&contract_id("ctr_2")).unwrap().expect("contract 2");
    ghost.id = contract_id("ctr_9");
    assert_not_found(tx.update(&ghost), Resource::Contract);
}

#[test]
fn reviving_an_ended_contract_on_a_line_with_a_live_one_is_service_identifier_in_use() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id,
             service_type, status, contract_start_date, commitment_months, commitment_end_date,
             monthly_price, currency, tax_rate_bp, termination_date, created_at, updated_at)
         VALUES ('ctr_0', 'CTR-0', 'cli_1', 'sub_1', 'ofr_A', 'mobile', 'terminated',
             DATE '2025-01-01', 12, DATE '2026-01-01', 9900, 'MAD', 2000, DATE '2025-12-31',
             now(), now())",
    )
    .expect("an ended contract on line 1");
    let mut tx = PgTx::new(&mut conn);
    let mut revived = tx.find(&contract_id("ctr_0")).unwrap().expect("contract 0");
    revived.status = ContractStatus::Active;
    revived.termination_date = None;
    assert_conflict(tx.update(&revived), Conflict::ServiceIdentifierInUse);
}

#[test]
fn a_contract_found_for_update_stays_locked_until_the_transaction_ends() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    PgTx::new(&mut conn)
        .find_for_update(&contract_id("ctr_1"))
        .unwrap()
        .expect("contract 1");
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).find_for_update(&contract_id("ctr_1")));
    end(&mut conn);
    let mut after = impatient(&db);
    assert!(PgTx::new(&mut after)
        .find_for_update(&contract_id("ctr_1"))
        .unwrap()
        .is_some());
}

#[test]
fn any_for_offer_sees_past_periods_too() {
    let (_db, mut conn) = seeded();
    assert!(!PgTx::new(&mut conn)
        .any_for_offer(&offer_id("ofr_B"))
        .unwrap());
    conn.batch_execute(
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp,
             start_date, end_date, created_at)
         VALUES ('ctr_2', 'ofr_B', 4900, 2000, DATE '2025-06-01', DATE '2026-01-01', now())",
    )
    .expect("a past period on offer B");
    assert!(PgTx::new(&mut conn)
        .any_for_offer(&offer_id("ofr_B"))
        .unwrap());
}

#[test]
fn closing_when_no_period_is_open_changes_nothing() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.close_offer_period(&contract_id("ctr_1"), date!(2026 - 03 - 01))
        .expect("close");
    assert_eq!(
        tx.open_offer_period(&contract_id("ctr_1")).unwrap(),
        None,
        "the open period is closed"
    );
    let periods = tx.offer_periods(&contract_id("ctr_1")).unwrap();
    tx.close_offer_period(&contract_id("ctr_1"), date!(2026 - 04 - 01))
        .expect("close again");
    assert_eq!(tx.offer_periods(&contract_id("ctr_1")).unwrap(), periods);
    assert_eq!(periods[0].end_date, Some(date!(2026 - 03 - 01)));
}

#[test]
fn storing_a_document_version_twice_is_a_storage_fault_and_keeps_the_first() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.insert_document(&contract_id("ctr_1"), 1, b"first", at())
        .expect("first");
    assert_storage(tx.insert_document(&contract_id("ctr_1"), 1, b"second", at()));
    assert_eq!(
        tx.document(&contract_id("ctr_1"), 1).unwrap(),
        Some(b"first".to_vec())
    );
    assert_eq!(tx.document(&contract_id("ctr_1"), 2).unwrap(), None);
}

#[test]
fn a_contract_keeps_its_client() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut moved = tx.find(&contract_id("ctr_2")).unwrap().expect("contract 2");
    moved.client_id = client_id("cli_3");
    moved.subscriber_id = subscriber_id("sub_3");
    // Invoices name the contract's client: the integrity triggers refuse the change.
    assert_storage(tx.update(&moved));
    assert_eq!(
        count(
            &mut conn,
            "contracts",
            "id = 'ctr_2' AND client_id = 'cli_2'"
        ),
        1
    );
}

#[test]
fn the_audit_trail_is_oldest_first_then_by_id() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let entry = |id: &str, minutes: i64| AuditEntry {
        id: AuditEntryId::from_stored(id),
        contract_id: contract_id("ctr_1"),
        at: at() + Duration::minutes(minutes),
        actor_id: actor_id("act_1").to_string(),
        action: AuditAction::Created,
        before: None,
        after: None,
    };
    for (id, minutes) in [("aud_3", 0), ("aud_1", 5), ("aud_2", 0)] {
        tx.append_audit(&entry(id, minutes)).expect("append");
    }
    let ids: Vec<String> = tx
        .audit_trail(&contract_id("ctr_1"))
        .unwrap()
        .into_iter()
        .map(|e| e.id.to_string())
        .collect();
    assert_eq!(ids, ["aud_2", "aud_3", "aud_1"]);
}

#[test]
fn a_pending_charge_needs_its_contract_and_invoice() {
    use domain::billing::PendingCharge;
    use domain::money::Money;
    use domain::typed_ids::{InvoiceId, OfferId, PendingChargeId};
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let charge = PendingCharge {
        id: PendingChargeId::from_stored("pch_1"),
        contract_id: contract_id("ctr_missing"),
        regularised_invoice_id: InvoiceId::from_stored("inv_1"),
        description: "Régularisation".into(),
        offer_id: OfferId::from_stored("ofr_A"),
        start_date: date!(2026 - 01 - 10),
        end_date: date!(2026 - 01 - 31),
        days: 22,
        monthly_price: Money::from_stored(9_900),
        amount_excl_tax: Money::from_stored(7_026),
        tax_rate_bp: 2000,
        created_at: at(),
    };
    assert_storage(tx.insert_pending_charges(std::slice::from_ref(&charge)));
}
