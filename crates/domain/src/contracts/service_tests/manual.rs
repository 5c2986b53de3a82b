//! The manual path (P5): ownership, service type and initial status of explicit ids.

use time::macros::date;

use super::provision::expect_storage;
use super::*;
use crate::contracts::NewContract;
use crate::error::{Error, RuleViolation};

fn manual(status: Option<&str>) -> NewContract {
    NewContract {
        client_id: CLIENT.into(),
        subscriber_id: LINE.into(),
        offer_id: OFFER.into(),
        contract_start_date: "2026-03-31".into(),
        commitment_months: Some(24),
        status: status.map(str::to_owned),
    }
}

fn manual_uow(owner: &str, service_type: ServiceType) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(move |_| Ok(Some(offer(OFFER, service_type, 9_900))));
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(client(CLIENT))));
    let owner = owner.to_owned();
    uow.subscribers
        .expect_find()
        .returning(move |_| Ok(Some(line(LINE, &owner, "0612300000"))));
    uow
}

#[test]
fn the_manual_path_creates_a_pending_contract_on_the_clients_line() {
    let mut uow = manual_uow(CLIENT, ServiceType::Mobile);
    expect_storage(&mut uow);
    let (service, _) = build(uow);
    let contract = service.create(ACTOR, &manual(Some("pending"))).unwrap();
    assert_eq!(contract.status, ContractStatus::Pending);
    assert_eq!(contract.commitment_months, 24);
    assert_eq!(contract.commitment_end_date, date!(2028 - 03 - 31));
}

#[test]
fn the_manual_path_checks_ownership_service_type_and_initial_status() {
    let (service, _) = build(manual_uow(OTHER_CLIENT, ServiceType::Mobile));
    let error = service.create(ACTOR, &manual(None)).unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::SubscriberNotOwned)
    ));

    let (service, _) = build(manual_uow(CLIENT, ServiceType::Internet));
    let error = service.create(ACTOR, &manual(None)).unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::ServiceTypeMismatch)
    ));

    for status in ["terminated", "suspended", "cancelled", "open"] {
        let (service, _) = build(manual_uow(CLIENT, ServiceType::Mobile));
        let Error::Validation(errors) = service.create(ACTOR, &manual(Some(status))).unwrap_err()
        else {
            panic!("{status} should be refused");
        };
        assert_eq!(errors[0].field, "status");
    }
}
