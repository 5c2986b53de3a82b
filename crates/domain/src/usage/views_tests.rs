use std::sync::Arc;

use mockall::predicate::eq;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::*;
use crate::clients::{Cin, Client, ClientStatus, Identity, Invoicing, Person};
use crate::clients::{ServiceIdentifier, Subscriber};
use crate::contracts::{ContractStatus, OfferPeriod};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::testing::{fetched, fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::tokens::{MockTokenService, TokenPurpose};
use crate::typed_ids::{ClientId, OfferId, SubscriberId};
use crate::usage::{Allowances, DailyUsage, OverageRates, UsageKind, UsageTerms};

const NOW: OffsetDateTime = datetime!(2026-03-20 10:00 UTC);
const HOUR: i64 = 3_600;

fn service_with(uow: MockUnitOfWork, tokens: MockTokenService) -> UsageViewService {
    let mut p = ports(MockTransactions::new(uow), fixed_clock(NOW));
    p.tokens = Arc::new(tokens);
    let landing = LandingService::new(
        &p,
        crate::clients::ClientService::new(&p),
        crate::contracts::ContractService::new(&p),
    );
    UsageViewService::new(&p, landing)
}

fn service(uow: MockUnitOfWork) -> UsageViewService {
    service_with(uow, MockTokenService::new())
}

fn contract(id: &str, status: ContractStatus, start: Date) -> Contract {
    Contract {
        id: ContractId::from_stored(id),
        contract_number: format!("CTR-{id}"),
        client_id: ClientId::from_stored("cli_1"),
        subscriber_id: SubscriberId::from_stored(format!("sub_{id}")),
        offer_id: OfferId::from_stored("ofr_big"),
        service_type: ServiceType::Mobile,
        status,
        contract_start_date: start,
        commitment_months: 12,
        commitment_end_date: date!(2027 - 03 - 01),
        monthly_price: Money::from_stored(9_900),
        currency: "MAD".into(),
        tax_rate_bp: 2000,
        termination_date: None,
        document_version: 1,
        suspended_by_dunning: false,
        created_at: NOW,
        updated_at: NOW,
    }
}

/// 10 h of calls, 200 SMS, unlimited data; 1,50 MAD a minute beyond.
fn forfait(voice_seconds: i64) -> UsageTerms {
    UsageTerms {
        allowances: Allowances {
            voice_seconds: Some(voice_seconds),
            sms: Some(200),
            data_bytes: None,
        },
        rates: OverageRates {
            voice_per_minute: Money::from_stored(150),
            sms_each: Money::from_stored(50),
            data_per_mb: Money::from_stored(10),
        },
    }
}

fn period(offer: &str, start: Date, end: Option<Date>, usage: Option<UsageTerms>) -> OfferPeriod {
    OfferPeriod {
        offer_id: OfferId::from_stored(offer),
        monthly_price: Money::from_stored(9_900),
        tax_rate_bp: 2000,
        start_date: start,
        end_date: end,
        usage,
    }
}

fn day(date: Date, kind: UsageKind, quantity: i64) -> DailyUsage {
    DailyUsage {
        date,
        kind,
        quantity,
    }
}

fn march() -> Period {
    Period::parse("2026-03").unwrap()
}

fn total(usage: &ContractUsage, kind: UsageKind) -> crate::usage::KindTotal {
    usage.summary.kinds[kind.index()]
}

/// A contract on a small plan (1 h) from 1 March, moved to a big one (10 h) on 16 March.
fn plan_changed(uow: &mut MockUnitOfWork) {
    uow.contracts
        .expect_find()
        .with(eq(ContractId::from_stored("ctr_1")))
        .returning(|_| {
            Ok(Some(contract(
                "ctr_1",
                ContractStatus::Active,
                date!(2026 - 03 - 16),
            )))
        });
    uow.contracts.expect_offer_periods().returning(|_| {
        Ok(vec![
            period(
                "ofr_small",
                date!(2026 - 03 - 01),
                Some(date!(2026 - 03 - 16)),
                Some(forfait(HOUR)),
            ),
            period(
                "ofr_big",
                date!(2026 - 03 - 16),
                None,
                Some(forfait(10 * HOUR)),
            ),
        ])
    });
}

#[test]
fn the_current_month_is_rated_across_a_plan_change_as_the_billing_rates_it() {
    let mut uow = MockUnitOfWork::default();
    plan_changed(&mut uow);
    uow.usage
        .expect_daily_usage()
        .with(eq(ContractId::from_stored("ctr_1")), eq(march()))
        .times(1)
        .returning(|_, _| {
            Ok(vec![
                // 1 h 10 min on the small plan, whose 15 days include 29 min (floor of 1 h × 15/31).
                day(date!(2026 - 03 - 10), UsageKind::Voice, HOUR + 600),
                day(date!(2026 - 03 - 18), UsageKind::Voice, HOUR),
                day(date!(2026 - 03 - 18), UsageKind::Data, 5_000_000),
            ])
        });
    let usage = service(uow)
        .contract_usage(&ContractId::from_stored("ctr_1"), None)
        .unwrap();
    assert_eq!(usage.period, march());
    assert!(usage.summary.rated);
    let voice = total(&usage, UsageKind::Voice);
    // Included: floor(3600 × 15/31) + floor(36000 × 16/31) = 1741 + 18580.
    assert_eq!(voice.used, 2 * HOUR + 600);
    assert_eq!(voice.included, Some(1_741 + 18_580));
    assert_eq!(voice.remaining(), Some(1_741 + 18_580 - 2 * HOUR - 600));
    // The small plan's 4200 s against 1741 s: 2459 s over, 41 started minutes at 1,50 MAD.
    assert_eq!(voice.charged_units, 41);
    assert_eq!(usage.summary.overage(), Money::from_stored(41 * 150));
    let data = total(&usage, UsageKind::Data);
    assert_eq!(
        (data.used, data.included, data.remaining()),
        (5_000_000, None, None)
    );
}

#[test]
fn a_past_month_is_read_for_that_month() {
    let mut uow = MockUnitOfWork::default();
    uow.contracts.expect_find().returning(|_| {
        Ok(Some(contract(
            "ctr_1",
            ContractStatus::Active,
            date!(2026 - 01 - 15),
        )))
    });
    uow.contracts.expect_offer_periods().returning(|_| {
        Ok(vec![period(
            "ofr_big",
            date!(2026 - 01 - 15),
            None,
            Some(forfait(10 * HOUR)),
        )])
    });
    uow.usage
        .expect_daily_usage()
        .with(
            eq(ContractId::from_stored("ctr_1")),
            eq(Period::parse("2026-01").unwrap()),
        )
        .returning(|_, _| Ok(vec![day(date!(2026 - 01 - 20), UsageKind::Sms, 12)]));
    let usage = service(uow)
        .contract_usage(&ContractId::from_stored("ctr_1"), Some("2026-01"))
        .unwrap();
    // 17 days of 31: floor(200 × 17 / 31) SMS.
    let sms = total(&usage, UsageKind::Sms);
    assert_eq!((sms.used, sms.included), (12, Some(109)));
    assert_eq!(usage.summary.overage(), Money::ZERO);
}

#[test]
fn a_plan_without_usage_terms_shows_usage_unrated() {
    let mut uow = MockUnitOfWork::default();
    uow.contracts.expect_find().returning(|_| {
        Ok(Some(contract(
            "ctr_1",
            ContractStatus::Suspended,
            date!(2026 - 01 - 15),
        )))
    });
    uow.contracts
        .expect_offer_periods()
        .returning(|_| Ok(vec![period("ofr_plain", date!(2026 - 01 - 15), None, None)]));
    uow.usage
        .expect_daily_usage()
        .returning(|_, _| Ok(vec![day(date!(2026 - 03 - 02), UsageKind::Voice, 90_000)]));
    let usage = service(uow)
        .contract_usage(&ContractId::from_stored("ctr_1"), None)
        .unwrap();
    assert!(!usage.summary.rated);
    let voice = total(&usage, UsageKind::Voice);
    assert_eq!((voice.used, voice.charged_units), (90_000, 0));
    assert_eq!(usage.summary.overage(), Money::ZERO);
}

#[test]
fn a_malformed_or_future_period_is_refused_before_anything_is_read() {
    for raw in ["2026-3", "march", "2026-13", "2026-04", "2027-01"] {
        let mut uow = MockUnitOfWork::default();
        uow.contracts.expect_find().never();
        uow.usage.expect_daily_usage().never();
        let answer = service(uow).contract_usage(&ContractId::from_stored("ctr_1"), Some(raw));
        assert!(
            matches!(&answer, Err(Error::Validation(e)) if e[0].field == "period"),
            "{raw}: {answer:?}"
        );
    }
}

#[test]
fn an_unknown_contract_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.contracts.expect_find().returning(|_| Ok(None));
    uow.usage.expect_daily_usage().never();
    assert!(matches!(
        service(uow).contract_usage(&ContractId::from_stored("ctr_1"), None),
        Err(Error::NotFound(Resource::Contract))
    ));
}

#[test]
fn a_month_without_a_day_of_service_is_refused_on_period() {
    let cases = [
        // Before the contract started.
        (
            ContractStatus::Active,
            date!(2026 - 03 - 05),
            None,
            "2026-02",
        ),
        // After it ended.
        (
            ContractStatus::Terminated,
            date!(2026 - 01 - 15),
            Some(date!(2026 - 02 - 10)),
            "2026-03",
        ),
        // Never in service.
        (
            ContractStatus::Pending,
            date!(2026 - 03 - 05),
            None,
            "2026-03",
        ),
        (
            ContractStatus::Cancelled,
            date!(2026 - 03 - 05),
            None,
            "2026-03",
        ),
    ];
    for (status, start, termination, raw) in cases {
        let mut uow = MockUnitOfWork::default();
        uow.contracts.expect_find().returning(move |_| {
            let mut c = contract("ctr_1", status, start);
            c.termination_date = termination;
            Ok(Some(c))
        });
        uow.contracts
            .expect_offer_periods()
            .returning(move |_| Ok(vec![period("ofr_big", start, None, Some(forfait(HOUR)))]));
        uow.usage.expect_daily_usage().never();
        let answer = service(uow).contract_usage(&ContractId::from_stored("ctr_1"), Some(raw));
        assert!(
            matches!(&answer, Err(Error::Validation(e)) if e[0].field == "period"),
            "{status:?} {raw}: {answer:?}"
        );
    }
}

fn client() -> Client {
    Client {
        id: ClientId::from_stored("cli_1"),
        identity: Identity::Person(Person {
            cin: Cin::parse("AB123456").unwrap(),
            first_name: "Hajar".into(),
            last_name: "Benkirane".into(),
        }),
        invoicing: Invoicing::PerContract,
        email: None,
        phone: None,
        address: None,
        city: None,
        birth_date: None,
        status: ClientStatus::Active,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn accepting(token: &'static str) -> MockTokenService {
    let mut tokens = MockTokenService::new();
    tokens
        .expect_verify()
        .with(eq(token), eq(TokenPurpose::Lookup), eq("AB123456"), eq(NOW))
        .returning(|_, _, _, _| Ok(()));
    tokens
}

#[test]
fn the_client_sees_each_contract_in_service_this_month_with_its_line_masked() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find_by_cin()
        .with(eq("AB123456"))
        .returning(|_| Ok(Some(client())));
    let stored = vec![
        contract("ctr_a", ContractStatus::Active, date!(2026 - 03 - 05)),
        contract("ctr_b", ContractStatus::Pending, date!(2026 - 03 - 25)),
        contract("ctr_c", ContractStatus::Cancelled, date!(2026 - 03 - 01)),
    ];
    uow.contracts
        .expect_list()
        .returning(move |_, page| Ok(fetched(&stored, page, |c| c.id.as_str())));
    uow.contracts.expect_offer_periods().returning(|id| {
        let start = if id.as_str() == "ctr_a" {
            date!(2026 - 03 - 05)
        } else {
            date!(2026 - 03 - 25)
        };
        Ok(vec![period(
            "ofr_big",
            start,
            None,
            Some(forfait(10 * HOUR)),
        )])
    });
    uow.usage
        .expect_daily_usage()
        .with(eq(ContractId::from_stored("ctr_a")), eq(march()))
        .times(1)
        .returning(|_, _| Ok(vec![day(date!(2026 - 03 - 06), UsageKind::Sms, 250)]));
    uow.subscribers
        .expect_find()
        .with(eq(SubscriberId::from_stored("sub_ctr_a")))
        .returning(|id| {
            Ok(Some(Subscriber {
                id: id.clone(),
                client_id: ClientId::from_stored("cli_1"),
                service_type: ServiceType::Mobile,
                service_identifier: ServiceIdentifier::parse(ServiceType::Mobile, "0612345678")
                    .unwrap(),
                created_at: NOW,
                updated_at: NOW,
            }))
        });
    let usage = service_with(uow, accepting("t"))
        .client_usage("ab123456", Some("t"))
        .unwrap();
    assert_eq!(usage.period, march());
    let items = usage.items;
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.contract_number, "CTR-ctr_a");
    assert_eq!(item.service_identifier_masked, "+2126••••••78");
    assert_eq!(item.usage.period, march());
    // 27 days of 31: floor(200 × 27 / 31) = 174 SMS included, 76 beyond at 0,50 MAD.
    let sms = total(&item.usage, UsageKind::Sms);
    assert_eq!(
        (sms.used, sms.included, sms.charged_units),
        (250, Some(174), 76)
    );
    assert_eq!(item.usage.summary.overage(), Money::from_stored(76 * 50));
}

#[test]
fn the_client_view_needs_a_lookup_token_of_that_cin() {
    let mut tokens = MockTokenService::new();
    tokens
        .expect_verify()
        .returning(|_, _, _, _| Err(Error::Forbidden));
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find_by_cin().never();
    let service = service_with(uow, tokens);
    for (cin, token) in [
        ("AB123456", Some("other")),
        ("AB123456", None),
        ("not a cin", Some("t")),
    ] {
        assert!(
            matches!(service.client_usage(cin, token), Err(Error::Forbidden)),
            "{cin} {token:?}"
        );
    }
}
