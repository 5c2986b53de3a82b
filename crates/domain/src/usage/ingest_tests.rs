//! Unit tests of usage ingestion on mocked ports: what goes to storage, what is rejected
//! before it, and which thresholds fire.

use std::sync::Arc;

use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::*;
use crate::billing::Period;
use crate::contracts::OfferPeriod;
use crate::error::Error;
use crate::events::{EventPayload, EventType};
use crate::money::Money;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{ClientId, ContractId, OfferId};

const NOW: OffsetDateTime = datetime!(2026-03-20 10:00 UTC);
const CONTRACT: &str = "ctr_01JD0000000000000000000001";
const CLIENT: &str = "cli_01JD0000000000000000000001";

fn record(line: u32, id: &str, kind: UsageKind, quantity: i64) -> UsageRecord {
    UsageRecord {
        line,
        record_id: id.into(),
        service_identifier: "+212612345678".into(),
        kind,
        started_at: datetime!(2026-03-10 08:00 UTC),
        quantity,
        destination: None,
    }
}

fn march() -> Period {
    Period::parse("2026-03").unwrap()
}

fn contract(voice: Option<i64>) -> UsageContract {
    UsageContract {
        contract_id: ContractId::from_stored(CONTRACT),
        client_id: ClientId::from_stored(CLIENT),
        offer_periods: vec![OfferPeriod {
            offer_id: OfferId::from_stored("off_01JD0000000000000000000001"),
            monthly_price: Money::from_stored(9_900),
            tax_rate_bp: 2_000,
            start_date: date!(2026 - 01 - 01),
            end_date: None,
            usage: Some(UsageTerms {
                allowances: Allowances {
                    voice_seconds: voice,
                    sms: None,
                    data_bytes: None,
                },
                rates: OverageRates {
                    voice_per_minute: Money::from_stored(150),
                    sms_each: Money::from_stored(50),
                    data_per_mb: Money::from_stored(10),
                },
            }),
        }],
        service_end: None,
    }
}

fn voice_used(seconds: i64) -> MonthUsage {
    MonthUsage {
        contract_id: ContractId::from_stored(CONTRACT),
        period: march(),
        days: vec![DailyUsage {
            date: date!(2026 - 03 - 10),
            kind: UsageKind::Voice,
            quantity: seconds,
        }],
    }
}

/// A unit of work whose storage stores `stored`, leaving `usage` in its month, with the
/// thresholds `recorded_before` already recorded.
fn uow_with(stored: StoredBatch, usage: MonthUsage, recorded_before: Vec<i32>) -> MockUnitOfWork {
    let stored = StoredBatch {
        months: vec![usage],
        ..stored
    };
    let mut uow = MockUnitOfWork::default();
    uow.usage
        .expect_ingest()
        .times(1)
        .return_once(move |_, _| Ok(stored));
    uow.usage
        .expect_usage_contracts()
        .return_once(|_| Ok(vec![contract(Some(3_600))]));
    uow.usage
        .expect_record_thresholds()
        .returning(move |reached, _| {
            Ok(reached
                .iter()
                .filter(|r| !recorded_before.contains(&r.percent))
                .cloned()
                .collect())
        });
    uow
}

fn one_month() -> StoredBatch {
    StoredBatch {
        accepted: 1,
        ..StoredBatch::default()
    }
}

fn service(tx: Arc<MockTransactions>) -> UsageService {
    UsageService::new(&ports(tx, fixed_clock(NOW)))
}

#[test]
fn stored_counts_and_early_rejections_are_answered_together_in_line_order() {
    let stored = StoredBatch {
        accepted: 2,
        duplicates: 1,
        late: 1,
        rejected: vec![Rejection {
            line: 3,
            record_id: Some("r3".into()),
            code: RejectionCode::UnknownLine,
            message: "no subscriber has this line".into(),
        }],
        months: Vec::new(),
    };
    let mut uow = MockUnitOfWork::default();
    uow.usage
        .expect_ingest()
        .withf(|records, at| {
            *at == NOW && records.iter().map(|r| r.line).collect::<Vec<_>>() == vec![1, 3, 5]
        })
        .return_once(move |_, _| Ok(stored));
    let tx = MockTransactions::new(uow);
    let lines = vec![
        Ok(record(1, "r1", UsageKind::Voice, 60)),
        // A quantity over the voice maximum never reaches storage.
        Ok(record(2, "r2", UsageKind::Voice, 31 * 24 * 3_600 + 1)),
        Ok(record(3, "r3", UsageKind::Sms, 1)),
        Err(Rejection {
            line: 4,
            record_id: None,
            code: RejectionCode::InvalidRecord,
            message: "kind: required".into(),
        }),
        Ok(record(5, "r5", UsageKind::Data, 1)),
    ];
    let report = service(tx.clone()).ingest(lines, "act_m").unwrap();
    assert_eq!((report.accepted, report.duplicates, report.late), (2, 1, 1));
    let codes: Vec<_> = report.rejected.iter().map(|r| (r.line, r.code)).collect();
    assert_eq!(
        codes,
        vec![
            (2, RejectionCode::InvalidQuantity),
            (3, RejectionCode::UnknownLine),
            (4, RejectionCode::InvalidRecord)
        ]
    );
    assert_eq!(tx.commit_count(), 1);
    assert!(tx.recorded_events().is_empty());
}

#[test]
fn an_empty_batch_or_one_over_the_limit_is_refused_without_a_transaction() {
    let tx = MockTransactions::new(MockUnitOfWork::default());
    let empty = service(tx.clone()).ingest(Vec::new(), "act_m");
    assert!(matches!(empty, Err(Error::Validation(_))));
    let lines = (0..=MAX_RECORDS as u32)
        .map(|i| Ok(record(i + 1, &format!("r{i}"), UsageKind::Sms, 1)))
        .collect();
    let over = service(tx.clone()).ingest(lines, "act_m");
    assert!(matches!(over, Err(Error::Validation(_))));
    assert_eq!(tx.commit_count(), 0);
}

#[test]
fn eighty_percent_of_an_allowance_fires_its_threshold_with_the_figures() {
    // 1 h allowance: 2,880 s is exactly 80 %.
    let uow = uow_with(one_month(), voice_used(2_880), Vec::new());
    let tx = MockTransactions::new(uow);
    service(tx.clone())
        .ingest(vec![Ok(record(1, "r1", UsageKind::Voice, 2_880))], "act_m")
        .unwrap();
    let events = tx.recorded_events();
    assert_eq!(events.len(), 1);
    let EventPayload::UsageThresholdReached(reached) = &events[0].payload else {
        panic!("unexpected event {:?}", events[0].payload);
    };
    assert_eq!(
        (reached.percent, reached.used, reached.included),
        (80, 2_880, 3_600)
    );
    assert_eq!(reached.client_id.as_str(), CLIENT);
    assert_eq!(reached.period, march());
    assert_eq!(events[0].actor_id.as_deref(), Some("act_m"));
}

#[test]
fn just_under_eighty_percent_fires_nothing() {
    let uow = uow_with(one_month(), voice_used(2_879), Vec::new());
    let tx = MockTransactions::new(uow);
    service(tx.clone())
        .ingest(vec![Ok(record(1, "r1", UsageKind::Voice, 2_879))], "act_m")
        .unwrap();
    assert!(tx.recorded_events().is_empty());
}

#[test]
fn a_threshold_recorded_before_does_not_fire_again() {
    // 100 % now, 80 % already told by an earlier batch: only 100 fires.
    let uow = uow_with(one_month(), voice_used(3_600), vec![80]);
    let tx = MockTransactions::new(uow);
    service(tx.clone())
        .ingest(vec![Ok(record(1, "r1", UsageKind::Voice, 720))], "act_m")
        .unwrap();
    let percents: Vec<i32> = tx
        .recorded_events()
        .iter()
        .filter_map(|event| match &event.payload {
            EventPayload::UsageThresholdReached(r) => Some(r.percent),
            _ => None,
        })
        .collect();
    assert_eq!(percents, vec![100]);
    assert_eq!(tx.recorded_types(), vec![EventType::UsageThresholdReached]);
}

#[test]
fn unlimited_or_unrated_plans_have_no_thresholds() {
    let unlimited = contract(None);
    assert!(thresholds(&unlimited, &voice_used(10_000_000)).is_empty());
    let mut unrated = contract(Some(60));
    unrated.offer_periods[0].usage = None;
    assert!(thresholds(&unrated, &voice_used(10_000)).is_empty());
}

#[test]
fn a_storage_failure_rolls_the_batch_back() {
    let mut uow = MockUnitOfWork::default();
    uow.usage
        .expect_ingest()
        .return_once(|_, _| Err(Error::Storage("disk full".into())));
    let tx = MockTransactions::new(uow);
    let result = service(tx.clone()).ingest(vec![Ok(record(1, "r1", UsageKind::Sms, 1))], "a");
    assert!(matches!(result, Err(Error::Storage(_))));
    assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
}
