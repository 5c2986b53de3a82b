//! `CollectionRepository` against PostgreSQL: one live case per client, each dunning step
//! recorded once, and the row locks of the `…_for_update` reads.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::collections::{CaseAction, CaseStatus, CollectionRepository, Promise};
use domain::money::Money;
use domain::typed_ids::{ClientId, CreditNoteId};
use time::macros::{date, datetime};
use time::UtcOffset;

use super::test_support::{
    actor_id, assert_storage, at, begin, case_action_id, case_id, count, end, impatient,
    invoice_id, seeded,
};
use crate::tx::PgTx;

fn step(id: &str, dunning_step: Option<&str>) -> CaseAction {
    CaseAction {
        id: case_action_id(id),
        case_id: case_id("case_1"),
        action_type: "reminder".to_owned(),
        note: None,
        automatic: true,
        actor_id: actor_id("act_1").to_string(),
        dunning_step: dunning_step.map(str::to_owned),
        at: at(),
    }
}

#[test]
fn a_second_live_case_of_a_client_is_not_inserted() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut second = tx
        .find_for_update(&case_id("case_1"))
        .unwrap()
        .expect("case");
    second.id = case_id("case_2");
    assert!(!tx.insert_case(&second).unwrap());
    assert_eq!(count(&mut conn, "collection_cases", "id = 'case_2'"), 0);
}

#[test]
fn a_case_is_inserted_once_the_live_one_has_ended() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut first = tx
        .find_for_update(&case_id("case_1"))
        .unwrap()
        .expect("case");
    first.status = CaseStatus::Resolved;
    first.resolved_at = Some(at());
    tx.update_case(&first).expect("resolve");
    assert_eq!(
        tx.last_case_end(&ClientId::from_stored("cli_1")).unwrap(),
        Some(at())
    );
    let mut second = first.clone();
    second.id = case_id("case_2");
    second.status = CaseStatus::Open;
    second.resolved_at = None;
    assert!(tx.insert_case(&second).unwrap());
    let live = tx
        .live_case_for_update(&ClientId::from_stored("cli_1"))
        .unwrap()
        .expect("live case");
    assert_eq!(live.id, case_id("case_2"));
}

#[test]
fn a_dunning_step_is_recorded_once_per_case() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert!(tx.insert_action(&step("cac_1", Some("d1"))).unwrap());
    assert!(!tx.insert_action(&step("cac_2", Some("d1"))).unwrap());
    assert!(tx.insert_action(&step("cac_3", Some("d2"))).unwrap());
    // Manual actions carry no step and are never deduplicated.
    assert!(tx.insert_action(&step("cac_4", None)).unwrap());
    assert!(tx.insert_action(&step("cac_5", None)).unwrap());
    let ids: Vec<_> = tx
        .actions(&case_id("case_1"))
        .unwrap()
        .into_iter()
        .map(|action| action.id)
        .collect();
    assert_eq!(ids.len(), 4);
    assert!(!ids.contains(&case_action_id("cac_2")));
}

#[test]
fn a_case_found_for_update_stays_locked_until_the_transaction_ends() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    PgTx::new(&mut conn)
        .find_for_update(&case_id("case_1"))
        .unwrap()
        .expect("case");
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).live_case_for_update(&ClientId::from_stored("cli_1")));
    end(&mut conn);
    let mut after = impatient(&db);
    assert!(PgTx::new(&mut after)
        .live_case_for_update(&ClientId::from_stored("cli_1"))
        .unwrap()
        .is_some());
}

#[test]
fn overdue_invoices_come_by_due_date_then_id() {
    let (_db, mut conn) = seeded();
    let ids: Vec<_> = PgTx::new(&mut conn)
        .overdue_invoices(&ClientId::from_stored("cli_1"), date!(2026 - 06 - 01))
        .unwrap()
        .into_iter()
        .map(|invoice| invoice.id)
        .collect();
    assert_eq!(ids, [invoice_id("inv_2"), invoice_id("inv_1")]);
    assert!(PgTx::new(&mut conn)
        .overdue_invoices(&ClientId::from_stored("cli_1"), date!(2026 - 03 - 16))
        .unwrap()
        .is_empty());
}

#[test]
fn the_last_dunning_run_keeps_the_latest_completion() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(tx.last_dunning_run().unwrap(), None);
    tx.record_dunning_run(datetime!(2026-03-10 01:00 UTC))
        .unwrap();
    // An instance that finished earlier reports after: the later instant stays.
    tx.record_dunning_run(datetime!(2026-03-10 00:59 UTC))
        .unwrap();
    assert_eq!(
        tx.last_dunning_run().unwrap(),
        Some(datetime!(2026-03-10 01:00 UTC))
    );
    tx.record_dunning_run(datetime!(2026-03-11 01:00 UTC))
        .unwrap();
    assert_eq!(
        tx.last_dunning_run().unwrap(),
        Some(datetime!(2026-03-11 01:00 UTC))
    );
    assert_eq!(count(&mut conn, "dunning_last_run", "TRUE"), 1);
}

#[test]
fn morocco_is_utc_plus_one_except_during_ramadan_and_an_unknown_zone_is_a_storage_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let offset = |tx: &mut PgTx<'_>, at| tx.utc_offset("Africa/Casablanca", at).unwrap();
    assert_eq!(
        offset(&mut tx, datetime!(2026-01-10 12:00 UTC)),
        UtcOffset::from_hms(1, 0, 0).unwrap()
    );
    // Ramadan 2026 (tz database: UTC+0 from 15 February to 22 March).
    assert_eq!(
        offset(&mut tx, datetime!(2026-03-01 12:00 UTC)),
        UtcOffset::UTC
    );
    assert_eq!(
        offset(&mut tx, datetime!(2026-04-01 12:00 UTC)),
        UtcOffset::from_hms(1, 0, 0).unwrap()
    );
    assert_storage(tx.utc_offset("Mars/Olympus_Mons", datetime!(2026-01-10 12:00 UTC)));
}

#[test]
fn a_dispute_holds_its_invoices_until_closed_and_an_invoice_is_in_one_open_dispute() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let case = case_id("case_1");
    tx.open_dispute(&case, &[invoice_id("inv_2"), invoice_id("inv_1")], at())
        .unwrap();
    assert_eq!(
        tx.disputed_invoice_ids(&case).unwrap(),
        [invoice_id("inv_1"), invoice_id("inv_2")]
    );
    // `case_disputed_invoices_open`: one open dispute per invoice.
    assert_storage(tx.open_dispute(&case, &[invoice_id("inv_1")], at()));
    // Only an upheld dispute names a credit note.
    assert_storage(tx.close_dispute(
        &case,
        at(),
        "rejected",
        Some(CreditNoteId::from_stored("cn_1")),
    ));
    let mut closed = tx.close_dispute(&case, at(), "rejected", None).unwrap();
    closed.sort();
    assert_eq!(closed, [invoice_id("inv_1"), invoice_id("inv_2")]);
    assert!(tx.disputed_invoice_ids(&case).unwrap().is_empty());
    assert!(tx
        .close_dispute(&case, at(), "rejected", None)
        .unwrap()
        .is_empty());
    tx.open_dispute(&case, &[invoice_id("inv_1")], at())
        .unwrap();
    assert_eq!(
        count(&mut conn, "case_disputed_invoices", "closed_at IS NULL"),
        1
    );
}

#[test]
fn a_promise_and_the_ladder_shift_are_saved_with_the_case() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let client = ClientId::from_stored("cli_1");
    assert_eq!(tx.settled_total(&client).unwrap(), Money::ZERO);
    let mut case = tx
        .find_for_update(&case_id("case_1"))
        .unwrap()
        .expect("case");
    let promise = Promise {
        date: date!(2026 - 05 - 10),
        amount: Money::from_stored(5_000),
        made_at: at(),
        settled_before: Money::from_stored(1_000),
    };
    case.status = CaseStatus::PromiseToPay;
    case.promise = Some(promise);
    case.ladder_shift_days = 12;
    tx.update_case(&case).unwrap();
    let saved = tx
        .find(&case_id("case_1"), date!(2026 - 06 - 01))
        .unwrap()
        .expect("case");
    assert_eq!(saved.promise, Some(promise));
    assert_eq!(saved.ladder_shift_days, 12);
    assert_eq!(saved.status, CaseStatus::PromiseToPay);
    diesel::RunQueryDsl::execute(
        diesel::sql_query("UPDATE invoices SET amount_paid = 300, credited_amount = 200"),
        &mut conn,
    )
    .unwrap();
    assert_eq!(
        PgTx::new(&mut conn).settled_total(&client).unwrap(),
        Money::from_stored(1_000)
    );
    // A half-written promise is refused by the table.
    assert!(diesel::RunQueryDsl::execute(
        diesel::sql_query("UPDATE collection_cases SET promised_amount = NULL"),
        &mut conn,
    )
    .is_err());
}
