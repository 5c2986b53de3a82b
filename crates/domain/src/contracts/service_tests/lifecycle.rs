//! The status use case: the state machine, termination dates, offer-period closing, audit.

use std::sync::{Arc, Mutex};

use time::macros::date;
use time::Date;

use super::*;
use crate::contracts::{AuditAction, AuditEntry, StatusChange, UpdateStatus};
use crate::error::{Conflict, Error, RuleViolation};

fn update(status: &str, effective_date: Option<&str>) -> UpdateStatus {
    UpdateStatus {
        status: status.into(),
        reason: Some("client request".into()),
        effective_date: effective_date.map(str::to_owned),
    }
}

/// A unit of work holding `current`; records the saved contract, closed period end and audit.
struct Recorded {
    saved: Arc<Mutex<Option<Contract>>>,
    closed_at: Arc<Mutex<Option<Date>>>,
    audit: Arc<Mutex<Vec<AuditEntry>>>,
}

fn holding(current: Contract) -> (MockUnitOfWork, Recorded) {
    holding_with(current, open_period())
}

fn holding_with(current: Contract, open: OfferPeriod) -> (MockUnitOfWork, Recorded) {
    let mut uow = MockUnitOfWork::default();
    uow.contracts
        .expect_find_for_update()
        .returning(move |_| Ok(Some(current.clone())));
    uow.contracts
        .expect_open_offer_period()
        .returning(move |_| Ok(Some(open.clone())));
    // Suspensions and reactivations publish the contract's line.
    uow.subscribers
        .expect_find()
        .returning(|_| Ok(Some(line(LINE, CLIENT, "0612345678"))));
    let recorded = Recorded {
        saved: Arc::default(),
        closed_at: Arc::default(),
        audit: Arc::default(),
    };
    let saved = recorded.saved.clone();
    uow.contracts.expect_update().returning(move |c| {
        *saved.lock().unwrap() = Some(c.clone());
        Ok(())
    });
    let closed = recorded.closed_at.clone();
    uow.contracts
        .expect_close_offer_period()
        .returning(move |_, end| {
            *closed.lock().unwrap() = Some(end);
            Ok(())
        });
    let audit = recorded.audit.clone();
    uow.contracts.expect_append_audit().returning(move |e| {
        audit.lock().unwrap().push(e.clone());
        Ok(())
    });
    (uow, recorded)
}

#[test]
fn every_allowed_transition_is_applied_and_audited() {
    use ContractStatus::*;
    for (from, to) in [
        (Pending, Active),
        (Pending, Cancelled),
        (Active, Suspended),
        (Active, Terminated),
        (Suspended, Active),
        (Suspended, Terminated),
    ] {
        let (uow, recorded) = holding(contract(from));
        let (service, tx) = build(uow);
        let changed = service
            .update_status_as_sent(ACTOR, CONTRACT, &update(to.as_str(), None))
            .unwrap();
        assert_eq!(changed.status, to);
        assert_eq!(recorded.saved.lock().unwrap().as_ref(), Some(&changed));
        let audit = recorded.audit.lock().unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, AuditAction::StatusChanged);
        assert_eq!(audit[0].actor_id, ACTOR);
        let before = audit[0].before.clone().unwrap();
        let after = audit[0].after.clone().unwrap();
        assert!(before.contains(&("status".into(), from.as_str().into())));
        assert!(after.contains(&("status".into(), to.as_str().into())));
        assert!(after.contains(&("reason".into(), "client request".into())));
        assert_eq!(tx.commit_count(), 1);
        use crate::events::EventType as T;
        let told: &[T] = match (from, to) {
            (Pending, Active) => &[T::ContractActivated],
            (Active, Suspended) => &[T::ContractSuspended],
            (Suspended, Active) => &[T::ContractReactivated],
            (_, Terminated) => &[T::ContractTerminated],
            _ => &[],
        };
        assert_eq!(tx.recorded_types(), told, "{from:?} -> {to:?}");
    }
}

#[test]
fn every_other_transition_is_a_conflict_that_changes_nothing() {
    for from in ContractStatus::ALL {
        for to in ContractStatus::ALL {
            if from.can_move_to(to) {
                continue;
            }
            let mut uow = MockUnitOfWork::default();
            let current = contract(from);
            uow.contracts
                .expect_find_for_update()
                .returning(move |_| Ok(Some(current.clone())));
            // No update, period or audit expectation: any write would fail the test.
            let (service, tx) = build(uow);
            let error = service
                .update_status_as_sent(ACTOR, CONTRACT, &update(to.as_str(), None))
                .unwrap_err();
            assert!(
                matches!(
                    error,
                    Error::Conflict(Conflict::InvalidStatusTransition { .. })
                ),
                "{from:?} -> {to:?}"
            );
            assert_eq!(tx.rollback_count(), 1);
        }
    }
}

#[test]
fn termination_defaults_to_today_and_closes_the_period_the_day_after() {
    let (uow, recorded) = holding(contract(ContractStatus::Active));
    let (service, _) = build(uow);
    let terminated = service
        .update_status_as_sent(ACTOR, CONTRACT, &update("terminated", None))
        .unwrap();
    assert_eq!(terminated.termination_date, Some(date!(2026 - 03 - 10)));
    assert_eq!(
        *recorded.closed_at.lock().unwrap(),
        Some(date!(2026 - 03 - 11))
    );
}

#[test]
fn termination_of_a_contract_not_yet_started_defaults_to_its_first_day() {
    let mut future = contract(ContractStatus::Active);
    future.contract_start_date = date!(2026 - 04 - 01);
    let period = OfferPeriod {
        start_date: date!(2026 - 04 - 01),
        ..open_period()
    };
    let (uow, recorded) = holding_with(future, period);
    let (service, _) = build(uow);
    let terminated = service
        .update_status_as_sent(ACTOR, CONTRACT, &update("terminated", None))
        .unwrap();
    assert_eq!(terminated.termination_date, Some(date!(2026 - 04 - 01)));
    assert_eq!(
        *recorded.closed_at.lock().unwrap(),
        Some(date!(2026 - 04 - 02))
    );
}

#[test]
fn termination_on_a_given_last_day_across_a_month_end() {
    let (uow, recorded) = holding(contract(ContractStatus::Suspended));
    let (service, _) = build(uow);
    let terminated = service
        .update_status_as_sent(ACTOR, CONTRACT, &update("terminated", Some("2026-03-31")))
        .unwrap();
    assert_eq!(terminated.termination_date, Some(date!(2026 - 03 - 31)));
    assert_eq!(
        *recorded.closed_at.lock().unwrap(),
        Some(date!(2026 - 04 - 01))
    );
    let audit = recorded.audit.lock().unwrap();
    let after = audit[0].after.clone().unwrap();
    assert!(after.contains(&("termination_date".into(), "2026-03-31".into())));
}

#[test]
fn termination_before_the_current_offer_period_is_refused() {
    let (uow, recorded) = holding(contract(ContractStatus::Active));
    let (service, _) = build(uow);
    let error = service
        .update_status_as_sent(ACTOR, CONTRACT, &update("terminated", Some("2026-01-14")))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::EffectiveDateTooEarly)
    ));
    assert!(recorded.saved.lock().unwrap().is_none());
    // Its first day is a valid last day: one day of service.
    let (uow, recorded) = holding(contract(ContractStatus::Active));
    let (service, _) = build(uow);
    service
        .update_status_as_sent(ACTOR, CONTRACT, &update("terminated", Some("2026-01-15")))
        .unwrap();
    assert_eq!(
        *recorded.closed_at.lock().unwrap(),
        Some(date!(2026 - 01 - 16))
    );
}

#[test]
fn cancellation_closes_the_period_empty_without_a_termination_date() {
    let (uow, recorded) = holding(contract(ContractStatus::Pending));
    let (service, _) = build(uow);
    let cancelled = service
        .update_status_as_sent(ACTOR, CONTRACT, &update("cancelled", None))
        .unwrap();
    assert_eq!(cancelled.termination_date, None);
    assert_eq!(
        *recorded.closed_at.lock().unwrap(),
        Some(date!(2026 - 01 - 15))
    );
}

#[test]
fn a_manual_change_clears_the_dunning_mark_and_a_dunning_suspension_sets_it() {
    let mut suspended = contract(ContractStatus::Suspended);
    suspended.suspended_by_dunning = true;
    let (uow, _) = holding(suspended);
    let (service, _) = build(uow);
    let active = service
        .update_status_as_sent(ACTOR, CONTRACT, &update("active", None))
        .unwrap();
    assert!(!active.suspended_by_dunning);

    let (uow, recorded) = holding(contract(ContractStatus::Active));
    let (service, _) = build(uow);
    let change = StatusChange {
        status: ContractStatus::Suspended,
        reason: Some("dunning D+30".into()),
        effective_date: None,
        by_dunning: true,
    };
    let suspended = crate::tx::transaction(service.tx.as_ref(), |uow| {
        service.change_status_in(uow, "system", &ContractId::from_stored(CONTRACT), &change)
    })
    .unwrap();
    assert!(suspended.suspended_by_dunning);
    let (uow, _) = holding(contract(ContractStatus::Active));
    let (service, tx) = build(uow);
    crate::tx::transaction(service.tx.as_ref(), |uow| {
        service.change_status_in(uow, "system", &ContractId::from_stored(CONTRACT), &change)
    })
    .unwrap();
    let events = tx.recorded_events();
    let [event] = events.as_slice() else {
        panic!("{events:?}");
    };
    let crate::events::EventPayload::ContractSuspended(line) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(line.reason, crate::events::LineChangeReason::Dunning);
    assert_eq!(line.subscriber.service_identifier.as_str(), "+212612345678");
    assert_eq!(event.actor_id, None, "the system is no actor");
    let audit = recorded.audit.lock().unwrap();
    assert_eq!(audit[0].actor_id, "system");
    assert!(audit[0]
        .after
        .clone()
        .unwrap()
        .contains(&("suspended_by_dunning".into(), "true".into())));
}

#[test]
fn status_fields_are_validated_before_anything_is_read() {
    let (service, _) = build(MockUnitOfWork::default());
    let command = UpdateStatus {
        status: "closed".into(),
        reason: Some("x".repeat(501)),
        effective_date: Some("31/03/2026".into()),
    };
    let Error::Validation(errors) = service
        .update_status_as_sent(ACTOR, CONTRACT, &command)
        .unwrap_err()
    else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["status", "effective_date", "reason"]);
}

#[test]
fn status_and_offer_change_dates_stay_in_the_business_window() {
    // Validation fails before any transaction: the unit of work expects nothing.
    let (service, tx) = build(MockUnitOfWork::default());
    for raw in ["1999-12-31", "0000-01-01", "2027-03-12", "9999-12-31"] {
        let status =
            service.update_status_as_sent(ACTOR, CONTRACT, &update("terminated", Some(raw)));
        assert!(
            matches!(&status, Err(Error::Validation(e)) if e[0].field == "effective_date"),
            "{raw}: {status:?}"
        );
        let offer = service.update_offer_as_sent(
            ACTOR,
            CONTRACT,
            &crate::contracts::UpdateOffer {
                offer_id: "ofr_1".into(),
                effective_date: Some(raw.into()),
            },
        );
        assert!(
            matches!(&offer, Err(Error::Validation(e)) if e[0].field == "effective_date"),
            "{raw}: {offer:?}"
        );
    }
    assert_eq!(tx.rollback_count() + tx.commit_count(), 0);
}
