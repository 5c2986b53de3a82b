//! Golden amounts of regularisations: a month billed by the engine, then billed again by the
//! engine after the change; the correction makes up the difference to the centime.

use time::macros::{date, datetime};
use time::Date;

use super::*;
use crate::billing::{bill, BillableContract, InvoiceStatus, NamedPeriod, Period};
use crate::contracts::{ContractStatus, OfferPeriod};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId};

fn month(raw: &str) -> Period {
    Period::parse(raw).expect("valid period")
}

fn period(offer: &str, price: i64, start: Date, end: Option<Date>) -> NamedPeriod {
    NamedPeriod {
        period: OfferPeriod {
            usage: None,
            offer_id: OfferId::from_stored(offer),
            monthly_price: Money::from_stored(price),
            tax_rate_bp: 2000,
            start_date: start,
            end_date: end,
        },
        offer_name: format!("Offre {offer}"),
    }
}

fn contract(
    status: ContractStatus,
    termination_date: Option<Date>,
    periods: Vec<NamedPeriod>,
) -> BillableContract {
    BillableContract {
        contract_id: ContractId::from_stored("ctr_1"),
        client_id: ClientId::from_stored("cli_1"),
        service_type: ServiceType::Mobile,
        status,
        termination_date,
        service_identifier: "+212612345678".into(),
        offer_periods: periods,
        pending_charges: Vec::new(),
        usage: Vec::new(),
        late: Vec::new(),
    }
}

/// The invoice the engine issued for `month` to `before`.
fn invoiced(before: &BillableContract, month: Period) -> Invoice {
    let draft = bill(before, month).expect("billed");
    Invoice {
        id: InvoiceId::from_stored("inv_1"),
        invoice_number: "FAC-2026-000001".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: draft.client_id,
        contract_id: draft.contract_id,
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: draft.offer_id,
        service_type: draft.service_type,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: month,
        issue_date: month.first_day(),
        due_date: month.last_day(),
        status: InvoiceStatus::Issued,
        lines: draft.lines,
        total_excl_tax: draft.total_excl_tax,
        total_tax: draft.total_tax,
        total_incl_tax: draft.total_incl_tax,
        amount_paid: Money::ZERO,
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: datetime!(2026-12-01 00:00 UTC),
        updated_at: datetime!(2026-12-01 00:00 UTC),
    }
}

fn fix(before: &BillableContract, after: &BillableContract, raw: &str) -> InvoiceCorrection {
    let month = month(raw);
    correction(&invoiced(before, month), bill(after, month).as_ref())
}

/// (position, credited excl. tax) of each credit.
fn credits(fix: &InvoiceCorrection) -> Vec<(i32, i64)> {
    fix.credits
        .iter()
        .map(|c| (c.position, c.amount_excl_tax.centimes()))
        .collect()
}

/// (offer, first day, last day, days, excl. tax) of each owed line.
fn owed(fix: &InvoiceCorrection) -> Vec<(String, Date, Date, i32, i64)> {
    fix.owed
        .iter()
        .map(|l| {
            (
                l.offer_id.to_string(),
                l.start_date,
                l.end_date,
                l.days,
                l.amount_excl_tax.centimes(),
            )
        })
        .collect()
}

fn on_a_since_june(price: i64) -> BillableContract {
    contract(
        ContractStatus::Active,
        None,
        vec![period("A", price, date!(2026 - 06 - 01), None)],
    )
}

#[test]
fn a_termination_on_the_10th_credits_the_11th_to_the_end_of_the_month() {
    // 199 MAD over 30 days: the 1st to the 10th stay billed, 6 633 (66.33 MAD) of 19 900
    // (half-up on the kept part, as the engine bills it) is credited.
    let before = on_a_since_june(19_900);
    let after = contract(
        ContractStatus::Terminated,
        Some(date!(2026 - 11 - 10)),
        vec![period(
            "A",
            19_900,
            date!(2026 - 06 - 01),
            Some(date!(2026 - 11 - 11)),
        )],
    );
    let fix = fix(&before, &after, "2026-11");
    assert_eq!(credits(&fix), [(1, 19_900 - 6_633)]);
    assert!(fix.owed.is_empty());
}

#[test]
fn the_credit_is_the_line_less_what_the_engine_bills_so_halves_do_not_add_a_centime() {
    // 99.99 MAD over 30 days, terminated on the 15th: the kept half is 4 999.5 → 5 000; the
    // credit is 4 999, not a second half-up 5 000 that would credit a centime too many.
    let before = on_a_since_june(9_999);
    let after = contract(
        ContractStatus::Terminated,
        Some(date!(2026 - 11 - 15)),
        vec![period(
            "A",
            9_999,
            date!(2026 - 06 - 01),
            Some(date!(2026 - 11 - 16)),
        )],
    );
    let fix = fix(&before, &after, "2026-11");
    assert_eq!(credits(&fix), [(1, 4_999)]);
}

#[test]
fn a_month_after_the_termination_is_credited_in_full() {
    let before = on_a_since_june(19_900);
    let after = contract(
        ContractStatus::Terminated,
        Some(date!(2026 - 11 - 10)),
        vec![period(
            "A",
            19_900,
            date!(2026 - 06 - 01),
            Some(date!(2026 - 11 - 11)),
        )],
    );
    let fix = fix(&before, &after, "2026-12");
    assert_eq!(credits(&fix), [(1, 19_900)]);
    assert!(fix.owed.is_empty());
}

#[test]
fn an_upgrade_on_the_10th_credits_the_old_offer_and_owes_the_new_one_from_the_10th() {
    // 100 MAD → 200 MAD on 10 November (30 days): A keeps the 1st–9th (3 000), B is owed for
    // the 10th–30th (21 days: 14 000).
    let before = on_a_since_june(10_000);
    let after = contract(
        ContractStatus::Active,
        None,
        vec![
            period(
                "A",
                10_000,
                date!(2026 - 06 - 01),
                Some(date!(2026 - 11 - 10)),
            ),
            period("B", 20_000, date!(2026 - 11 - 10), None),
        ],
    );
    let fix = fix(&before, &after, "2026-11");
    assert_eq!(credits(&fix), [(1, 7_000)]);
    assert_eq!(
        owed(&fix),
        [(
            "B".to_owned(),
            date!(2026 - 11 - 10),
            date!(2026 - 11 - 30),
            21,
            14_000
        )]
    );
}

#[test]
fn a_downgrade_credits_the_old_offer_and_owes_the_cheaper_one() {
    // 31-day month, 199 → 99 MAD on the 20th: A keeps 19 days (12 197), B owes 12 days
    // (3 832).
    let before = on_a_since_june(19_900);
    let after = contract(
        ContractStatus::Active,
        None,
        vec![
            period(
                "A",
                19_900,
                date!(2026 - 06 - 01),
                Some(date!(2026 - 12 - 20)),
            ),
            period("B", 9_900, date!(2026 - 12 - 20), None),
        ],
    );
    let fix = fix(&before, &after, "2026-12");
    assert_eq!(credits(&fix), [(1, 19_900 - 12_197)]);
    assert_eq!(
        owed(&fix),
        [(
            "B".to_owned(),
            date!(2026 - 12 - 20),
            date!(2026 - 12 - 31),
            12,
            3_832
        )]
    );
}

#[test]
fn a_change_from_the_first_day_of_an_offer_period_replaces_its_whole_line() {
    let before = contract(
        ContractStatus::Active,
        None,
        vec![period("A", 10_000, date!(2026 - 11 - 05), None)],
    );
    let after = contract(
        ContractStatus::Active,
        None,
        vec![period("B", 20_000, date!(2026 - 11 - 05), None)],
    );
    let fix = fix(&before, &after, "2026-11");
    assert_eq!(credits(&fix), [(1, 8_667)]);
    assert_eq!(
        owed(&fix),
        [(
            "B".to_owned(),
            date!(2026 - 11 - 05),
            date!(2026 - 11 - 30),
            26,
            17_333
        )]
    );
}

#[test]
fn a_suspension_bills_the_same_so_nothing_is_corrected() {
    let before = on_a_since_june(19_900);
    let mut after = before.clone();
    after.status = ContractStatus::Suspended;
    assert!(fix(&before, &after, "2026-11").is_empty());
}

#[test]
fn lines_of_another_month_on_the_invoice_are_left_alone() {
    // December's invoice also bills a regularisation of November: only December's own line
    // is compared.
    let before = on_a_since_june(10_000);
    let mut invoice = invoiced(&before, month("2026-12"));
    let mut charge = invoice.lines[0].clone();
    charge.position = 2;
    charge.start_date = date!(2026 - 11 - 10);
    charge.end_date = date!(2026 - 11 - 30);
    invoice.lines.push(charge);
    let after = before.clone();
    let fix = correction(&invoice, bill(&after, month("2026-12")).as_ref());
    assert!(fix.is_empty(), "{fix:?}");
}

#[test]
fn dates_print_as_day_month_year() {
    assert_eq!(french_date(date!(2026 - 11 - 05)), "05/11/2026");
}
