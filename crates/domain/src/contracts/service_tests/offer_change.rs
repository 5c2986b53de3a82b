//! Offer changes: period history, price snapshot, commitment restart, new document, guards.

use std::sync::{Arc, Mutex};

use time::macros::date;

use super::*;
use crate::contracts::{AuditAction, AuditEntry, OfferChange, UpdateOffer};
use crate::error::{Error, Resource, RuleViolation};

const TARGET_PRICE: i64 = 19_900;

fn update(offer_id: &str, effective_date: Option<&str>) -> UpdateOffer {
    UpdateOffer {
        offer_id: offer_id.into(),
        effective_date: effective_date.map(str::to_owned),
    }
}

/// What the use case wrote.
#[derive(Default, Clone)]
struct Writes {
    saved: Arc<Mutex<Option<Contract>>>,
    closed_at: Arc<Mutex<Option<time::Date>>>,
    opened: Arc<Mutex<Option<OfferPeriod>>>,
    replaced: Arc<Mutex<Option<OfferPeriod>>>,
    documents: Arc<Mutex<Vec<i32>>>,
    audit: Arc<Mutex<Vec<AuditEntry>>>,
}

/// A unit of work holding `current`, the target offer `target`, and recording every write.
fn holding(current: Contract, target: Offer) -> (MockUnitOfWork, Writes) {
    let mut uow = MockUnitOfWork::default();
    // No month of the contract is invoiced yet.
    uow.invoices
        .expect_billed_for_contract()
        .returning(|_, _| Ok(Vec::new()));
    uow.contracts
        .expect_find_for_update()
        .returning(move |_| Ok(Some(current.clone())));
    uow.offers
        .expect_find()
        .returning(move |_| Ok(Some(target.clone())));
    uow.contracts
        .expect_open_offer_period()
        .returning(|_| Ok(Some(open_period())));
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(client(CLIENT))));
    uow.subscribers
        .expect_find()
        .returning(|_| Ok(Some(line(LINE, CLIENT, "0612300000"))));
    let w = Writes::default();
    let r = w.clone();
    uow.contracts.expect_update().returning(move |c| {
        *r.saved.lock().unwrap() = Some(c.clone());
        Ok(())
    });
    let r = w.clone();
    uow.contracts
        .expect_close_offer_period()
        .returning(move |_, end| {
            *r.closed_at.lock().unwrap() = Some(end);
            Ok(())
        });
    let r = w.clone();
    uow.contracts
        .expect_insert_offer_period()
        .returning(move |_, p, _| {
            *r.opened.lock().unwrap() = Some(p.clone());
            Ok(())
        });
    let r = w.clone();
    uow.contracts
        .expect_replace_open_offer_period()
        .returning(move |_, p| {
            *r.replaced.lock().unwrap() = Some(p.clone());
            Ok(())
        });
    let r = w.clone();
    uow.contracts
        .expect_insert_document()
        .returning(move |_, version, _, _| {
            r.documents.lock().unwrap().push(version);
            Ok(())
        });
    let r = w.clone();
    uow.contracts.expect_append_audit().returning(move |e| {
        r.audit.lock().unwrap().push(e.clone());
        Ok(())
    });
    (uow, w)
}

fn target() -> Offer {
    offer(OTHER_OFFER, ServiceType::Mobile, TARGET_PRICE)
}

#[test]
fn an_offer_change_closes_the_period_opens_the_next_and_issues_a_new_version() {
    let (uow, w) = holding(contract(ContractStatus::Active), target());
    let (service, tx) = build(uow);
    let changed = service
        .update_offer_as_sent(ACTOR, CONTRACT, &update(OTHER_OFFER, Some("2026-03-20")))
        .unwrap();
    assert_eq!(changed.offer_id, OTHER_OFFER);
    assert_eq!(changed.monthly_price.centimes(), TARGET_PRICE);
    assert_eq!(changed.document_version, 2);
    assert_eq!(changed.contract_start_date, date!(2026 - 01 - 15), "kept");
    assert_eq!(changed.commitment_end_date, date!(2027 - 01 - 15), "kept");
    assert_eq!(*w.closed_at.lock().unwrap(), Some(date!(2026 - 03 - 20)));
    let opened = w.opened.lock().unwrap().clone().unwrap();
    assert_eq!(opened.offer_id, OTHER_OFFER);
    assert_eq!(opened.monthly_price.centimes(), TARGET_PRICE);
    assert_eq!(opened.start_date, date!(2026 - 03 - 20));
    assert_eq!(opened.end_date, None);
    assert_eq!(*w.documents.lock().unwrap(), [2]);
    let audit = w.audit.lock().unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["offer_changed", "document_generated"]);
    let before = audit[0].before.clone().unwrap();
    let after = audit[0].after.clone().unwrap();
    assert!(before.contains(&("monthly_price".into(), "9900".into())));
    assert!(after.contains(&("monthly_price".into(), "19900".into())));
    assert!(after.contains(&("effective_date".into(), "2026-03-20".into())));
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn the_effective_date_defaults_to_today() {
    let (uow, w) = holding(contract(ContractStatus::Suspended), target());
    let (service, _) = build(uow);
    service
        .update_offer_as_sent(ACTOR, CONTRACT, &update(OTHER_OFFER, None))
        .unwrap();
    assert_eq!(*w.closed_at.lock().unwrap(), Some(date!(2026 - 03 - 10)));
}

#[test]
fn a_change_on_the_periods_first_day_replaces_it_instead_of_leaving_an_empty_one() {
    let (uow, w) = holding(contract(ContractStatus::Active), target());
    let (service, _) = build(uow);
    service
        .update_offer_as_sent(ACTOR, CONTRACT, &update(OTHER_OFFER, Some("2026-01-15")))
        .unwrap();
    assert!(w.closed_at.lock().unwrap().is_none());
    assert!(w.opened.lock().unwrap().is_none());
    let replaced = w.replaced.lock().unwrap().clone().unwrap();
    assert_eq!(replaced.offer_id, OTHER_OFFER);
}

#[test]
fn a_plan_change_restarts_the_commitment_from_its_effective_date() {
    let (uow, w) = holding(contract(ContractStatus::Active), target());
    let (service, _) = build(uow);
    let change = OfferChange {
        offer_id: OTHER_OFFER.into(),
        effective_date: date!(2026 - 03 - 31),
        restart_commitment: true,
        audit_action: AuditAction::PlanChanged,
    };
    let changed = crate::tx::transaction(service.tx.as_ref(), |uow| {
        service.change_offer_in(
            uow,
            "landing:AB123456",
            &ContractId::from_stored(CONTRACT),
            &change,
        )
    })
    .unwrap();
    assert_eq!(changed.contract_start_date, date!(2026 - 03 - 31));
    assert_eq!(changed.commitment_end_date, date!(2027 - 03 - 31));
    let audit = w.audit.lock().unwrap();
    assert_eq!(audit[0].action, AuditAction::PlanChanged);
    assert_eq!(audit[0].actor_id, "landing:AB123456");
}

#[test]
fn offer_changes_are_refused_when_the_rules_say_so() {
    let mut retired = target();
    retired.status = crate::catalog::OfferStatus::Retired;
    let cases = [
        (
            ContractStatus::Active,
            target(),
            "2026-01-14",
            RuleViolation::EffectiveDateTooEarly,
        ),
        (
            ContractStatus::Active,
            offer(OTHER_OFFER, ServiceType::Internet, TARGET_PRICE),
            "2026-03-20",
            RuleViolation::ServiceTypeMismatch,
        ),
        (
            ContractStatus::Active,
            offer(OFFER, ServiceType::Mobile, 9_900),
            "2026-03-20",
            RuleViolation::SameOffer,
        ),
        (
            ContractStatus::Active,
            retired,
            "2026-03-20",
            RuleViolation::OfferRetired,
        ),
        (
            ContractStatus::Pending,
            target(),
            "2026-03-20",
            RuleViolation::ContractNotActive,
        ),
        (
            ContractStatus::Terminated,
            target(),
            "2026-03-20",
            RuleViolation::ContractNotActive,
        ),
        (
            ContractStatus::Cancelled,
            target(),
            "2026-03-20",
            RuleViolation::ContractNotActive,
        ),
    ];
    for (status, offer, effective, expected) in cases {
        let (uow, w) = holding(contract(status), offer);
        let (service, tx) = build(uow);
        let error = service
            .update_offer_as_sent(ACTOR, CONTRACT, &update(OTHER_OFFER, Some(effective)))
            .unwrap_err();
        assert!(
            matches!(&error, Error::Rule(rule) if *rule == expected),
            "{expected:?}: got {error:?}"
        );
        assert!(w.saved.lock().unwrap().is_none());
        assert!(w.documents.lock().unwrap().is_empty());
        assert_eq!(tx.rollback_count(), 1);
    }
}

#[test]
fn an_unknown_offer_or_contract_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.contracts
        .expect_find_for_update()
        .returning(|_| Ok(Some(contract(ContractStatus::Active))));
    uow.offers.expect_find().returning(|_| Ok(None));
    let (service, _) = build(uow);
    let error = service
        .update_offer_as_sent(ACTOR, CONTRACT, &update(OTHER_OFFER, None))
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(Resource::Offer)));
}

#[test]
fn a_rendering_failure_rolls_the_whole_change_back() {
    let (uow, _) = holding(contract(ContractStatus::Active), target());
    let mut renderer = MockDocumentRenderer::new();
    renderer
        .expect_contract()
        .returning(|_| Err(Error::Rendering("font missing".into())));
    let (service, tx) = build_with(uow, renderer);
    let error = service
        .update_offer_as_sent(ACTOR, CONTRACT, &update(OTHER_OFFER, None))
        .unwrap_err();
    assert!(matches!(error, Error::Rendering(_)));
    assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
}
