//! The refund and reversal use cases against mocked ports: sources, arithmetic, guards.

use time::macros::{date, datetime};

use super::*;
use crate::billing::{Invoice, InvoiceStatus, Period};
use crate::clients::{Cin, Client, ClientStatus};
use crate::collections::{Payment, PaymentMethod};
use crate::error::{Conflict, Error, RuleViolation};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::tx::transaction;
use crate::typed_ids::{
    BillingRunId, ClientId, ContractId, CreditNoteId, InvoiceId, OfferId, PaymentId,
};

const NOW: time::OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn source(id: &str, remaining: i64) -> CreditSource {
    CreditSource {
        source: if id.starts_with("cn_") {
            SourceRef::CreditNote(CreditNoteId::from_stored(id))
        } else {
            SourceRef::Payment(PaymentId::from_stored(id))
        },
        client_id: ClientId::from_stored("cli_1"),
        remaining: Money::from_stored(remaining),
        created_at: NOW,
    }
}

fn invoice(id: &str, total: i64, paid: i64) -> Invoice {
    Invoice {
        id: InvoiceId::from_stored(id),
        invoice_number: format!("FAC-{id}"),
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
        status: InvoiceStatus::for_payment(Money::from_stored(total), Money::from_stored(paid)),
        lines: Vec::new(),
        total_excl_tax: Money::from_stored(total),
        total_tax: Money::ZERO,
        total_incl_tax: Money::from_stored(total),
        amount_paid: Money::from_stored(paid),
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: NOW,
        updated_at: NOW,
    }
}

fn client() -> Client {
    Client {
        id: ClientId::from_stored("cli_1"),
        identity: crate::clients::Identity::Person(crate::clients::Person {
            cin: Cin::parse("AB123456").expect("cin"),
            first_name: "Hajar".into(),
            last_name: "Benkirane".into(),
        }),
        invoicing: crate::clients::Invoicing::PerContract,
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

fn service(uow: MockUnitOfWork) -> (LedgerService, std::sync::Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    (LedgerService::new(&ports), tx)
}

#[test]
fn a_refund_consumes_sources_oldest_first_and_only_what_it_needs() {
    let sources = [
        source("pay_a", 2_000),
        source("cn_b", 1_000),
        source("pay_c", 5_000),
    ];
    let taken = consume_oldest_first(&sources, Money::from_stored(3_500)).expect("enough");
    let summary: Vec<(&str, i64)> = taken.iter().map(|(s, a)| (s.id(), a.centimes())).collect();
    assert_eq!(summary, [("pay_a", 2_000), ("cn_b", 1_000), ("pay_c", 500)]);
    assert!(consume_oldest_first(&sources, Money::from_stored(8_001)).is_none());
    let all = consume_oldest_first(&sources, Money::from_stored(8_000)).expect("exactly");
    assert_eq!(all.len(), 3);
}

#[test]
fn a_refund_beyond_the_credit_is_refused_before_anything_is_written() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find().returning(|_| Ok(Some(client())));
    uow.ledger
        .expect_lock_credit_sources()
        .returning(|_| Ok(vec![source("pay_a", 2_000)]));
    uow.ledger.expect_insert_refund().never();
    uow.ledger.expect_insert_audit().never();
    let (ledger, tx) = service(uow);
    let input = RefundInput {
        client_id: "cli_01JD0000000000000000000000".into(),
        amount: 2_001,
        method: "cash".into(),
        reference: None,
    };
    let result = transaction(tx.as_ref(), |uow| ledger.refund_in(uow, &input, "act_1"));
    assert!(matches!(
        result,
        Err(Error::Rule(RuleViolation::InsufficientCredit))
    ));
    assert_eq!(tx.rollback_count(), 1);
}

fn reversal_uow(refunded: i64, reversed: bool) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.payments.expect_find().returning(|id| {
        Ok(Some(Payment {
            id: id.clone(),
            client_id: ClientId::from_stored("cli_1"),
            amount: Money::from_stored(18_000),
            currency: "MAD".into(),
            method: PaymentMethod::Cash,
            reference: None,
            received_at: date!(2026 - 03 - 01),
            allocations: Vec::new(),
            unallocated_amount: Money::from_stored(2_000),
            actor_id: "act_1".into(),
            created_at: NOW,
        }))
    });
    uow.ledger.expect_allocated_by_payment().returning(|_| {
        Ok(vec![
            (InvoiceId::from_stored("inv_a"), Money::from_stored(10_000)),
            (InvoiceId::from_stored("inv_b"), Money::from_stored(6_000)),
        ])
    });
    // The client's other open invoice is locked with them, and left alone.
    uow.ledger.expect_lock_invoices().returning(|_, _| {
        Ok(vec![
            invoice("inv_a", 10_000, 10_000),
            invoice("inv_b", 10_000, 10_000),
            invoice("inv_open", 10_000, 0),
        ])
    });
    uow.ledger
        .expect_lock_credit_sources()
        .returning(|_| Ok(Vec::new()));
    uow.ledger.expect_lock_payment().returning(|id| {
        Ok(Some(LockedPayment {
            id: id.clone(),
            client_id: ClientId::from_stored("cli_1"),
            amount: Money::from_stored(18_000),
            unallocated_amount: Money::from_stored(2_000),
        }))
    });
    uow.ledger
        .expect_is_reversed()
        .returning(move |_| Ok(reversed));
    uow.ledger
        .expect_refunded_from_payment()
        .returning(move |_| Ok(Money::from_stored(refunded)));
    uow
}

fn reverse(uow: MockUnitOfWork) -> (crate::Result<ReversalReceipt>, usize) {
    let (ledger, tx) = service(uow);
    let result = transaction(tx.as_ref(), |uow| {
        ledger.reverse_payment_in(
            uow,
            &PaymentId::from_stored("pay_1"),
            &ReversalInput {
                reason: "bounced cheque".into(),
            },
            "act_1",
        )
    });
    (result, tx.rollback_count())
}

#[test]
fn a_reversal_gives_each_invoice_its_amount_back_and_removes_the_credit() {
    let mut uow = reversal_uow(0, false);
    uow.invoices
        .expect_save_settlements()
        .times(1)
        .withf(|invoices| {
            invoices
                .iter()
                .map(|i| (i.amount_paid.centimes(), i.status))
                .collect::<Vec<_>>()
                == [
                    (0, InvoiceStatus::Issued),
                    (4_000, InvoiceStatus::PartiallyPaid),
                ]
        })
        .returning(|_| Ok(()));
    uow.ledger
        .expect_insert_reversal()
        .times(1)
        .withf(|r| r.amount.centimes() == 18_000 && r.reason == "bounced cheque")
        .returning(|_| Ok(()));
    uow.ledger
        .expect_insert_audit()
        .times(1)
        .withf(|e| {
            e[0].action == LedgerAction::PaymentReversed
                && e[0].before
                    == [
                        ("allocated".into(), 16_000),
                        ("unallocated_amount".into(), 2_000),
                    ]
        })
        .returning(|_| Ok(()));
    // The reopened invoices are offered to the client's other credit: there is none.
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(Vec::new()));
    uow.ledger
        .expect_credit_available()
        .returning(|_| Ok(Money::ZERO));
    let (ledger, tx) = service(uow);
    let result = transaction(tx.as_ref(), |uow| {
        ledger.reverse_payment_in(
            uow,
            &PaymentId::from_stored("pay_1"),
            &ReversalInput {
                reason: "bounced cheque".into(),
            },
            "act_1",
        )
    });
    let receipt = result.expect("reversed");
    let events = tx.recorded_events();
    let [event] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(
        event.payload,
        crate::events::EventPayload::PaymentReversed(receipt.clone())
    );
    let summary: Vec<(i64, InvoiceStatus, i64)> = receipt
        .invoices
        .iter()
        .map(|r| {
            (
                r.amount.centimes(),
                r.invoice_status,
                r.outstanding.centimes(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (10_000, InvoiceStatus::Issued, 10_000),
            (6_000, InvoiceStatus::PartiallyPaid, 6_000)
        ]
    );
    assert_eq!(receipt.credit_removed, Money::from_stored(2_000));
}

#[test]
fn a_payment_whose_credit_was_refunded_or_already_reversed_is_refused() {
    let mut refunded = reversal_uow(1, false);
    refunded.ledger.expect_insert_reversal().never();
    let (result, rollbacks) = reverse(refunded);
    assert!(matches!(
        result,
        Err(Error::Rule(RuleViolation::PaymentCreditRefunded))
    ));
    assert_eq!(rollbacks, 1);
    let mut twice = reversal_uow(0, true);
    twice.ledger.expect_insert_reversal().never();
    let (result, _) = reverse(twice);
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::PaymentAlreadyReversed))
    ));
}

fn movement(day: time::Date, kind: EntryKind, id: &str, amount: i64) -> Movement {
    Movement {
        date: day,
        recorded_at: NOW,
        kind,
        document_id: id.into(),
        reference: None,
        related_id: None,
        amount: Money::from_stored(amount),
    }
}

#[test]
fn a_statement_sorts_by_date_opens_before_from_and_stops_after_to() {
    let statement = build_statement(
        vec![
            movement(date!(2026 - 03 - 05), EntryKind::Refund, "rfd_1", 1_000),
            movement(date!(2026 - 01 - 16), EntryKind::Invoice, "inv_1", 36_000),
            movement(date!(2026 - 02 - 01), EntryKind::Payment, "pay_1", 40_000),
            movement(
                date!(2026 - 03 - 01),
                EntryKind::CreditApplication,
                "pay_1",
                3_000,
            ),
            movement(date!(2026 - 03 - 01), EntryKind::Invoice, "inv_2", 3_000),
            movement(
                date!(2026 - 04 - 01),
                EntryKind::PaymentReversal,
                "rev_1",
                40_000,
            ),
        ],
        Some(date!(2026 - 02 - 15)),
        date!(2026 - 03 - 31),
    );
    assert_eq!(statement.opening_balance, -4_000);
    let lines: Vec<(EntryKind, i64, i64)> = statement
        .lines
        .iter()
        .map(|l| (l.movement.kind, l.effect, l.balance))
        .collect();
    assert_eq!(
        lines,
        [
            (EntryKind::Invoice, 3_000, -1_000),
            (EntryKind::CreditApplication, 0, -1_000),
            (EntryKind::Refund, 1_000, 0),
        ]
    );
    assert_eq!(statement.closing_balance, 0);
}
