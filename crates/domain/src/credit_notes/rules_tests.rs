use time::macros::date;
use time::OffsetDateTime;

use super::*;
use crate::billing::Period;
use crate::money::tax_amount;
use crate::service_type::ServiceType;
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId};

fn line(position: i32, excl: i64, rate: i32) -> InvoiceLine {
    let tax = tax_amount(excl, rate);
    InvoiceLine {
        position,
        contract_id: crate::typed_ids::ContractId::from_stored("ctr_1"),
        service_identifier: None,
        description: format!("Ligne {position}"),
        offer_id: OfferId::from_stored("ofr_1"),
        start_date: date!(2026 - 11 - 01),
        end_date: date!(2026 - 11 - 30),
        days: 30,
        monthly_price: Money::from_stored(excl),
        amount_excl_tax: Money::from_stored(excl),
        tax_rate_bp: rate,
        tax_amount: Money::from_stored(tax),
        amount_incl_tax: Money::from_stored(excl + tax),
        usage: None,
    }
}

/// An invoice of the lines, `paid` of it paid and `credited` of it credited.
fn invoice(lines: Vec<InvoiceLine>, paid: i64, credited: i64) -> Invoice {
    let excl: Money = lines.iter().map(|l| l.amount_excl_tax).sum();
    let tax: Money = lines.iter().map(|l| l.tax_amount).sum();
    let total = excl.saturating_add(tax);
    let (paid, credited) = (Money::from_stored(paid), Money::from_stored(credited));
    Invoice {
        id: InvoiceId::from_stored("inv_1"),
        invoice_number: "FAC-2026-000001".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored("cli_1"),
        contract_id: ContractId::from_stored("ctr_1"),
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: OfferId::from_stored("ofr_1"),
        service_type: ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: Period::parse("2026-11").expect("period"),
        issue_date: date!(2026 - 12 - 01),
        due_date: date!(2026 - 12 - 16),
        status: InvoiceStatus::for_settlement(total, paid, credited),
        lines,
        total_excl_tax: excl,
        total_tax: tax,
        total_incl_tax: total,
        amount_paid: paid,
        credited_amount: credited,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
    }
}

fn ask(position: i32, excl: i64) -> RequestedLine {
    RequestedLine {
        position,
        amount_excl_tax: Money::from_stored(excl),
    }
}

fn credited_of(lines: &[CreditNoteLine]) -> Vec<CreditedLine> {
    lines
        .iter()
        .map(|l| CreditedLine {
            position: l.position,
            amount_excl_tax: l.amount_excl_tax,
            tax_amount: l.tax_amount,
        })
        .collect()
}

/// Adds `more` to what was credited before, line by line.
fn add(before: &[CreditedLine], more: &[CreditNoteLine]) -> Vec<CreditedLine> {
    let mut all = before.to_vec();
    for l in credited_of(more) {
        match all.iter_mut().find(|c| c.position == l.position) {
            Some(c) => {
                c.amount_excl_tax = c.amount_excl_tax.saturating_add(l.amount_excl_tax);
                c.tax_amount = c.tax_amount.saturating_add(l.tax_amount);
            }
            None => all.push(l),
        }
    }
    all
}

fn figures(lines: &[CreditNoteLine]) -> Vec<(i32, i64, i64, i64)> {
    lines
        .iter()
        .map(|l| {
            (
                l.position,
                l.amount_excl_tax.centimes(),
                l.tax_amount.centimes(),
                l.amount_incl_tax.centimes(),
            )
        })
        .collect()
}

#[test]
fn a_full_note_credits_every_line_exactly() {
    let inv = invoice(vec![line(1, 9_950, 2000), line(2, 1_000, 1000)], 0, 0);
    let lines = credit_lines(&inv, &[], None).expect("lines");
    assert_eq!(
        figures(&lines),
        vec![(1, 9_950, 1_990, 11_940), (2, 1_000, 100, 1_100)]
    );
}

#[test]
fn a_partial_entry_takes_tva_half_up_at_the_line_rate() {
    // 33.33 MAD at 20 %: 6.666 → 6.67.
    let inv = invoice(vec![line(1, 9_950, 2000)], 0, 0);
    let lines = credit_lines(&inv, &[], Some(&[ask(1, 3_333)])).expect("lines");
    assert_eq!(figures(&lines), vec![(1, 3_333, 667, 4_000)]);
}

#[test]
fn partial_notes_then_a_full_one_add_up_to_the_invoice_to_the_centime() {
    // Two entries of 33.17 MAD round their TVA (6.634 → 6.63) and one of 3.33 at 10 %
    // (0.333 → 0.33); the full note then takes exactly what remains, so the sums equal the
    // invoice's totals.
    let inv = invoice(vec![line(1, 9_950, 2000), line(2, 1_001, 1000)], 0, 0);
    let first = credit_lines(&inv, &[], Some(&[ask(1, 3_317), ask(2, 333)])).expect("1st");
    let done = credited_of(&first);
    let second = credit_lines(&inv, &done, Some(&[ask(1, 3_317)])).expect("2nd");
    let done = add(&done, &second);
    let last = credit_lines(&inv, &done, None).expect("full");
    let all = add(&done, &last);
    let excl: i64 = all.iter().map(|c| c.amount_excl_tax.centimes()).sum();
    let tax: i64 = all.iter().map(|c| c.tax_amount.centimes()).sum();
    assert_eq!(excl, inv.total_excl_tax.centimes());
    assert_eq!(tax, inv.total_tax.centimes());
    assert_eq!(figures(&last)[0].1, 9_950 - 2 * 3_317);
}

#[test]
fn the_entry_reaching_the_end_of_a_line_takes_the_tva_that_remains() {
    // 0.05 + 0.05 at 20 %: each rounds to 0.01, and the line's TVA is 0.02: the second
    // entry, which completes the line, takes exactly what remains.
    let inv = invoice(vec![line(1, 10, 2000)], 0, 0);
    let first = credit_lines(&inv, &[], Some(&[ask(1, 5)])).expect("1st");
    assert_eq!(figures(&first), vec![(1, 5, 1, 6)]);
    let second = credit_lines(&inv, &credited_of(&first), Some(&[ask(1, 5)])).expect("2nd");
    assert_eq!(figures(&second), vec![(1, 5, 1, 6)]);
}

#[test]
fn a_rounded_tva_never_exceeds_what_remains_of_the_line() {
    // Line of 0.10 at 20 % (TVA 0.02), of which 0.02 of TVA is already credited with 0.07
    // excl. tax: 0.02 more would round to 0.01 of TVA, but none remains.
    let inv = invoice(vec![line(1, 10, 2000)], 0, 0);
    let done = vec![CreditedLine {
        position: 1,
        amount_excl_tax: Money::from_stored(7),
        tax_amount: Money::from_stored(2),
    }];
    let lines = credit_lines(&inv, &done, Some(&[ask(1, 2)])).expect("lines");
    assert_eq!(figures(&lines), vec![(1, 2, 0, 2)]);
}

#[test]
fn an_entry_above_what_remains_of_its_line_is_refused() {
    let inv = invoice(vec![line(1, 9_950, 2000)], 0, 0);
    let first = credit_lines(&inv, &[], Some(&[ask(1, 9_000)])).expect("1st");
    let error = credit_lines(&inv, &credited_of(&first), Some(&[ask(1, 951)])).unwrap_err();
    assert!(matches!(
        error,
        Error::Rule(RuleViolation::CreditExceedsInvoice)
    ));
    assert!(credit_lines(&inv, &credited_of(&first), Some(&[ask(1, 950)])).is_ok());
}

#[test]
fn an_unknown_position_names_the_entry() {
    let inv = invoice(vec![line(1, 9_950, 2000)], 0, 0);
    let Err(Error::Validation(errors)) = credit_lines(&inv, &[], Some(&[ask(1, 1), ask(7, 1)]))
    else {
        panic!("expected a validation error");
    };
    assert_eq!(errors[0].field, "lines[1].position");
}

#[test]
fn nothing_left_to_credit_is_a_conflict() {
    let inv = invoice(vec![line(1, 9_950, 2000)], 0, 0);
    let all = credit_lines(&inv, &[], None).expect("full");
    for requested in [None, Some(&[ask(1, 1)][..])] {
        let error = credit_lines(&inv, &credited_of(&all), requested).unwrap_err();
        assert!(matches!(
            error,
            Error::Conflict(Conflict::InvoiceFullyCredited)
        ));
    }
}

#[test]
fn an_unpaid_invoice_fully_credited_becomes_void() {
    let inv = invoice(vec![line(1, 10_000, 2000)], 0, 0);
    let effect = effect_on(&inv, Money::from_stored(12_000));
    assert_eq!(effect.status, InvoiceStatus::Void);
    assert_eq!(effect.applied_to_invoice, Money::from_stored(12_000));
    assert_eq!(effect.credited_to_balance, Money::ZERO);
    assert_eq!(effect.outstanding, Money::ZERO);
}

#[test]
fn a_partial_note_on_an_unpaid_invoice_leaves_it_issued() {
    let inv = invoice(vec![line(1, 10_000, 2000)], 0, 0);
    let effect = effect_on(&inv, Money::from_stored(3_600));
    assert_eq!(effect.status, InvoiceStatus::Issued);
    assert_eq!(effect.outstanding, Money::from_stored(8_400));
    assert_eq!(effect.credited_amount, Money::from_stored(3_600));
}

#[test]
fn a_note_on_a_paid_invoice_goes_to_the_client_credit() {
    let inv = invoice(vec![line(1, 10_000, 2000)], 12_000, 0);
    let effect = effect_on(&inv, Money::from_stored(3_600));
    assert_eq!(effect.status, InvoiceStatus::Paid);
    assert_eq!(effect.applied_to_invoice, Money::ZERO);
    assert_eq!(effect.credited_to_balance, Money::from_stored(3_600));
    assert_eq!(effect.credited_amount, Money::ZERO);
}

#[test]
fn a_note_on_a_partly_paid_invoice_settles_it_then_credits_the_rest() {
    let inv = invoice(vec![line(1, 10_000, 2000)], 5_000, 0);
    let effect = effect_on(&inv, Money::from_stored(12_000));
    assert_eq!(effect.status, InvoiceStatus::Paid);
    assert_eq!(effect.applied_to_invoice, Money::from_stored(7_000));
    assert_eq!(effect.credited_to_balance, Money::from_stored(5_000));
    let small = effect_on(&inv, Money::from_stored(1_000));
    assert_eq!(small.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(small.outstanding, Money::from_stored(6_000));
}
