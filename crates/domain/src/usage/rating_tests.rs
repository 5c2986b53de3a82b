//! Golden cases of the rating rules (decision 0360): each states its inputs and the exact
//! charge they give.

use time::macros::date;
use time::Date;

use super::*;
use crate::money::Money;
use crate::typed_ids::OfferId;

const MB: i64 = 1_048_576;
const GB20: i64 = 20 * 1024 * MB;

fn offer(id: &str) -> OfferId {
    OfferId::from_stored(id.to_owned())
}

fn terms(voice: Option<i64>, sms: Option<i64>, data: Option<i64>) -> UsageTerms {
    UsageTerms {
        allowances: Allowances {
            voice_seconds: voice,
            sms,
            data_bytes: data,
        },
        rates: OverageRates {
            voice_per_minute: Money::from_stored(150),
            sms_each: Money::from_stored(50),
            data_per_mb: Money::from_stored(10),
        },
    }
}

/// "10 h of calls, 200 SMS, 20 GB".
fn forfait() -> UsageTerms {
    terms(Some(36_000), Some(200), Some(GB20))
}

fn segment(id: &str, start: Date, end: Date, terms: UsageTerms) -> UsageSegment {
    UsageSegment {
        offer_id: offer(id),
        start_date: start,
        end_date: end,
        terms: Some(terms),
    }
}

fn day(date: Date, kind: UsageKind, quantity: i64) -> DailyUsage {
    DailyUsage {
        date,
        kind,
        quantity,
    }
}

fn march(terms: UsageTerms) -> Vec<UsageSegment> {
    vec![segment(
        "off_a",
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 31),
        terms,
    )]
}

fn kind(rating: &[SegmentRating], segment: usize, kind: UsageKind) -> KindRating {
    rating[segment].kinds[kind.index()]
}

#[test]
fn usage_exactly_at_the_allowance_costs_nothing() {
    let usage = [
        day(date!(2026 - 03 - 04), UsageKind::Voice, 20_000),
        day(date!(2026 - 03 - 20), UsageKind::Voice, 16_000),
        day(date!(2026 - 03 - 05), UsageKind::Sms, 200),
        day(date!(2026 - 03 - 06), UsageKind::Data, GB20),
    ];
    let rating = rate_month(&march(forfait()), 31, &usage);
    for k in UsageKind::ALL {
        let r = kind(&rating, 0, k);
        assert_eq!((r.charged_units, r.amount), (0, Money::ZERO), "{k:?}");
        assert_eq!(r.used, r.included.unwrap_or_default(), "{k:?}");
    }
}

#[test]
fn one_second_over_is_a_started_minute_and_one_byte_over_a_started_mb() {
    let usage = [
        day(date!(2026 - 03 - 04), UsageKind::Voice, 36_001),
        day(date!(2026 - 03 - 05), UsageKind::Sms, 201),
        day(date!(2026 - 03 - 06), UsageKind::Data, GB20 + 1),
    ];
    let rating = rate_month(&march(forfait()), 31, &usage);
    let voice = kind(&rating, 0, UsageKind::Voice);
    assert_eq!((voice.charged_units, voice.amount.centimes()), (1, 150));
    let sms = kind(&rating, 0, UsageKind::Sms);
    assert_eq!((sms.charged_units, sms.amount.centimes()), (1, 50));
    let data = kind(&rating, 0, UsageKind::Data);
    assert_eq!((data.charged_units, data.amount.centimes()), (1, 10));
}

#[test]
fn thirty_seven_minutes_over_in_many_calls_are_charged_on_the_months_total() {
    // 36 min 10 s over the allowance in two calls: 37 started minutes, not 38 (the month's
    // total is rounded, not each call).
    let usage = [
        day(date!(2026 - 03 - 02), UsageKind::Voice, 36_000 + 1_000),
        day(date!(2026 - 03 - 03), UsageKind::Voice, 1_170),
    ];
    let rating = rate_month(&march(forfait()), 31, &usage);
    let voice = kind(&rating, 0, UsageKind::Voice);
    assert_eq!(
        (voice.charged_units, voice.amount.centimes()),
        (37, 37 * 150)
    );
}

#[test]
fn unlimited_allowances_never_charge() {
    let usage = [
        day(date!(2026 - 03 - 04), UsageKind::Voice, 10_000_000),
        day(date!(2026 - 03 - 05), UsageKind::Sms, 1_000_000),
        day(date!(2026 - 03 - 06), UsageKind::Data, 900 * GB20),
    ];
    let rating = rate_month(&march(terms(None, None, None)), 31, &usage);
    for k in UsageKind::ALL {
        let r = kind(&rating, 0, k);
        assert_eq!(
            (r.included, r.charged_units, r.amount),
            (None, 0, Money::ZERO)
        );
    }
    let summary = UsageSummary::of(&rating);
    assert_eq!(summary.kinds[0].remaining(), None);
    assert!(summary.kinds[0].thresholds_reached().is_empty());
}

#[test]
fn a_contract_starting_mid_month_gets_the_floor_of_its_prorated_allowance() {
    // 10 days of 31: 36,000 s × 10 / 31 = 11,612.9 → 11,612 s; 200 × 10 / 31 = 64.5 → 64.
    let segments = vec![segment(
        "off_a",
        date!(2026 - 03 - 22),
        date!(2026 - 03 - 31),
        forfait(),
    )];
    let usage = [
        day(date!(2026 - 03 - 25), UsageKind::Voice, 11_613),
        day(date!(2026 - 03 - 25), UsageKind::Sms, 64),
    ];
    let rating = rate_month(&segments, 31, &usage);
    let voice = kind(&rating, 0, UsageKind::Voice);
    assert_eq!((voice.included, voice.charged_units), (Some(11_612), 1));
    let sms = kind(&rating, 0, UsageKind::Sms);
    assert_eq!((sms.included, sms.charged_units), (Some(64), 0));
}

#[test]
fn a_plan_change_mid_month_splits_allowances_and_rates_usage_by_date() {
    // 1–14 March on a small plan (1 h, 50 SMS), 15–31 on the forfait; each part keeps its
    // own prorated allowance and its own rates.
    let mut small = terms(Some(3_600), Some(50), Some(GB20 / 10));
    small.rates.voice_per_minute = Money::from_stored(200);
    let segments = vec![
        segment(
            "off_small",
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 14),
            small,
        ),
        segment(
            "off_big",
            date!(2026 - 03 - 15),
            date!(2026 - 03 - 31),
            forfait(),
        ),
    ];
    let usage = [
        // 3,600 × 14 / 31 = 1,625.8 → 1,625 s included; 1,700 used: 75 s over → 2 min.
        day(date!(2026 - 03 - 10), UsageKind::Voice, 1_700),
        // 36,000 × 17 / 31 = 19,741.9 → 19,741 s included; 19,000 used: nothing over.
        day(date!(2026 - 03 - 15), UsageKind::Voice, 19_000),
    ];
    let rating = rate_month(&segments, 31, &usage);
    let first = kind(&rating, 0, UsageKind::Voice);
    assert_eq!((first.included, first.used), (Some(1_625), 1_700));
    assert_eq!((first.charged_units, first.amount.centimes()), (2, 400));
    let second = kind(&rating, 1, UsageKind::Voice);
    assert_eq!((second.included, second.charged_units), (Some(19_741), 0));
    let total = UsageSummary::of(&rating).kinds[UsageKind::Voice.index()];
    assert_eq!((total.used, total.included), (20_700, Some(21_366)));
    assert_eq!(total.amount.centimes(), 400);
}

#[test]
fn a_late_record_is_charged_for_what_it_adds_to_its_month() {
    let segments = march(forfait());
    let billed_usage = [day(date!(2026 - 03 - 04), UsageKind::Voice, 36_030)];
    let billed = rate_month(&segments, 31, &billed_usage);
    assert_eq!(kind(&billed, 0, UsageKind::Voice).charged_units, 1);

    // A 100 s call of 30 March arrives after the invoice: 130 s over in all, 3 started
    // minutes, of which 1 was billed; 2 more are due, on the next invoice.
    let mut now_usage = billed_usage.to_vec();
    now_usage.push(day(date!(2026 - 03 - 30), UsageKind::Voice, 100));
    let now = rate_month(&segments, 31, &now_usage);
    let late = late_charges(&billed, &now);
    let voice = kind(&late, 0, UsageKind::Voice);
    assert_eq!((voice.used, voice.charged_units), (100, 2));
    assert_eq!(voice.amount.centimes(), 300);
    // Billing the same month twice gives the same charges to the centime.
    assert_eq!(now, rate_month(&segments, 31, &now_usage));
}

#[test]
fn a_late_record_inside_the_allowance_adds_nothing() {
    let segments = march(forfait());
    let billed = rate_month(
        &segments,
        31,
        &[day(date!(2026 - 03 - 04), UsageKind::Sms, 10)],
    );
    let now = rate_month(
        &segments,
        31,
        &[
            day(date!(2026 - 03 - 04), UsageKind::Sms, 10),
            day(date!(2026 - 03 - 31), UsageKind::Sms, 5),
        ],
    );
    let sms = kind(&late_charges(&billed, &now), 0, UsageKind::Sms);
    assert_eq!(
        (sms.used, sms.charged_units, sms.amount),
        (5, 0, Money::ZERO)
    );
}

#[test]
fn the_allowance_is_prorated_down_and_never_beyond_the_month() {
    assert_eq!(prorated_allowance(Some(200), 31, 31), Some(200));
    assert_eq!(prorated_allowance(Some(200), 1, 31), Some(6));
    assert_eq!(prorated_allowance(Some(200), 40, 31), Some(200));
    assert_eq!(prorated_allowance(None, 10, 31), None);
}

#[test]
fn charged_units_round_up_started_minutes_and_megabytes() {
    assert_eq!(UsageKind::Voice.charged_units(0), 0);
    assert_eq!(UsageKind::Voice.charged_units(60), 1);
    assert_eq!(UsageKind::Voice.charged_units(61), 2);
    assert_eq!(UsageKind::Data.charged_units(MB), 1);
    assert_eq!(UsageKind::Data.charged_units(MB + 1), 2);
    assert_eq!(UsageKind::Sms.charged_units(7), 7);
    assert_eq!(UsageKind::Sms.charged_units(-3), 0);
}

#[test]
fn thresholds_fire_at_eighty_and_a_hundred_percent() {
    let total = |used, included| KindTotal {
        kind: UsageKind::Sms,
        used,
        included,
        charged_units: 0,
        amount: Money::ZERO,
    };
    assert!(total(159, Some(200)).thresholds_reached().is_empty());
    assert_eq!(total(160, Some(200)).thresholds_reached(), vec![80]);
    assert_eq!(total(200, Some(200)).thresholds_reached(), vec![80, 100]);
    assert_eq!(total(1, Some(0)).thresholds_reached(), vec![80, 100]);
    assert!(total(0, Some(0)).thresholds_reached().is_empty());
    assert_eq!(total(150, Some(200)).remaining(), Some(50));
    assert_eq!(total(250, Some(200)).remaining(), Some(0));
}

#[test]
fn wire_names_round_trip() {
    for k in UsageKind::ALL {
        assert_eq!(UsageKind::parse(k.as_str()), Ok(k));
    }
    assert!(UsageKind::parse("mms").is_err());
}

#[test]
fn days_on_an_offer_without_terms_keep_their_usage_and_charge_nothing() {
    // 1–14 March on a plan that rates no usage, then the forfait: the 40,000 s used on the
    // 10th stay in the first part and are never charged, the second part's allowance is intact.
    let mut segments = vec![
        segment(
            "off_plain",
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 14),
            forfait(),
        ),
        segment(
            "off_big",
            date!(2026 - 03 - 15),
            date!(2026 - 03 - 31),
            forfait(),
        ),
    ];
    segments[0].terms = None;
    let usage = [
        day(date!(2026 - 03 - 10), UsageKind::Voice, 40_000),
        day(date!(2026 - 03 - 20), UsageKind::Voice, 100),
    ];
    let rating = rate_month(&segments, 31, &usage);
    assert!(!rating[0].rated);
    assert_eq!(kind(&rating, 0, UsageKind::Voice).amount, Money::ZERO);
    assert_eq!(kind(&rating, 1, UsageKind::Voice).charged_units, 0);
    let summary = UsageSummary::of(&rating);
    assert!(summary.rated);
    let voice = summary.kinds[UsageKind::Voice.index()];
    assert_eq!((voice.used, voice.included), (40_100, Some(19_741)));
}
