//! The batch statements of dunning (decision 0330) against PostgreSQL: the conflicts of the
//! multi-row inserts, the locks of the batch reads, the suspension `UPDATE`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::billing::InvoiceRepository;
use domain::clients::SubscriberRepository;
use domain::collections::{CaseAction, CaseStatus, CollectionRepository, Promise};
use domain::contracts::{ContractRepository, ContractStatus};
use domain::money::Money;
use domain::settings::DunningLadder;
use domain::typed_ids::{ClientId, SubscriberId};
use time::macros::date;

use super::test_support::{
    actor_id, assert_storage, at, begin, case_action_id, case_id, count, end, impatient,
    invoice_id, seeded,
};
use crate::tx::PgTx;

fn clients(ids: &[&str]) -> Vec<ClientId> {
    ids.iter().map(|id| ClientId::from_stored(*id)).collect()
}

fn action(id: &str, dunning_step: Option<&str>) -> CaseAction {
    CaseAction {
        id: case_action_id(id),
        case_id: case_id("case_1"),
        action_type: "reminder_sms".to_owned(),
        note: None,
        automatic: true,
        actor_id: actor_id("act_1").to_string(),
        dunning_step: dunning_step.map(str::to_owned),
        at: at(),
    }
}

#[test]
fn cases_inserted_together_skip_the_clients_that_have_a_live_case() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let live = CollectionRepository::find_for_update(&mut tx, &case_id("case_1"))
        .unwrap()
        .unwrap();
    let mut again = live.clone();
    again.id = case_id("case_2");
    let mut other = live.clone();
    other.id = case_id("case_3");
    other.client_id = ClientId::from_stored("cli_2");
    let inserted = tx.insert_cases(&[again, other]).unwrap();
    assert_eq!(inserted, [case_id("case_3")]);
    assert_eq!(count(&mut conn, "collection_cases", "id = 'case_2'"), 0);
}

#[test]
fn actions_inserted_together_skip_a_step_already_recorded() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert!(tx
        .insert_action(&action("cac_1", Some("reminder_sms")))
        .unwrap());
    let inserted = tx
        .insert_actions(&[
            action("cac_2", Some("reminder_sms")),
            action("cac_3", Some("second_reminder")),
            action("cac_4", None),
        ])
        .unwrap();
    assert_eq!(inserted, [case_action_id("cac_3"), case_action_id("cac_4")]);
}

#[test]
fn cases_and_actions_go_in_whole_with_every_field_and_beyond_one_statements_old_limit() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let live = CollectionRepository::find_for_update(&mut tx, &case_id("case_1"))
        .unwrap()
        .unwrap();
    // Every column of the arrays, the nullable ones set: client 2's case with a promise.
    let mut promised = live.clone();
    promised.id = case_id("case_2");
    promised.client_id = ClientId::from_stored("cli_2");
    promised.status = CaseStatus::PromiseToPay;
    promised.dunning_level = 3;
    promised.ladder_shift_days = 7;
    promised.promise = Some(Promise {
        date: date!(2026 - 05 - 10),
        amount: Money::from_stored(5_000),
        made_at: at(),
        settled_before: Money::from_stored(1_000),
    });
    assert_eq!(
        tx.insert_cases(std::slice::from_ref(&promised)).unwrap(),
        [case_id("case_2")]
    );
    let saved = CollectionRepository::find(&mut tx, &case_id("case_2"), date!(2026 - 06 - 01))
        .unwrap()
        .expect("case 2");
    assert_eq!(saved.promise, promised.promise);
    assert_eq!(
        (saved.status, saved.dunning_level, saved.ladder_shift_days),
        (CaseStatus::PromiseToPay, 3, 7)
    );
    // More rows than the 2,000 a multi-row insert took before, in one call, in their order.
    let many: Vec<CaseAction> = (0..2_500)
        .map(|i| {
            let mut a = action(&format!("cac_{i:05}"), None);
            a.note = (i % 2 == 0).then(|| format!("note {i}"));
            a
        })
        .collect();
    let inserted = tx.insert_actions(&many).unwrap();
    assert_eq!(
        inserted,
        many.iter().map(|a| a.id.clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        count(
            &mut conn,
            "case_actions",
            "note IS NULL AND dunning_step IS NULL"
        ),
        1_250
    );
    assert_eq!(count(&mut conn, "case_actions", "note = 'note 2498'"), 1);
}

#[test]
fn the_batch_locks_the_overdue_invoices_then_the_live_cases() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    let mut tx = PgTx::new(&mut conn);
    let locked: Vec<_> = tx
        .lock_overdue_invoices(&clients(&["cli_1", "cli_2"]), date!(2026 - 06 - 01))
        .unwrap()
        .into_iter()
        .map(|invoice| invoice.id)
        .collect();
    // The payments' order: due date, then id.
    assert_eq!(locked, [invoice_id("inv_2"), invoice_id("inv_1")]);
    let cases = tx
        .live_cases_for_update(&clients(&["cli_1", "cli_2"]))
        .unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].status, CaseStatus::Open);
    let mut payment = impatient(&db);
    assert_storage(PgTx::new(&mut payment).lock_open_invoices(&clients(&["cli_1"])));
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).live_case_for_update(&ClientId::from_stored("cli_1")));
    end(&mut conn);
}

#[test]
fn levels_ends_and_credits_are_read_and_written_for_the_whole_batch() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.set_dunning_levels(&[(case_id("case_1"), 3)], at())
        .unwrap();
    let case = CollectionRepository::find_for_update(&mut tx, &case_id("case_1"))
        .unwrap()
        .unwrap();
    assert_eq!((case.dunning_level, case.updated_at), (3, at()));
    assert!(tx.last_case_ends(&clients(&["cli_1"])).unwrap().is_empty());
    let mut ended = case.clone();
    ended.status = CaseStatus::Resolved;
    ended.resolved_at = Some(at());
    tx.update_case(&ended).unwrap();
    assert_eq!(
        tx.last_case_ends(&clients(&["cli_1", "cli_2"])).unwrap(),
        [(ClientId::from_stored("cli_1"), at())]
    );
    assert!(tx
        .credits_available(&clients(&["cli_1"]))
        .unwrap()
        .is_empty());
}

#[test]
fn the_candidates_leave_out_a_case_whose_ladder_has_nothing_new() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let ladder = DunningLadder::default();
    // inv_2 is due 2026-03-16: at D+5 the open case of level 0 owes a reminder.
    let day = date!(2026 - 03 - 21);
    assert_eq!(
        tx.dunning_candidates(day, &ladder).unwrap(),
        clients(&["cli_1"])
    );
    tx.set_dunning_levels(&[(case_id("case_1"), 1)], at())
        .unwrap();
    assert!(tx.dunning_candidates(day, &ladder).unwrap().is_empty());
    // At D+15 the second reminder is due.
    assert_eq!(
        tx.dunning_candidates(date!(2026 - 03 - 31), &ladder)
            .unwrap(),
        clients(&["cli_1"])
    );
    // A ladder that does not climb strictly keeps every live case a candidate.
    let flat = DunningLadder {
        second_reminder_days: 1,
        ..ladder
    };
    assert_eq!(
        tx.dunning_candidates(day, &flat).unwrap(),
        clients(&["cli_1"])
    );
}

#[test]
fn dunning_suspends_only_the_active_contracts_of_its_clients() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let suspended = tx
        .suspend_active_for_dunning(&clients(&["cli_1", "cli_3"]), at())
        .unwrap();
    assert_eq!(suspended.len(), 1);
    assert_eq!(suspended[0].status, ContractStatus::Suspended);
    assert!(suspended[0].suspended_by_dunning);
    assert_eq!(suspended[0].updated_at, at());
    assert!(tx
        .suspend_active_for_dunning(&clients(&["cli_1"]), at())
        .unwrap()
        .is_empty());
    assert_eq!(count(&mut conn, "contracts", "status = 'active'"), 1);
    let lines = PgTx::new(&mut conn)
        .find_many(&[
            SubscriberId::from_stored("sub_1"),
            SubscriberId::from_stored("sub_9"),
        ])
        .unwrap();
    assert_eq!(lines.len(), 1);
}
