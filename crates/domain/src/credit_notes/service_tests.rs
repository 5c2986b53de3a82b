//! Unit tests of `CreditNoteService::issue_in` against mocked ports: what a note stores, the
//! number it takes, the invoice it updates and the audit it leaves; and that a refused note
//! takes no number and writes nothing.

use mockall::predicate::eq;
use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::*;
use crate::billing::{Invoice, InvoiceLine, InvoiceStatus, Period};
use crate::credit_notes::{CreditNoteInput, CreditNoteLineInput, CreditedLine};
use crate::error::{Conflict, RuleViolation};
use crate::ledger::LedgerAction;
use crate::service_type::ServiceType;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, ClientId, ContractId, OfferId};

const ID: &str = "inv_01JD0000000000000000000000";
const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn line(position: i32, excl: i64, tax: i64) -> InvoiceLine {
    InvoiceLine {
        position,
        contract_id: crate::typed_ids::ContractId::from_stored("ctr_1"),
        service_identifier: None,
        description: format!("Ligne {position}"),
        offer_id: OfferId::from_stored("ofr_1"),
        start_date: date!(2026 - 02 - 01),
        end_date: date!(2026 - 02 - 28),
        days: 28,
        monthly_price: Money::from_stored(excl),
        amount_excl_tax: Money::from_stored(excl),
        tax_rate_bp: 2000,
        tax_amount: Money::from_stored(tax),
        amount_incl_tax: Money::from_stored(excl + tax),
        usage: None,
    }
}

/// 4 950 + 990 and 9 950 + 1 990: 17 880 incl. tax, `paid` of it paid.
fn invoice(paid: i64) -> Invoice {
    let paid = Money::from_stored(paid);
    let total = Money::from_stored(17_880);
    Invoice {
        id: InvoiceId::from_stored(ID),
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
        period: Period::parse("2026-02").expect("period"),
        issue_date: date!(2026 - 03 - 01),
        due_date: date!(2026 - 03 - 16),
        status: InvoiceStatus::for_payment(total, paid),
        lines: vec![line(1, 4_950, 990), line(2, 9_950, 1_990)],
        total_excl_tax: Money::from_stored(14_900),
        total_tax: Money::from_stored(2_980),
        total_incl_tax: total,
        amount_paid: paid,
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: datetime!(2026-03-01 00:00 UTC),
        updated_at: datetime!(2026-03-01 00:00 UTC),
    }
}

fn full() -> CreditNoteInput {
    CreditNoteInput {
        reason: "  Annulation  ".into(),
        lines: None,
    }
}

fn partial(position: i32, amount: i64) -> CreditNoteInput {
    CreditNoteInput {
        reason: "Geste".into(),
        lines: Some(vec![CreditNoteLineInput {
            position,
            amount_excl_tax: amount,
        }]),
    }
}

fn run(
    uow: MockUnitOfWork,
    input: &CreditNoteInput,
) -> (Result<IssuedCreditNote>, std::sync::Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    let service = CreditNoteService::new(&ports(tx.clone(), fixed_clock(NOW)));
    let result = service.issue(&InvoiceId::from_stored(ID), input, "act_1 via gw");
    (result, tx)
}

/// A unit of work holding `invoice` with `credited` already credited.
fn holding(invoice: Invoice, credited: Vec<CreditedLine>) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    let found = invoice.clone();
    uow.invoices
        .expect_find()
        .returning(move |_| Ok(Some(found.clone())));
    uow.ledger
        .expect_lock_invoices()
        .withf(|ids, client| ids.len() == 1 && ids[0].as_str() == ID && client.as_str() == "cli_1")
        .times(1)
        .returning(|_, _| Ok(Vec::new()));
    uow.invoices
        .expect_lock()
        .returning(move |_| Ok(Some(invoice.clone())));
    uow.credit_notes
        .expect_credited_lines()
        .returning(move |_| Ok(credited.clone()));
    uow
}

#[test]
fn a_full_note_takes_the_next_av_number_voids_the_invoice_and_is_audited() {
    let mut uow = holding(invoice(0), Vec::new());
    uow.sequences
        .expect_reserve()
        .with(eq("AV"), eq(2026), eq(1))
        .times(1)
        .returning(|_, _, _| Ok(42));
    uow.credit_notes
        .expect_insert()
        .withf(|note| {
            note.credit_note_number == "AV-2026-000042"
                && note.reason == "Annulation"
                && note.issue_date == date!(2026 - 03 - 10)
                && note.total_incl_tax == Money::from_stored(17_880)
                && note.applied_to_invoice == Money::from_stored(17_880)
                && note.credit_remaining == Money::ZERO
                && note.actor_id == "act_1 via gw"
                && note.lines.len() == 2
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.invoices
        .expect_save_credit()
        .withf(|invoice| {
            invoice.id.as_str() == ID
                && invoice.credited_amount == Money::from_stored(17_880)
                && invoice.status == InvoiceStatus::Void
                && invoice.updated_at == NOW
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.ledger
        .expect_insert_audit()
        .withf(|entries| {
            let [entry] = entries else { return false };
            let outstanding = |figures: &[(String, i64)]| {
                figures
                    .iter()
                    .find(|(name, _)| name == "outstanding")
                    .map(|(_, v)| *v)
            };
            entry.action == LedgerAction::CreditNoteIssued
                && entry.document_kind == "credit_note"
                && entry.document_id.starts_with("cn_")
                && entry.actor_id == "act_1 via gw"
                && outstanding(&entry.before) == Some(17_880)
                && outstanding(&entry.after) == Some(0)
        })
        .times(1)
        .returning(|_| Ok(()));
    // Nothing went to the client's credit: no application is attempted.
    uow.invoices.expect_lock_open_invoices().times(0);
    let (result, tx) = run(uow, &full());
    let issued = result.expect("issued");
    assert_eq!(issued.invoice_status, InvoiceStatus::Void);
    assert_eq!(issued.invoice_outstanding, Money::ZERO);
    assert_eq!(tx.commit_count(), 1);
    use crate::events::{EventPayload, EventType};
    let events = tx.recorded_events();
    assert_eq!(
        events.iter().map(|e| e.event_type()).collect::<Vec<_>>(),
        [EventType::CreditNoteIssued, EventType::InvoiceVoided]
    );
    assert_eq!(
        events[0].payload,
        EventPayload::CreditNoteIssued(crate::events::CreditNoteOf {
            note: issued.note,
            clearance: None,
        })
    );
    assert_eq!(
        events[0].actor_id.as_deref(),
        Some("act_1"),
        "the acting actor"
    );
}

#[test]
fn a_note_on_a_paid_invoice_keeps_its_value_as_client_credit() {
    let mut uow = holding(invoice(17_880), Vec::new());
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    uow.credit_notes
        .expect_insert()
        .withf(|note| {
            note.applied_to_invoice == Money::ZERO
                && note.credited_to_balance == Money::from_stored(1_200)
                && note.credit_remaining == Money::from_stored(1_200)
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.invoices
        .expect_save_credit()
        .withf(|invoice| {
            invoice.credited_amount == Money::ZERO && invoice.status == InvoiceStatus::Paid
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.ledger.expect_insert_audit().returning(|_| Ok(()));
    // The note's credit is offered to the client's open invoices in the same transaction.
    uow.invoices
        .expect_lock_open_invoices()
        .withf(|clients| clients.len() == 1 && clients[0].as_str() == "cli_1")
        .times(1)
        .returning(|_| Ok(Vec::new()));
    let (result, _) = run(uow, &partial(1, 1_000));
    assert_eq!(result.expect("issued").invoice_status, InvoiceStatus::Paid);
}

/// A unit of work that must take no number and write nothing.
fn refusing(uow: &mut MockUnitOfWork) {
    uow.sequences.expect_reserve().times(0);
    uow.credit_notes.expect_insert().times(0);
    uow.invoices.expect_save_credit().times(0);
    uow.ledger.expect_insert_audit().times(0);
}

#[test]
fn a_refused_note_takes_no_number_and_writes_nothing() {
    let done = vec![CreditedLine {
        position: 1,
        amount_excl_tax: Money::from_stored(4_000),
        tax_amount: Money::from_stored(800),
    }];
    let mut uow = holding(invoice(0), done);
    refusing(&mut uow);
    let (result, tx) = run(uow, &partial(1, 951));
    assert!(matches!(
        result,
        Err(Error::Rule(RuleViolation::CreditExceedsInvoice))
    ));
    assert_eq!(tx.rollback_count(), 1);
    assert_eq!(tx.recorded_types(), []);

    let all = vec![
        CreditedLine {
            position: 1,
            amount_excl_tax: Money::from_stored(4_950),
            tax_amount: Money::from_stored(990),
        },
        CreditedLine {
            position: 2,
            amount_excl_tax: Money::from_stored(9_950),
            tax_amount: Money::from_stored(1_990),
        },
    ];
    let mut uow = holding(invoice(0), all);
    refusing(&mut uow);
    let (result, _) = run(uow, &full());
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::InvoiceFullyCredited))
    ));
}

#[test]
fn an_invalid_body_is_refused_before_the_invoice_is_locked() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices.expect_find().times(0);
    uow.invoices.expect_lock().times(0);
    refusing(&mut uow);
    let (result, _) = run(uow, &partial(1, 0));
    let Err(Error::Validation(errors)) = result else {
        panic!("expected a validation error");
    };
    assert_eq!(errors[0].field, "lines[0].amount_excl_tax");
}

#[test]
fn an_unknown_invoice_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices.expect_find().returning(|_| Ok(None));
    uow.invoices.expect_lock().times(0);
    refusing(&mut uow);
    let (result, _) = run(uow, &full());
    assert!(matches!(result, Err(Error::NotFound(Resource::Invoice))));
}
