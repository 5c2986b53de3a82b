//! Golden cases of the billing engine: month lengths, first and last days, plan changes,
//! terminations, statuses and half-up rounding.

use time::macros::date;
use time::Date;

use super::*;
use crate::billing::golden::{self, active_since, charge, month, offer};
use crate::typed_ids::{ContractId, OfferId};

/// The engine's cases bill one contract, `ctr_1`; the helpers are the golden cases' own.
fn contract(status: ContractStatus, periods: Vec<NamedPeriod>) -> BillableContract {
    golden::contract("ctr_1", status, periods)
}

/// (start, end, days, excl, tax, incl) of each line.
fn lines(draft: &InvoiceDraft) -> Vec<(Date, Date, i32, i64, i64, i64)> {
    draft
        .lines
        .iter()
        .map(|l| {
            (
                l.start_date,
                l.end_date,
                l.days,
                l.amount_excl_tax.centimes(),
                l.tax_amount.centimes(),
                l.amount_incl_tax.centimes(),
            )
        })
        .collect()
}

fn billed(c: &BillableContract, p: &str) -> InvoiceDraft {
    bill(c, month(p)).expect("billable")
}

#[test]
fn a_full_31_day_month_bills_the_monthly_price() {
    let draft = billed(&active_since(date!(2025 - 06 - 01), 9_900), "2026-01");
    assert_eq!(
        lines(&draft),
        vec![(
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 31),
            31,
            9_900,
            1_980,
            11_880
        )]
    );
    assert_eq!(
        (
            draft.total_excl_tax.centimes(),
            draft.total_tax.centimes(),
            draft.total_incl_tax.centimes()
        ),
        (9_900, 1_980, 11_880)
    );
    assert_eq!(draft.lines[0].description, "Offre A – janvier 2026");
}

#[test]
fn a_30_day_month_started_mid_month_bills_half() {
    let draft = billed(&active_since(date!(2026 - 04 - 16), 9_900), "2026-04");
    assert_eq!(
        lines(&draft),
        vec![(
            date!(2026 - 04 - 16),
            date!(2026 - 04 - 30),
            15,
            4_950,
            990,
            5_940
        )]
    );
    assert_eq!(draft.lines[0].description, "Offre A – avril 2026 (prorata)");
}

#[test]
fn february_of_28_days_prorates_by_28() {
    let draft = billed(&active_since(date!(2026 - 02 - 15), 9_900), "2026-02");
    let (_, _, days, excl, _, _) = lines(&draft)[0];
    assert_eq!((days, excl), (14, 4_950));
    let full = billed(&active_since(date!(2026 - 02 - 01), 9_900), "2026-02");
    assert_eq!(lines(&full)[0].3, 9_900);
}

#[test]
fn february_of_29_days_prorates_by_29() {
    let full = billed(&active_since(date!(2028 - 02 - 01), 9_900), "2028-02");
    assert_eq!(lines(&full)[0].2, 29);
    assert_eq!(lines(&full)[0].3, 9_900);
    // One day: 9 900 / 29 = 341.38 → 341; tax 68.2 → 68.
    let last_day = billed(&active_since(date!(2028 - 02 - 29), 9_900), "2028-02");
    assert_eq!(
        lines(&last_day),
        vec![(
            date!(2028 - 02 - 29),
            date!(2028 - 02 - 29),
            1,
            341,
            68,
            409
        )]
    );
}

#[test]
fn a_start_on_the_last_day_of_a_31_day_month_bills_one_day() {
    // 9 900 / 31 = 319.35 → 319; tax 63.8 → 64.
    let draft = billed(&active_since(date!(2026 - 03 - 31), 9_900), "2026-03");
    assert_eq!(
        lines(&draft),
        vec![(
            date!(2026 - 03 - 31),
            date!(2026 - 03 - 31),
            1,
            319,
            64,
            383
        )]
    );
}

#[test]
fn a_plan_change_mid_month_bills_one_line_per_offer_period() {
    // Periods given out of order: the engine sorts them by start date.
    let c = contract(
        ContractStatus::Active,
        vec![
            offer("B", 19_900, 2000, date!(2026 - 03 - 16), None),
            offer(
                "A",
                9_900,
                2000,
                date!(2025 - 01 - 01),
                Some(date!(2026 - 03 - 16)),
            ),
        ],
    );
    let draft = billed(&c, "2026-03");
    // A: 15/31 of 9 900 = 4 790.32 → 4 790, tax 958. B: 16/31 of 19 900 = 10 270.97 → 10 271,
    // tax 2 054.2 → 2 054.
    assert_eq!(
        lines(&draft),
        vec![
            (
                date!(2026 - 03 - 01),
                date!(2026 - 03 - 15),
                15,
                4_790,
                958,
                5_748
            ),
            (
                date!(2026 - 03 - 16),
                date!(2026 - 03 - 31),
                16,
                10_271,
                2_054,
                12_325
            ),
        ]
    );
    assert_eq!(
        (
            draft.total_excl_tax.centimes(),
            draft.total_tax.centimes(),
            draft.total_incl_tax.centimes()
        ),
        (15_061, 3_012, 18_073)
    );
    assert_eq!(draft.offer_id, "B");
    assert_eq!(
        draft.lines.iter().map(|l| l.position).collect::<Vec<_>>(),
        [1, 2]
    );
}

#[test]
fn a_plan_change_on_the_first_of_the_month_bills_only_the_new_offer() {
    let c = contract(
        ContractStatus::Active,
        vec![
            offer(
                "A",
                9_900,
                2000,
                date!(2025 - 01 - 01),
                Some(date!(2026 - 03 - 01)),
            ),
            offer("B", 19_900, 2000, date!(2026 - 03 - 01), None),
        ],
    );
    let draft = billed(&c, "2026-03");
    assert_eq!(draft.lines.len(), 1);
    assert_eq!(draft.lines[0].offer_id, "B");
    assert_eq!(draft.lines[0].amount_excl_tax, Money::from_stored(19_900));
}

#[test]
fn a_termination_mid_month_bills_up_to_the_termination_date_inclusive() {
    let mut c = active_since(date!(2025 - 01 - 01), 9_900);
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(date!(2026 - 03 - 10));
    // 10/31 of 9 900 = 3 193.55 → 3 194; tax 638.8 → 639.
    assert_eq!(
        lines(&billed(&c, "2026-03")),
        vec![(
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 10),
            10,
            3_194,
            639,
            3_833
        )]
    );
}

#[test]
fn a_contract_started_and_terminated_the_same_day_bills_one_day() {
    let mut c = active_since(date!(2026 - 03 - 10), 3_100);
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(date!(2026 - 03 - 10));
    assert_eq!(lines(&billed(&c, "2026-03"))[0].2, 1);
    assert_eq!(lines(&billed(&c, "2026-03"))[0].3, 100);
}

#[test]
fn a_contract_terminated_after_the_month_bills_the_whole_month() {
    let mut c = active_since(date!(2025 - 01 - 01), 9_900);
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(date!(2026 - 04 - 05));
    assert_eq!(lines(&billed(&c, "2026-03"))[0].3, 9_900);
}

#[test]
fn a_contract_terminated_before_the_month_is_not_billable() {
    let mut c = active_since(date!(2025 - 01 - 01), 9_900);
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(date!(2026 - 02 - 28));
    assert_eq!(bill(&c, month("2026-03")), None);
    c.termination_date = None;
    assert_eq!(
        bill(&c, month("2026-02")),
        None,
        "no known end: never billed"
    );
}

#[test]
fn pending_and_cancelled_contracts_are_never_billable() {
    for status in [ContractStatus::Pending, ContractStatus::Cancelled] {
        let mut c = active_since(date!(2025 - 01 - 01), 9_900);
        c.status = status;
        assert_eq!(bill(&c, month("2026-03")), None, "{status:?}");
    }
}

#[test]
fn suspended_contracts_are_billed_like_active_ones() {
    let mut c = active_since(date!(2025 - 01 - 01), 9_900);
    c.status = ContractStatus::Suspended;
    assert_eq!(
        billed(&c, "2026-03").total_excl_tax,
        Money::from_stored(9_900)
    );
}

#[test]
fn a_contract_whose_service_does_not_touch_the_month_is_not_billable() {
    assert_eq!(
        bill(
            &active_since(date!(2026 - 04 - 01), 9_900),
            month("2026-03")
        ),
        None
    );
    let ended = contract(
        ContractStatus::Active,
        vec![offer(
            "A",
            9_900,
            2000,
            date!(2025 - 01 - 01),
            Some(date!(2026 - 03 - 01)),
        )],
    );
    assert_eq!(bill(&ended, month("2026-03")), None);
    assert_eq!(
        bill(&contract(ContractStatus::Active, vec![]), month("2026-03")),
        None
    );
}

#[test]
fn amounts_and_tax_round_half_up_to_the_centime() {
    // 2 010 × 15 / 30 = 1 005 exactly; tax at 10 % = 100.5 → 101.
    let c = contract(
        ContractStatus::Active,
        vec![offer("A", 2_010, 1000, date!(2026 - 04 - 16), None)],
    );
    let (_, _, _, excl, tax, _) = lines(&billed(&c, "2026-04"))[0];
    assert_eq!((excl, tax), (1_005, 101));
    // 101 × 15 / 30 = 50.5 → 51; tax at 20 % = 10.2 → 10.
    let c = contract(
        ContractStatus::Active,
        vec![offer("A", 101, 2000, date!(2026 - 04 - 16), None)],
    );
    assert_eq!(
        lines(&billed(&c, "2026-04"))[0],
        (date!(2026 - 04 - 16), date!(2026 - 04 - 30), 15, 51, 10, 61)
    );
    // 1 × 1 / 31 = 0.03 → 0: a line of zero is still stated.
    let c = contract(
        ContractStatus::Active,
        vec![offer("A", 1, 2000, date!(2026 - 03 - 31), None)],
    );
    assert_eq!(lines(&billed(&c, "2026-03"))[0].3, 0);
}

#[test]
fn each_line_is_taxed_at_its_own_period_rate() {
    let c = contract(
        ContractStatus::Active,
        vec![
            offer(
                "A",
                10_000,
                1000,
                date!(2025 - 01 - 01),
                Some(date!(2026 - 04 - 16)),
            ),
            offer("B", 10_000, 2000, date!(2026 - 04 - 16), None),
        ],
    );
    let draft = billed(&c, "2026-04");
    assert_eq!(
        draft
            .lines
            .iter()
            .map(|l| (
                l.tax_rate_bp,
                l.amount_excl_tax.centimes(),
                l.tax_amount.centimes()
            ))
            .collect::<Vec<_>>(),
        vec![(1000, 5_000, 500), (2000, 5_000, 1_000)]
    );
    assert_eq!(draft.total_tax, Money::from_stored(1_500));
}

#[test]
fn a_pending_charge_is_billed_after_the_months_lines_with_its_own_tax() {
    let mut contract = active_since(date!(2025 - 12 - 01), 9_900);
    contract.pending_charges = vec![charge()];
    let draft = bill(&contract, month("2026-03")).unwrap();
    assert_eq!(
        lines(&draft),
        [
            (
                date!(2026 - 03 - 01),
                date!(2026 - 03 - 31),
                31,
                9_900,
                1_980,
                11_880
            ),
            (
                date!(2026 - 02 - 10),
                date!(2026 - 02 - 28),
                19,
                13_504,
                2_701,
                16_205
            ),
        ]
    );
    assert_eq!(draft.lines[1].position, 2);
    assert_eq!(draft.lines[1].description, charge().description);
    // The invoice's offer is the service's, not the charge's.
    assert_eq!(draft.offer_id, OfferId::from_stored("A"));
    assert_eq!(
        (draft.total_excl_tax.centimes(), draft.total_tax.centimes()),
        (23_404, 4_681)
    );
}

#[test]
fn a_contract_whose_service_ended_is_invoiced_for_its_pending_charges_alone() {
    let mut contract = contract(
        ContractStatus::Terminated,
        vec![offer("A", 9_900, 2000, date!(2025 - 12 - 01), None)],
    );
    contract.termination_date = Some(date!(2026 - 02 - 28));
    assert_eq!(bill(&contract, month("2026-03")), None);
    contract.pending_charges = vec![charge()];
    let draft = bill(&contract, month("2026-03")).unwrap();
    assert_eq!(
        lines(&draft),
        [(
            date!(2026 - 02 - 10),
            date!(2026 - 02 - 28),
            19,
            13_504,
            2_701,
            16_205
        )]
    );
    assert_eq!(draft.offer_id, OfferId::from_stored("B"));
    // Never a cancelled or pending contract: those never had an invoiced month.
    contract.status = ContractStatus::Cancelled;
    assert_eq!(bill(&contract, month("2026-03")), None);
}

fn of(id: &str, service: ServiceType, periods: Vec<NamedPeriod>) -> BillableContract {
    BillableContract {
        contract_id: ContractId::from_stored(id),
        service_type: service,
        ..contract(ContractStatus::Active, periods)
    }
}

#[test]
fn an_account_bills_its_contracts_on_one_invoice_grouped_by_contract() {
    let c3 = of(
        "ctr_3",
        ServiceType::Internet,
        vec![offer("F", 30_000, 2000, date!(2026 - 01 - 16), None)],
    );
    let c1 = of(
        "ctr_1",
        ServiceType::Mobile,
        vec![
            offer(
                "A",
                9_900,
                2000,
                date!(2025 - 06 - 01),
                Some(date!(2026 - 01 - 11)),
            ),
            offer("B", 19_900, 2000, date!(2026 - 01 - 11), None),
        ],
    );
    let c2 = of(
        "ctr_2",
        ServiceType::Mobile,
        vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
    );
    let draft = bill_account(&[&c3, &c1, &c2], month("2026-01")).expect("billable");
    assert_eq!(draft.invoicing, crate::clients::Invoicing::PerAccount);
    assert_eq!(
        draft.contract_id, "ctr_1",
        "the first contract names the invoice"
    );
    let grouped: Vec<(i32, &str, &str)> = draft
        .lines
        .iter()
        .map(|l| (l.position, l.contract_id.as_str(), l.offer_id.as_str()))
        .collect();
    assert_eq!(
        grouped,
        [
            (1, "ctr_1", "A"),
            (2, "ctr_1", "B"),
            (3, "ctr_2", "A"),
            (4, "ctr_3", "F")
        ]
    );
    let each: Vec<InvoiceDraft> = [&c1, &c2, &c3]
        .iter()
        .map(|c| billed(c, "2026-01"))
        .collect();
    let sum = |f: fn(&InvoiceDraft) -> i64| each.iter().map(f).sum::<i64>();
    assert_eq!(
        draft.total_excl_tax.centimes(),
        sum(|d| d.total_excl_tax.centimes())
    );
    assert_eq!(draft.total_tax.centimes(), sum(|d| d.total_tax.centimes()));
    assert_eq!(
        draft.total_incl_tax.centimes(),
        sum(|d| d.total_incl_tax.centimes())
    );
}

#[test]
fn an_account_whose_first_contract_does_not_bill_is_named_by_the_next() {
    let later = of(
        "ctr_1",
        ServiceType::Mobile,
        vec![offer("A", 9_900, 2000, date!(2026 - 02 - 01), None)],
    );
    let now = of(
        "ctr_2",
        ServiceType::Mobile,
        vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
    );
    let draft = bill_account(&[&later, &now], month("2026-01")).expect("billable");
    assert_eq!(draft.contract_id, "ctr_2");
    assert_eq!(draft.lines.len(), 1);
    assert!(bill_account(&[&later], month("2026-01")).is_none());
}

#[test]
fn an_accounts_pending_charge_goes_with_the_other_lines_of_its_contract() {
    let mut c1 = of(
        "ctr_1",
        ServiceType::Mobile,
        vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
    );
    c1.pending_charges = vec![charge()];
    let c2 = of(
        "ctr_2",
        ServiceType::Mobile,
        vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
    );
    let draft = bill_account(&[&c2, &c1], month("2026-03")).expect("billable");
    let grouped: Vec<(i32, &str, &str)> = draft
        .lines
        .iter()
        .map(|l| (l.position, l.contract_id.as_str(), l.description.as_str()))
        .collect();
    assert_eq!(
        grouped,
        [
            (1, "ctr_1", "Offre A – mars 2026"),
            (2, "ctr_1", charge().description.as_str()),
            (3, "ctr_2", "Offre A – mars 2026"),
        ]
    );
    assert_eq!(
        draft.total_excl_tax.centimes(),
        9_900 + 13_504 + 9_900,
        "the charge is counted once, on the account's invoice"
    );
}
