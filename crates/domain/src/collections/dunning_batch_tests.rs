//! Unit tests of a dunning batch (decision 0330) against mocked ports: the batch acts only
//! on what its own inserts won, and hands the rare cases to the per-client path.

use time::macros::date;

use super::service_tests::{case, invoice, services, CASE, CLIENT, OTHER};
use super::*;
use crate::events::{EventPayload, EventType};
use crate::testing::MockUnitOfWork;
use crate::tx::transaction;
use crate::typed_ids::{CaseId, ClientId};

/// The run's day: the clock of `services` reads 2026-03-10.
const AS_OF: time::Date = date!(2026 - 03 - 10);

fn both() -> Vec<ClientId> {
    vec![ClientId::from_stored(CLIENT), ClientId::from_stored(OTHER)]
}

/// Nothing recorded about ended cases or credit for any client of the batch.
fn no_history(uow: &mut MockUnitOfWork) {
    uow.collections
        .expect_last_case_ends()
        .returning(|_| Ok(Vec::new()));
    uow.collections
        .expect_credits_available()
        .returning(|_| Ok(Vec::new()));
}

#[test]
fn a_batch_climbs_only_the_cases_its_insert_opened_and_suspends_after_its_own_step() {
    let mut uow = MockUnitOfWork::default();
    // Both clients are 40 days past due and have no case.
    uow.collections
        .expect_lock_overdue_invoices()
        .returning(|_, _| {
            Ok(vec![
                invoice(CLIENT, date!(2026 - 01 - 29), 6_000, 0),
                invoice(OTHER, date!(2026 - 01 - 29), 6_000, 0),
            ])
        });
    uow.collections
        .expect_live_cases_for_update()
        .returning(|_| Ok(Vec::new()));
    no_history(&mut uow);
    // Another instance opened OTHER's case first: only CLIENT's insert wins. Both are
    // written at the level their steps reach (40 days: suspension, 3), not updated after.
    uow.collections
        .expect_insert_cases()
        .withf(|cases| cases.len() == 2 && cases.iter().all(|c| c.dunning_level == 3))
        .times(1)
        .returning(|cases| {
            Ok(cases
                .iter()
                .filter(|c| c.client_id.as_str() == CLIENT)
                .map(|c| c.id.clone())
                .collect())
        });
    // Opening plus three steps, all for CLIENT's case, all inserted.
    uow.collections
        .expect_insert_actions()
        .withf(|actions| actions.len() == 4)
        .times(1)
        .returning(|actions| Ok(actions.iter().map(|a| a.id.clone()).collect()));
    uow.contracts
        .expect_suspend_active_for_dunning()
        .withf(|clients, _| clients == [ClientId::from_stored(CLIENT)])
        .times(1)
        .returning(|_, _| Ok(Vec::new()));
    // The case opened here already holds its level: nothing to update.
    uow.collections
        .expect_set_dunning_levels()
        .withf(|levels, _| levels.is_empty())
        .times(1)
        .returning(|_, _| Ok(()));
    let (tx, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let report = transaction(ports.tx.as_ref(), |uow| {
        dunning.run_batch_in(uow, &both(), AS_OF)
    })
    .unwrap();
    assert_eq!(report.cases_opened, 1);
    assert_eq!(report.actions_recorded, 3);
    let types: Vec<EventType> = tx
        .recorded_events()
        .iter()
        .map(|e| e.event_type())
        .collect();
    assert_eq!(
        types,
        [
            EventType::CollectionCaseOpened,
            EventType::CollectionCaseStepTaken,
            EventType::CollectionCaseStepTaken,
            EventType::CollectionCaseStepTaken,
        ]
    );
    let events = tx.recorded_events();
    // The opening is published as it happened, before any step.
    let EventPayload::CollectionCaseOpened(opened) = &events[0].payload else {
        panic!("{:?}", events[0].payload);
    };
    assert_eq!(opened.dunning_level, 0);
    let EventPayload::CollectionCaseStepTaken(after, action) = &events[3].payload else {
        panic!("{:?}", events[3].payload);
    };
    assert_eq!(action.action_type, "suspension");
    assert_eq!(after.dunning_level, 3);
    assert_eq!(
        after.overdue_amount,
        crate::money::Money::from_stored(6_000)
    );
}

#[test]
fn steps_another_instance_recorded_suspend_nothing_and_publish_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_lock_overdue_invoices()
        .returning(|_, _| Ok(vec![invoice(CLIENT, date!(2026 - 01 - 29), 6_000, 0)]));
    uow.collections
        .expect_live_cases_for_update()
        .returning(|_| Ok(vec![case(CaseStatus::InProgress, 2)]));
    no_history(&mut uow);
    uow.collections
        .expect_insert_cases()
        .withf(|cases| cases.is_empty())
        .returning(|_| Ok(Vec::new()));
    uow.collections
        .expect_insert_actions()
        .withf(|actions| actions.len() == 3)
        .returning(|_| Ok(Vec::new()));
    uow.contracts
        .expect_suspend_active_for_dunning()
        .withf(|clients, _| clients.is_empty())
        .returning(|_, _| Ok(Vec::new()));
    // The level follows the steps reached, recorded by whichever instance, as per client.
    uow.collections
        .expect_set_dunning_levels()
        .withf(|levels, _| levels == [(CaseId::from_stored(CASE), 3)])
        .times(1)
        .returning(|_, _| Ok(()));
    let (tx, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let clients = [ClientId::from_stored(CLIENT)];
    let report = transaction(ports.tx.as_ref(), |uow| {
        dunning.run_batch_in(uow, &clients, AS_OF)
    })
    .unwrap();
    assert_eq!(report, DunningReport::empty(AS_OF));
    assert!(tx.recorded_events().is_empty());
}

#[test]
fn a_client_with_nothing_overdue_is_settled_by_the_per_client_path() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_lock_overdue_invoices()
        .returning(|_, _| Ok(Vec::new()));
    uow.collections
        .expect_live_cases_for_update()
        .returning(|_| Ok(vec![case(CaseStatus::Open, 3)]));
    no_history(&mut uow);
    // The per-client path re-reads under the locks the batch holds and resolves the case.
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::Open, 3))));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(Vec::new()));
    uow.collections
        .expect_update_case()
        .withf(|c| c.status == CaseStatus::Resolved)
        .times(1)
        .returning(|_| Ok(()));
    uow.collections
        .expect_insert_action()
        .withf(|a| a.action_type == CASE_RESOLVED)
        .times(1)
        .returning(|_| Ok(true));
    uow.collections
        .expect_dunning_suspended_contract_ids()
        .returning(|_| Ok(Vec::new()));
    uow.collections
        .expect_insert_cases()
        .returning(|_| Ok(Vec::new()));
    uow.collections
        .expect_insert_actions()
        .withf(|actions| actions.is_empty())
        .returning(|_| Ok(Vec::new()));
    uow.contracts
        .expect_suspend_active_for_dunning()
        .returning(|_, _| Ok(Vec::new()));
    uow.collections
        .expect_set_dunning_levels()
        .withf(|levels, _| levels.is_empty())
        .returning(|_, _| Ok(()));
    let (tx, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let clients = [ClientId::from_stored(CLIENT)];
    let report = transaction(ports.tx.as_ref(), |uow| {
        dunning.run_batch_in(uow, &clients, AS_OF)
    })
    .unwrap();
    assert_eq!(report.cases_resolved, 1);
    assert_eq!(
        tx.recorded_events()
            .iter()
            .map(|e| e.event_type())
            .collect::<Vec<_>>(),
        [EventType::CollectionCaseResolved]
    );
}
