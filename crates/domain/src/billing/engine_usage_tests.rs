//! Golden cases of usage on the invoice (issue #21, decision 0360): the month's usage rated
//! against each offer period's prorated allowance, one line per segment and kind charged,
//! after the subscription lines and before the pending charges.

use time::macros::date;
use time::Date;

use super::*;
use crate::billing::golden::{active_since, cases, contract, month, offer, terms, with_usage};
use crate::usage::UsageKind::{Data, Sms, Voice};

const GIB: i64 = 1_073_741_824;

fn billed(c: &BillableContract, p: &str) -> InvoiceDraft {
    bill(c, month(p)).expect("bills")
}

/// (description, quantity, unit price, amount excl. tax, tax, first day, last day) of the
/// usage lines.
pub(crate) fn usage_lines(draft: &InvoiceDraft) -> Vec<(String, i64, i64, i64, i64, Date, Date)> {
    draft
        .lines
        .iter()
        .filter_map(|l| {
            let u = l.usage?;
            Some((
                l.description.clone(),
                u.quantity,
                u.unit_price.centimes(),
                l.amount_excl_tax.centimes(),
                l.tax_amount.centimes(),
                l.start_date,
                l.end_date,
            ))
        })
        .collect()
}

/// (kind, used, included) of the invoice's usage information.
fn summary(draft: &InvoiceDraft) -> Vec<(UsageKind, i64, Option<i64>)> {
    draft
        .usage
        .iter()
        .map(|u| (u.kind, u.used, u.included))
        .collect()
}

fn march_plan(usage: &[(Date, UsageKind, i64)]) -> BillableContract {
    with_usage(
        active_since(date!(2025 - 12 - 01), 9_900),
        terms(Some(36_000), Some(200), Some(GIB)),
        usage,
    )
}

#[test]
fn usage_exactly_at_the_allowance_charges_nothing_and_shows_used_over_included() {
    let draft = billed(
        &march_plan(&[
            (date!(2026 - 03 - 03), Voice, 36_000),
            (date!(2026 - 03 - 04), Sms, 200),
            (date!(2026 - 03 - 31), Data, GIB),
        ]),
        "2026-03",
    );
    assert!(usage_lines(&draft).is_empty());
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(draft.total_excl_tax.centimes(), 9_900);
    assert_eq!(
        summary(&draft),
        [
            (Voice, 36_000, Some(36_000)),
            (Sms, 200, Some(200)),
            (Data, GIB, Some(GIB))
        ]
    );
}

#[test]
fn one_second_and_one_byte_over_charge_a_started_minute_and_a_started_mb() {
    let draft = billed(
        &march_plan(&[
            (date!(2026 - 03 - 03), Voice, 36_001),
            (date!(2026 - 03 - 31), Data, GIB + 1),
        ]),
        "2026-03",
    );
    let (first, last) = (date!(2026 - 03 - 01), date!(2026 - 03 - 31));
    assert_eq!(
        usage_lines(&draft),
        [
            (
                "Appels hors forfait : 1 min".into(),
                1,
                150,
                150,
                30,
                first,
                last
            ),
            (
                "Internet hors forfait : 1 Mo".into(),
                1,
                10,
                10,
                2,
                first,
                last
            ),
        ]
    );
    assert_eq!(draft.lines[1].kind(), "usage");
    assert_eq!(draft.lines[0].kind(), "subscription");
    assert_eq!(draft.total_excl_tax.centimes(), 9_900 + 150 + 10);
    assert_eq!(draft.total_tax.centimes(), 1_980 + 30 + 2);
}

#[test]
fn unlimited_allowances_never_charge() {
    let c = with_usage(
        active_since(date!(2025 - 12 - 01), 9_900),
        terms(None, None, None),
        &[
            (date!(2026 - 03 - 03), Voice, 10_000_000),
            (date!(2026 - 03 - 04), Sms, 99_999),
        ],
    );
    let draft = billed(&c, "2026-03");
    assert!(usage_lines(&draft).is_empty());
    assert_eq!(
        summary(&draft),
        [
            (Voice, 10_000_000, None),
            (Sms, 99_999, None),
            (Data, 0, None)
        ]
    );
}

#[test]
fn an_offer_without_terms_rates_nothing_and_shows_nothing() {
    let mut c = active_since(date!(2025 - 12 - 01), 9_900);
    c.usage = march_plan(&[(date!(2026 - 03 - 03), Voice, 99_000)]).usage;
    let draft = billed(&c, "2026-03");
    assert_eq!(draft.lines.len(), 1);
    assert!(draft.usage.is_empty());
}

#[test]
fn a_start_mid_month_prorates_the_allowance_down() {
    // April has 30 days; from the 16th: 15 days, 18,000 of 36,000 s, 100 of 200 SMS.
    let c = with_usage(
        active_since(date!(2026 - 04 - 16), 9_900),
        terms(Some(36_000), Some(200), None),
        &[
            (date!(2026 - 04 - 17), Voice, 18_060),
            (date!(2026 - 04 - 20), Sms, 101),
        ],
    );
    let draft = billed(&c, "2026-04");
    let (first, last) = (date!(2026 - 04 - 16), date!(2026 - 04 - 30));
    assert_eq!(
        usage_lines(&draft),
        [
            (
                "Appels hors forfait : 1 min".into(),
                1,
                150,
                150,
                30,
                first,
                last
            ),
            (
                "SMS hors forfait : 1 SMS".into(),
                1,
                50,
                50,
                10,
                first,
                last
            ),
        ]
    );
    assert_eq!(
        summary(&draft)[..2],
        [(Voice, 18_060, Some(18_000)), (Sms, 101, Some(100))]
    );
}

#[test]
fn a_plan_change_mid_month_splits_the_allowance_and_rates_each_part_at_its_own_terms() {
    let mut before = offer(
        "A",
        9_900,
        2000,
        date!(2025 - 06 - 01),
        Some(date!(2026 - 04 - 16)),
    );
    before.period.usage = Some(terms(Some(36_000), None, None));
    let mut after = offer("B", 19_900, 1000, date!(2026 - 04 - 16), None);
    let mut bigger = terms(Some(72_000), None, None);
    bigger.rates.voice_per_minute = Money::from_stored(100);
    after.period.usage = Some(bigger);
    let mut c = contract("ctr_1", ContractStatus::Active, vec![after, before]);
    c.usage = with_usage(
        c.clone(),
        bigger,
        &[
            // 10 minutes over A's half (18,000 s) before the change, B's half (36,000 s)
            // used exactly after it.
            (date!(2026 - 04 - 10), Voice, 18_600),
            (date!(2026 - 04 - 20), Voice, 36_000),
        ],
    )
    .usage;
    let draft = billed(&c, "2026-04");
    assert_eq!(
        usage_lines(&draft),
        [(
            "Appels hors forfait : 10 min".into(),
            10,
            150,
            1_500,
            300,
            date!(2026 - 04 - 01),
            date!(2026 - 04 - 15)
        )]
    );
    // The usage line follows both subscription lines.
    assert_eq!(draft.lines[2].position, 3);
    assert_eq!(draft.lines[2].offer_id.as_str(), "A");
    assert_eq!(summary(&draft)[0], (Voice, 54_600, Some(54_000)));
}

#[test]
fn usage_lines_come_after_the_subscription_lines_and_before_the_pending_charges() {
    let case = &cases()[22];
    assert_eq!(
        case.name,
        "usage_beyond_the_allowances_is_billed_after_the_subscription_line"
    );
    let draft = billed(&case.contracts[0], "2026-03");
    let kinds: Vec<_> = draft
        .lines
        .iter()
        .map(|l| (l.position, l.kind(), l.usage.map(|u| u.quantity)))
        .collect();
    // 61 s over: 2 started minutes; 3 SMS over; data unlimited.
    assert_eq!(
        kinds,
        [
            (1, "subscription", None),
            (2, "usage", Some(2)),
            (3, "usage", Some(3)),
            (4, "subscription", None)
        ]
    );
    assert_eq!(draft.total_excl_tax.centimes(), 9_900 + 300 + 150 + 13_504);
    let again = billed(&case.contracts[0], "2026-03");
    assert_eq!(again, draft, "rating is reproducible to the centime");
}

#[test]
fn an_account_bills_each_contracts_usage_with_its_own_lines() {
    let case = &cases()[23];
    assert_eq!(
        case.name,
        "an_account_bills_each_contracts_usage_with_its_own_lines"
    );
    let contracts: Vec<&BillableContract> = case.contracts.iter().collect();
    let draft = bill_account(&contracts, case.period).expect("bills");
    let lines: Vec<_> = draft
        .lines
        .iter()
        .map(|l| (l.contract_id.as_str(), l.description.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("ctr_1", "Offre A – mars 2026"),
            ("ctr_1", "Appels hors forfait : 2 min"),
            ("ctr_2", "Offre A – mars 2026"),
            ("ctr_2", "SMS hors forfait : 3 SMS"),
        ]
    );
    assert_eq!(draft.usage.len(), 6, "three kinds for each contract");
    assert_eq!(draft.total_excl_tax.centimes(), 2 * 9_900 + 300 + 150);
}

#[test]
fn the_consommation_block_reads_minutes_sms_and_go() {
    let case = &cases()[22];
    let invoice = case.invoice(23);
    assert_eq!(
        crate::billing::usage_block(&invoice),
        [
            "Appels : 602 min utilisées / 600 min incluses",
            "SMS : 203 SMS utilisées / 200 SMS incluses",
            "Internet : 4,65 Go utilisées / illimité",
        ]
    );
}
