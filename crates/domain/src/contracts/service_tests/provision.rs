//! Provisioning (P4): line resolution by intent, guards, snapshots, document facts.

use std::sync::{Arc, Mutex};

use time::macros::date;

use super::*;
use crate::catalog::OfferStatus;
use crate::clients::ClientStatus;
use crate::contracts::{AuditEntry, ProvisionContract};
use crate::error::{Conflict, Error, Resource, RuleViolation};

fn command(intent: Option<&str>) -> ProvisionContract {
    ProvisionContract {
        offer_id: OFFER.into(),
        client_id: CLIENT.into(),
        contract_start_date: "2026-03-31".into(),
        commitment_months: None,
        service_identifier: "06 12 30 00 00".into(),
        provisioning_intent: intent.map(str::to_owned),
    }
}

/// A unit of work knowing the offer and client; the line lookup answers `existing`.
fn catalog(existing: Option<Subscriber>) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(offer(OFFER, ServiceType::Mobile, 9_900))));
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(client(CLIENT))));
    uow.subscribers
        .expect_find_by_line()
        .returning(move |_, _| Ok(existing.clone()));
    uow
}

/// Expectations of a contract actually stored, recording the audit entries.
pub(super) fn expect_storage(uow: &mut MockUnitOfWork) -> Arc<Mutex<Vec<AuditEntry>>> {
    uow.contracts
        .expect_live_for_subscriber()
        .returning(|_| Ok(None));
    uow.sequences
        .expect_reserve()
        .withf(|name, year, count| name == "CTR" && *year == 2026 && *count == 1)
        .times(1)
        .returning(|_, _, _| Ok(7));
    uow.contracts.expect_insert().times(1).returning(|_| Ok(()));
    uow.contracts
        .expect_insert_offer_period()
        .withf(|id, period, _| {
            id.as_str().starts_with("ctr_")
                && period.offer_id == OFFER
                && period.monthly_price.centimes() == 9_900
                && period.start_date == date!(2026 - 03 - 31)
                && period.end_date.is_none()
        })
        .times(1)
        .returning(|_, _, _| Ok(()));
    uow.contracts
        .expect_insert_document()
        .withf(|_, version, pdf, _| *version == 1 && pdf.starts_with(b"%PDF"))
        .times(1)
        .returning(|_, _, _, _| Ok(()));
    let audit = Arc::new(Mutex::new(Vec::new()));
    let sink = audit.clone();
    uow.contracts.expect_append_audit().returning(move |entry| {
        sink.lock().unwrap().push(entry.clone());
        Ok(())
    });
    audit
}

#[test]
fn auto_provisioning_creates_the_line_and_a_contract_at_the_offers_price() {
    let mut uow = catalog(None);
    uow.subscribers
        .expect_insert_or_get()
        .withf(|s| s.client_id == CLIENT && s.service_identifier.as_str() == "+212612300000")
        .times(1)
        .returning(|s| Ok(s.clone()));
    let audit = expect_storage(&mut uow);
    let (service, tx) = build(uow);

    let provisioned = service.provision(ACTOR, &command(None)).unwrap();

    let contract = &provisioned.contract;
    assert!(provisioned.subscriber_created);
    assert_eq!(provisioned.subscriber.service_type, ServiceType::Mobile);
    assert_eq!(contract.contract_number, "CTR-2026-000007");
    assert_eq!(contract.status, ContractStatus::Active);
    assert_eq!(contract.subscriber_id, provisioned.subscriber.id);
    assert_eq!(
        (contract.monthly_price.centimes(), contract.tax_rate_bp),
        (9_900, 2000)
    );
    assert_eq!(contract.commitment_months, 12, "the offer's default");
    assert_eq!(contract.commitment_end_date, date!(2027 - 03 - 31));
    assert_eq!(contract.document_version, 1);
    let audit = audit.lock().unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["created", "document_generated"]);
    assert!(audit.iter().all(|e| e.actor_id == ACTOR && e.at == NOW));
    assert!(audit[0].before.is_none());
    let after = audit[0].after.clone().unwrap();
    assert!(after.contains(&("contract_number".into(), "CTR-2026-000007".into())));
    assert!(after.contains(&("monthly_price".into(), "9900".into())));
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn the_document_states_client_line_offer_and_prices() {
    let mut uow = catalog(None);
    uow.subscribers
        .expect_insert_or_get()
        .returning(|s| Ok(s.clone()));
    expect_storage(&mut uow);
    let mut renderer = MockDocumentRenderer::new();
    renderer
        .expect_contract()
        .withf(|doc| {
            doc.version == 1
                && doc.cin == "AB123456"
                && doc.client_name == "Hajar Benkirane"
                && doc.client_address.as_deref() == Some("12 rue Talaa, Fès")
                && doc.service_identifier == "+212612300000"
                && doc.offer_code == "OFFER-9900"
                && doc.monthly_price_excl_tax == 9_900
                && doc.monthly_price_incl_tax == 11_880
                && doc.start_date == date!(2026 - 03 - 31)
                && doc.issued_on == date!(2026 - 03 - 10)
        })
        .times(1)
        .returning(|_| Ok(b"%PDF-1.4".to_vec()));
    let (service, _) = build_with(uow, renderer);
    service.provision(ACTOR, &command(None)).unwrap();
}

#[test]
fn auto_provisioning_reuses_the_clients_line() {
    let mut uow = catalog(Some(line(LINE, CLIENT, "0612300000")));
    expect_storage(&mut uow);
    let (service, _) = build(uow);
    let provisioned = service.provision(ACTOR, &command(Some("auto"))).unwrap();
    assert!(!provisioned.subscriber_created);
    assert_eq!(provisioned.contract.subscriber_id, LINE);
}

#[test]
fn existing_subscriber_intent_uses_the_clients_line() {
    let mut uow = catalog(Some(line(LINE, CLIENT, "0612300000")));
    expect_storage(&mut uow);
    let (service, _) = build(uow);
    let provisioned = service
        .provision(ACTOR, &command(Some("existing_subscriber")))
        .unwrap();
    assert_eq!(provisioned.subscriber.id, LINE);
}

#[test]
fn new_subscriber_intent_refuses_a_line_that_exists() {
    let (service, tx) = build(catalog(Some(line(LINE, CLIENT, "0612300000"))));
    let error = service
        .provision(ACTOR, &command(Some("new_subscriber")))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::ServiceIdentifierExists)
    ));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn existing_subscriber_intent_needs_a_line_of_this_client() {
    let (service, _) = build(catalog(None));
    let error = service
        .provision(ACTOR, &command(Some("existing_subscriber")))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::SubscriberNotFoundForClient)
    ));
    let (service, _) = build(catalog(Some(line(LINE, OTHER_CLIENT, "0612300000"))));
    let error = service
        .provision(ACTOR, &command(Some("existing_subscriber")))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::SubscriberNotFoundForClient)
    ));
}

#[test]
fn auto_provisioning_never_takes_another_clients_line() {
    for (held, expected) in [
        (true, Conflict::ServiceIdentifierInUse),
        (false, Conflict::ServiceIdentifierExists),
    ] {
        let mut uow = catalog(Some(line(LINE, OTHER_CLIENT, "0612300000")));
        uow.contracts
            .expect_live_for_subscriber()
            .returning(move |_| Ok(held.then(|| contract(ContractStatus::Active))));
        let (service, _) = build(uow);
        let error = service.provision(ACTOR, &command(None)).unwrap_err();
        assert!(matches!(error, Error::Conflict(c) if c == expected));
    }
}

#[test]
fn a_line_created_concurrently_is_judged_like_an_existing_one() {
    let mut uow = catalog(None);
    // The concurrent request's line comes back, and its contract now holds the line.
    uow.subscribers
        .expect_insert_or_get()
        .returning(|_| Ok(line(LINE, CLIENT, "0612300000")));
    uow.contracts
        .expect_live_for_subscriber()
        .returning(|_| Ok(Some(contract(ContractStatus::Active))));
    let (service, _) = build(uow);
    let error = service.provision(ACTOR, &command(None)).unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::ServiceIdentifierInUse)
    ));
}

#[test]
fn a_line_held_by_a_live_contract_is_refused_before_any_number_is_reserved() {
    let mut uow = catalog(Some(line(LINE, CLIENT, "0612300000")));
    uow.contracts
        .expect_live_for_subscriber()
        .returning(|_| Ok(Some(contract(ContractStatus::Suspended))));
    let (service, _) = build(uow);
    let error = service.provision(ACTOR, &command(None)).unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::ServiceIdentifierInUse)
    ));
}

#[test]
fn retired_offers_and_inactive_clients_are_refused() {
    let mut uow = MockUnitOfWork::default();
    uow.offers.expect_find().returning(|_| {
        let mut retired = offer(OFFER, ServiceType::Mobile, 9_900);
        retired.status = OfferStatus::Retired;
        Ok(Some(retired))
    });
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(client(CLIENT))));
    let (service, _) = build(uow);
    let error = service.provision(ACTOR, &command(None)).unwrap_err();
    assert!(matches!(error, Error::Rule(RuleViolation::OfferRetired)));

    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(offer(OFFER, ServiceType::Mobile, 9_900))));
    uow.clients.expect_find().returning(|_| {
        let mut inactive = client(CLIENT);
        inactive.status = ClientStatus::Inactive;
        Ok(Some(inactive))
    });
    let (service, _) = build(uow);
    let error = service.provision(ACTOR, &command(None)).unwrap_err();
    assert!(matches!(error, Error::Rule(RuleViolation::ClientInactive)));
}

#[test]
fn unknown_and_malformed_references_are_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.offers.expect_find().returning(|_| Ok(None));
    let (service, _) = build(uow);
    let error = service.provision(ACTOR, &command(None)).unwrap_err();
    assert!(matches!(error, Error::NotFound(Resource::Offer)));
    // A malformed id never reaches storage (no expectation is set).
    let (service, _) = build(MockUnitOfWork::default());
    let mut malformed = command(None);
    malformed.offer_id = "offer-1".into();
    let error = service.provision(ACTOR, &malformed).unwrap_err();
    assert!(matches!(error, Error::NotFound(Resource::Offer)));
}

#[test]
fn every_invalid_field_is_reported_at_once_with_its_path() {
    let (service, _) = build(catalog(None));
    let bad = ProvisionContract {
        contract_start_date: "2026-02-30".into(),
        commitment_months: Some(121),
        service_identifier: "0522123456".into(), // a landline number on a mobile offer
        provisioning_intent: Some("reuse".into()),
        ..command(None)
    };
    let Error::Validation(errors) = service.provision(ACTOR, &bad).unwrap_err() else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "contract_start_date",
            "commitment_months",
            "provisioning_intent",
            "subscriber.service_identifier"
        ]
    );
}

#[test]
fn the_start_date_may_be_back_dated_but_not_more_than_a_year_ahead() {
    for (raw, ok) in [
        ("2000-01-01", true),
        ("2024-02-29", true),
        ("2027-03-11", true),
        ("1999-12-31", false),
        ("2027-03-12", false),
    ] {
        let mut uow = catalog(None);
        if ok {
            uow.subscribers
                .expect_insert_or_get()
                .returning(|s| Ok(s.clone()));
            uow.contracts
                .expect_live_for_subscriber()
                .returning(|_| Ok(None));
            uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
            uow.contracts.expect_insert().returning(|_| Ok(()));
            uow.contracts
                .expect_insert_offer_period()
                .returning(|_, _, _| Ok(()));
            uow.contracts
                .expect_insert_document()
                .returning(|_, _, _, _| Ok(()));
            uow.contracts.expect_append_audit().returning(|_| Ok(()));
        }
        let (service, _) = build(uow);
        let mut cmd = command(None);
        cmd.contract_start_date = raw.into();
        assert_eq!(service.provision(ACTOR, &cmd).is_ok(), ok, "{raw}");
    }
}
