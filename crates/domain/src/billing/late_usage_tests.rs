//! Golden cases of late usage (issue #21, decision 0377): records that arrived after their
//! month was invoiced are billed on the next invoice for what they add to that month, dated
//! by themselves, after the month's own usage lines and before the pending charges.

use time::macros::date;

use super::*;
use crate::billing::engine::usage_tests::usage_lines;
use crate::billing::golden::{
    active_since, cases, contract, month, offer, terms, with_late, with_usage,
};
use crate::billing::{bill, bill_account, InvoiceDraft};
use crate::contracts::ContractStatus;
use crate::money::Money;
use crate::typed_ids::ContractId;
use crate::usage::UsageKind::{Data, Sms, Voice};

const GOLDEN: usize = 24;

fn billed(c: &BillableContract, p: &str) -> InvoiceDraft {
    bill(c, month(p)).expect("bills")
}

/// A plan of 10 h, 200 SMS and 1 GiB since December 2025, with no usage in the month billed.
fn plan() -> BillableContract {
    with_usage(
        active_since(date!(2025 - 12 - 01), 9_900),
        terms(Some(36_000), Some(200), Some(1_073_741_824)),
        &[],
    )
}

#[test]
fn a_late_record_is_billed_on_the_next_invoice_with_its_own_dates() {
    let case = &cases()[GOLDEN];
    assert_eq!(
        case.name,
        "a_late_record_is_billed_on_the_next_invoice_with_its_own_dates"
    );
    let march = billed(&case.contracts[0], "2026-03");
    let lines: Vec<_> = march
        .lines
        .iter()
        .map(|l| (l.position, l.kind(), l.description.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (1, "subscription", "Offre A – mars 2026"),
            (2, "usage", "Appels hors forfait : 1 min"),
            (
                3,
                "usage",
                "Appels hors forfait (février 2026, reçus après facturation) : 2 min"
            ),
            (
                4,
                "subscription",
                "Régularisation changement d'offre du 10/02/2026 au 28/02/2026"
            ),
        ]
    );
    assert_eq!(
        usage_lines(&march)[1],
        (
            "Appels hors forfait (février 2026, reçus après facturation) : 2 min".into(),
            2,
            150,
            300,
            60,
            date!(2026 - 02 - 27),
            date!(2026 - 02 - 27)
        )
    );
    assert_eq!(march.lines[2].days, 1);
    assert_eq!(march.lines[2].offer_id.as_str(), "A");
    assert_eq!(march.total_excl_tax.centimes(), 9_900 + 150 + 300 + 13_504);
    // The used / included information is March's alone.
    assert_eq!(march.usage[0].used, 36_060);
    assert_eq!(march.usage[1].used, 0);
    // February as it was issued, before the late records: no usage line.
    let mut february = case.contracts[0].clone();
    february.late.clear();
    february.pending_charges.clear();
    february.usage = case.contracts[0].late[0].billed.clone();
    let february = billed(&february, "2026-02");
    assert!(usage_lines(&february).is_empty());
    assert_eq!(february.total_excl_tax.centimes(), 9_900);
}

#[test]
fn a_late_record_inside_the_allowance_left_adds_no_unit_and_no_line() {
    // 35,950 s billed; 50 s late reach the 10 h exactly; 5 SMS fit in the 100 left.
    let c = with_late(
        plan(),
        "2026-02",
        &[
            (date!(2026 - 02 - 10), Voice, 35_950),
            (date!(2026 - 02 - 12), Sms, 100),
        ],
        &[
            (date!(2026 - 02 - 20), Voice, 50),
            (date!(2026 - 02 - 21), Sms, 5),
        ],
    );
    let march = billed(&c, "2026-03");
    assert!(usage_lines(&march).is_empty());
    assert_eq!(march.lines.len(), 1);
    assert_eq!(march.total_excl_tax.centimes(), 9_900);
}

#[test]
fn a_month_already_over_its_allowance_is_charged_only_the_units_the_late_records_add() {
    // February was billed 60 s over (1 min); 30 s late make 90 s over, 2 started minutes:
    // one more. 1 MiB + 1 byte of data late on an allowance already used: 2 started MB.
    let c = with_late(
        plan(),
        "2026-02",
        &[
            (date!(2026 - 02 - 10), Voice, 36_060),
            (date!(2026 - 02 - 11), Data, 1_073_741_824),
        ],
        &[
            (date!(2026 - 02 - 03), Voice, 20),
            (date!(2026 - 02 - 25), Voice, 10),
            (date!(2026 - 02 - 26), Data, 1_048_577),
        ],
    );
    let (first, last) = (date!(2026 - 02 - 03), date!(2026 - 02 - 25));
    assert_eq!(
        usage_lines(&billed(&c, "2026-03")),
        [
            (
                "Appels hors forfait (février 2026, reçus après facturation) : 1 min".into(),
                1,
                150,
                150,
                30,
                first,
                last
            ),
            (
                "Internet hors forfait (février 2026, reçus après facturation) : 2 Mo".into(),
                2,
                10,
                20,
                4,
                date!(2026 - 02 - 26),
                date!(2026 - 02 - 26)
            ),
        ]
    );
}

#[test]
fn late_records_across_a_plan_change_are_rated_in_their_own_segment_at_its_terms_and_tax() {
    // A until 15 February (10 %, 1 h a month: 1,928 s for 15 days), B from the 16th (20 %,
    // 2 h: 3,342 s for 13 days, 1.00 MAD a minute). Late: 32 s over A's share, 108 s over
    // B's.
    let mut a = offer(
        "A",
        9_900,
        1000,
        date!(2025 - 06 - 01),
        Some(date!(2026 - 02 - 16)),
    );
    a.period.usage = Some(terms(Some(3_600), None, None));
    let mut b = offer("B", 19_900, 2000, date!(2026 - 02 - 16), None);
    let mut bigger = terms(Some(7_200), None, None);
    bigger.rates.voice_per_minute = Money::from_stored(100);
    b.period.usage = Some(bigger);
    let c = with_late(
        contract("ctr_1", ContractStatus::Active, vec![b, a]),
        "2026-02",
        &[(date!(2026 - 02 - 02), Voice, 1_900)],
        &[
            (date!(2026 - 02 - 14), Voice, 60),
            (date!(2026 - 02 - 16), Voice, 3_000),
            (date!(2026 - 02 - 28), Voice, 450),
        ],
    );
    assert_eq!(
        usage_lines(&billed(&c, "2026-03")),
        [
            (
                "Appels hors forfait (février 2026, reçus après facturation) : 1 min".into(),
                1,
                150,
                150,
                15,
                date!(2026 - 02 - 14),
                date!(2026 - 02 - 14)
            ),
            (
                "Appels hors forfait (février 2026, reçus après facturation) : 2 min".into(),
                2,
                100,
                200,
                40,
                date!(2026 - 02 - 16),
                date!(2026 - 02 - 28)
            ),
        ]
    );
    let march = billed(&c, "2026-03");
    assert_eq!(march.lines[1].offer_id.as_str(), "A");
    assert_eq!(march.lines[2].offer_id.as_str(), "B");
}

#[test]
fn several_late_months_are_billed_oldest_first() {
    let c = with_late(
        with_late(plan(), "2026-02", &[], &[(date!(2026 - 02 - 09), Sms, 201)]),
        "2026-01",
        &[],
        &[(date!(2026 - 01 - 31), Sms, 202)],
    );
    let descriptions: Vec<String> = usage_lines(&billed(&c, "2026-03"))
        .into_iter()
        .map(|l| l.0)
        .collect();
    assert_eq!(
        descriptions,
        [
            "SMS hors forfait (janvier 2026, reçus après facturation) : 2 SMS",
            "SMS hors forfait (février 2026, reçus après facturation) : 1 SMS",
        ]
    );
}

#[test]
fn a_contract_whose_service_ended_is_invoiced_for_its_late_usage_alone() {
    let mut c = with_late(plan(), "2026-02", &[], &[(date!(2026 - 02 - 20), Sms, 203)]);
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(date!(2026 - 02 - 28));
    let march = billed(&c, "2026-03");
    assert_eq!(march.lines.len(), 1);
    assert_eq!(march.lines[0].kind(), "usage");
    assert_eq!(march.offer_id.as_str(), "A");
    assert_eq!(march.total_excl_tax.centimes(), 150);
    assert!(march.usage.is_empty(), "no day of March to rate");
    // Late records that add nothing make no invoice.
    let mut quiet = with_late(plan(), "2026-02", &[], &[(date!(2026 - 02 - 20), Sms, 3)]);
    quiet.status = ContractStatus::Terminated;
    quiet.termination_date = Some(date!(2026 - 02 - 28));
    assert_eq!(bill(&quiet, month("2026-03")), None);
}

#[test]
fn a_late_record_after_the_termination_date_counts_in_the_last_segment() {
    // Attribution rules it out; the engine still charges it in the last segment served.
    let mut c = with_late(plan(), "2026-02", &[], &[(date!(2026 - 02 - 25), Sms, 201)]);
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(date!(2026 - 02 - 13));
    // 13 of 28 days of 200 SMS: 92 included, 109 over.
    let march = billed(&c, "2026-03");
    assert_eq!(march.lines[0].usage.map(|u| u.quantity), Some(109));
}

#[test]
fn an_account_bills_a_contracts_late_usage_within_its_group() {
    let late = with_late(plan(), "2026-02", &[], &[(date!(2026 - 02 - 20), Sms, 201)]);
    let other = BillableContract {
        contract_id: ContractId::from_stored("ctr_2"),
        ..plan()
    };
    let draft = bill_account(&[&other, &late], month("2026-03")).expect("bills");
    let lines: Vec<_> = draft
        .lines
        .iter()
        .map(|l| (l.position, l.contract_id.as_str(), l.kind()))
        .collect();
    assert_eq!(
        lines,
        [
            (1, "ctr_1", "subscription"),
            (2, "ctr_1", "usage"),
            (3, "ctr_2", "subscription"),
        ]
    );
    assert_eq!(draft.total_excl_tax.centimes(), 2 * 9_900 + 50);
}

#[test]
fn an_offer_without_terms_in_the_late_month_rates_nothing() {
    let mut c = with_late(plan(), "2026-02", &[], &[(date!(2026 - 02 - 20), Sms, 500)]);
    c.late[0].offer_periods[0].period.usage = None;
    assert!(usage_lines(&billed(&c, "2026-03")).is_empty());
}
