//! Unit tests of the catalog use cases against mocked ports.

use mockall::predicate::eq;
use time::macros::datetime;
use time::OffsetDateTime;

use super::*;
use crate::error::{Conflict, Error, RuleViolation};
use crate::money::Money;
use crate::page::PageRequest;
use crate::service_type::ServiceType;
use crate::services::Services;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::OfferId;

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
const ID: &str = "ofr_01JD0000000000000000000000";

fn services(uow: MockUnitOfWork) -> (Services, std::sync::Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    (Services::new(ports(tx.clone(), fixed_clock(NOW))), tx)
}

fn input() -> OfferInput {
    OfferInput {
        code: "forfait-20go".into(),
        name: "Forfait 20 Go".into(),
        description: Some("20 Go, appels illimités".into()),
        service_type: "mobile".into(),
        monthly_price: 9_900,
        currency: None,
        tax_rate_bp: None,
        commitment_months: Some(12),
        status: None,
        allowances: None,
        overage_rates: None,
    }
}

fn stored(service_type: ServiceType) -> Offer {
    Offer {
        usage: None,
        id: OfferId::from_stored(ID),
        code: OfferCode::parse("OLD").unwrap(),
        name: "Old".into(),
        description: String::new(),
        service_type,
        monthly_price: Money::new(5_000).unwrap(),
        currency: "MAD".into(),
        tax_rate_bp: 2000,
        commitment_months: 0,
        status: OfferStatus::Active,
        created_at: datetime!(2026-01-01 00:00 UTC),
        updated_at: datetime!(2026-01-01 00:00 UTC),
    }
}

#[test]
fn a_new_offer_gets_an_id_from_the_generator_and_instants_from_the_clock() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_insert()
        .withf(|o| o.id == "ofr_0001" && o.code.as_str() == "FORFAIT-20GO")
        .times(1)
        .returning(|_| Ok(()));
    let (services, tx) = services(uow);
    let offer = services.catalog.create_offer(&input()).unwrap();
    assert_eq!(offer.created_at, NOW);
    assert_eq!(offer.updated_at, NOW);
    assert_eq!(offer.monthly_price_incl_tax(), 11_880);
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn an_invalid_offer_never_opens_a_transaction() {
    let (services, tx) = services(MockUnitOfWork::default());
    let mut bad = input();
    bad.monthly_price = -5;
    let error = services.catalog.create_offer(&bad).unwrap_err();
    assert!(matches!(error, Error::Validation(ref e) if e[0].field == "monthly_price"));
    assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
}

#[test]
fn a_duplicate_code_reported_by_storage_rolls_back() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_insert()
        .returning(|_| Err(Conflict::OfferCodeExists.into()));
    let (services, tx) = services(uow);
    let error = services.catalog.create_offer(&input()).unwrap_err();
    assert!(matches!(error, Error::Conflict(Conflict::OfferCodeExists)));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn an_offer_any_contract_referenced_cannot_be_deleted() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(stored(ServiceType::Mobile))));
    uow.contracts
        .expect_any_for_offer()
        .with(eq(OfferId::from_stored(ID)))
        .returning(|_| Ok(true));
    uow.offers.expect_delete().never();
    let (services, _) = services(uow);
    let error = services
        .catalog
        .delete_offer(&OfferId::from_stored(ID))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::OfferDeleteBlocked)
    ));
}

#[test]
fn an_offer_without_contracts_is_deleted() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(stored(ServiceType::Mobile))));
    uow.contracts
        .expect_any_for_offer()
        .returning(|_| Ok(false));
    uow.offers
        .expect_delete()
        .with(eq(OfferId::from_stored(ID)))
        .times(1)
        .returning(|_| Ok(()));
    let (services, tx) = services(uow);
    services
        .catalog
        .delete_offer(&OfferId::from_stored(ID))
        .unwrap();
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn an_update_replaces_every_field_but_keeps_id_and_creation_instant() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(stored(ServiceType::Mobile))));
    uow.offers
        .expect_update()
        .withf(|o| {
            o.id == ID
                && o.code.as_str() == "FORFAIT-20GO"
                && o.monthly_price.centimes() == 9_900
                && o.created_at == datetime!(2026-01-01 00:00 UTC)
                && o.updated_at == NOW
        })
        .times(1)
        .returning(|_| Ok(()));
    // Same service type: contract history is not even consulted.
    uow.contracts.expect_any_for_offer().never();
    let (services, _) = services(uow);
    let offer = services
        .catalog
        .update_offer(&OfferId::from_stored(ID), &input())
        .unwrap();
    assert_eq!(offer.commitment_months, 12);
}

#[test]
fn the_service_type_of_an_offer_with_contracts_is_fixed() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(stored(ServiceType::Internet))));
    uow.contracts.expect_any_for_offer().returning(|_| Ok(true));
    uow.offers.expect_update().never();
    let (services, _) = services(uow);
    let error = services
        .catalog
        .update_offer(&OfferId::from_stored(ID), &input())
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::ServiceTypeMismatch)
    ));
}

#[test]
fn the_service_type_of_an_offer_never_contracted_may_change() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_find()
        .returning(|_| Ok(Some(stored(ServiceType::Internet))));
    uow.contracts
        .expect_any_for_offer()
        .returning(|_| Ok(false));
    uow.offers.expect_update().times(1).returning(|_| Ok(()));
    let (services, _) = services(uow);
    let offer = services
        .catalog
        .update_offer(&OfferId::from_stored(ID), &input())
        .unwrap();
    assert_eq!(offer.service_type, ServiceType::Mobile);
}

#[test]
fn a_list_asks_for_one_extra_row_to_know_whether_a_page_follows() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_list()
        .withf(|_, page| page.after() == Some("ofr_0") && page.fetch() == 3)
        .returning(|_, _| {
            Ok(["ofr_1", "ofr_2", "ofr_3"]
                .iter()
                .map(|id| Offer {
                    id: OfferId::from_stored(*id),
                    ..stored(ServiceType::Mobile)
                })
                .collect())
        });
    let (services, _) = services(uow);
    let request = PageRequest::new(2, Some("ofr_0".into())).unwrap();
    let page = services
        .catalog
        .list_offers(&OfferFilter::default(), &request)
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_cursor.as_deref(), Some("ofr_2"));
}

#[test]
fn categories_list_every_service_type_even_without_offers() {
    let mut uow = MockUnitOfWork::default();
    uow.offers
        .expect_all()
        .withf(|f| f.status == Some(OfferStatus::Active) && f.service_type.is_none())
        .returning(|_| {
            Ok(vec![
                stored(ServiceType::Landline),
                stored(ServiceType::Landline),
            ])
        });
    let (services, _) = services(uow);
    let categories = services
        .catalog
        .categories(Some(OfferStatus::Active))
        .unwrap();
    let summary: Vec<_> = categories
        .iter()
        .map(|c| (c.service_type, c.label(), c.offer_count()))
        .collect();
    assert_eq!(
        summary,
        [
            (ServiceType::Mobile, "Mobile", 0),
            (ServiceType::Internet, "Internet", 0),
            (ServiceType::Landline, "Téléphonie fixe", 2)
        ]
    );
}
