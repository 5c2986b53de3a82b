//! Unit tests of the payment-file import and the assignment of receipts, on mocked ports.

use std::sync::Arc;

use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::*;
use crate::billing::{Invoice, InvoiceStatus, Period};
use crate::clients::{Cin, Client, ClientStatus};
use crate::collections::PaymentMethod;
use crate::error::{Conflict, Error, Resource, Result};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::tx::transaction;
use crate::typed_ids::{
    BillingRunId, ClientId, ContractId, InvoiceId, OfferId, PaymentId, PaymentImportId, ReceiptId,
};

const CLIENT: &str = "cli_01JD0000000000000000000001";
const OTHER: &str = "cli_01JD0000000000000000000002";
const INVOICE: &str = "inv_01JD0000000000000000000001";
const RECEIPT: &str = "rcp_01JD0000000000000000000001";
const NOW: OffsetDateTime = datetime!(2026-11-10 09:00 UTC);

fn client(id: &str) -> Client {
    Client {
        id: ClientId::from_stored(id),
        identity: crate::clients::Identity::Person(crate::clients::Person {
            cin: Cin::parse("AB123456").unwrap(),
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

fn invoice(total: i64, paid: i64) -> Invoice {
    Invoice {
        id: InvoiceId::from_stored(INVOICE),
        invoice_number: "FAC-2026-000001".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored(CLIENT),
        contract_id: ContractId::from_stored("ctr_1"),
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: OfferId::from_stored("ofr_1"),
        service_type: ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: Period::parse("2026-10").expect("period"),
        issue_date: date!(2026 - 10 - 31),
        due_date: date!(2026 - 11 - 15),
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

fn line(n: u32, amount: &str, reference: &str, payer: Option<&str>) -> SourceLine {
    SourceLine {
        line: n,
        fields: Ok(ImportFields {
            date: "2026-11-03".into(),
            amount: amount.into(),
            reference: reference.into(),
            payer: payer.map(str::to_owned),
            invoice_number: None,
        }),
    }
}

fn receipt(assigned: bool) -> UnidentifiedReceipt {
    UnidentifiedReceipt {
        id: ReceiptId::from_stored(RECEIPT),
        import_id: PaymentImportId::from_stored("imp_1"),
        line: 1,
        amount: Money::from_stored(7_550),
        currency: "MAD".into(),
        received_at: date!(2026 - 11 - 03),
        reference: "VIR-1".into(),
        payer: None,
        assignment: assigned.then(|| ReceiptAssignment {
            client_id: ClientId::from_stored(CLIENT),
            payment_id: PaymentId::from_stored("pay_1"),
            actor_id: "act_1".into(),
            at: NOW,
        }),
        created_at: NOW,
        updated_at: NOW,
    }
}

/// The unit of work every import needs: the lock, and the import stored once.
fn importing() -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.payment_imports
        .expect_lock_bank_lines()
        .times(1)
        .returning(|| Ok(()));
    uow.payment_imports
        .expect_insert_import()
        .times(1)
        .returning(|_| Ok(()));
    uow
}

fn import(
    uow: MockUnitOfWork,
    lines: &[SourceLine],
) -> (Arc<MockTransactions>, Result<PaymentImport>) {
    let tx = MockTransactions::new(uow);
    let service = PaymentImportService::new(&ports(tx.clone(), fixed_clock(NOW)));
    let result = transaction(tx.as_ref(), |uow| service.import_in(uow, lines, "act_1"));
    (tx, result)
}

#[test]
fn a_file_without_lines_is_refused_before_anything_is_locked() {
    let (tx, result) = import(MockUnitOfWork::default(), &[]);
    assert!(matches!(result, Err(Error::Validation(e)) if e[0].field == "body"));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn unreadable_lines_are_rejected_without_a_lookup_and_the_file_still_commits() {
    let lines = [
        SourceLine {
            line: 1,
            fields: Err("expected 4 fields like the header, found 3".into()),
        },
        line(2, "12,345", "VIR-2", None),
    ];
    // No expectation on recorded_as or the clients: a lookup would panic.
    let (tx, result) = import(importing(), &lines);
    let import = result.unwrap();
    assert_eq!(
        import.lines.iter().map(|l| l.status).collect::<Vec<_>>(),
        [LineStatus::Rejected, LineStatus::Rejected]
    );
    assert!(import.lines[1]
        .message
        .as_deref()
        .unwrap()
        .starts_with("amount: "));
    assert_eq!(import.totals.rejected_count, 2);
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn a_line_already_recorded_is_a_duplicate_and_posts_nothing() {
    let mut uow = importing();
    uow.payment_imports
        .expect_recorded_as()
        .withf(|reference, amount, day| {
            reference == "VIR-1" && amount.centimes() == 10_050 && *day == date!(2026 - 11 - 03)
        })
        .returning(|_, _, _| {
            Ok(Some(RecordedAs::Payment(
                PaymentId::from_stored("pay_1"),
                ClientId::from_stored(CLIENT),
            )))
        });
    let (_, result) = import(uow, &[line(1, "100,50", "VIR-1", None)]);
    let import = result.unwrap();
    let outcome = &import.lines[0];
    assert_eq!(outcome.status, LineStatus::Duplicate);
    assert_eq!(outcome.payment_id, Some(PaymentId::from_stored("pay_1")));
    assert_eq!(import.totals.duplicate_count, 1);
    assert_eq!(import.totals.posted_amount, Money::ZERO);
}

#[test]
fn a_line_naming_nobody_known_is_kept_as_unidentified_money() {
    let mut uow = importing();
    uow.payment_imports
        .expect_recorded_as()
        .returning(|_, _, _| Ok(None));
    uow.payment_imports
        .expect_invoice_by_number()
        .withf(|n| n == "FAC-2026-000009")
        .returning(|_| Ok(None));
    uow.clients
        .expect_find_by_identity()
        .withf(|id| id == "K12345")
        .times(1)
        .returning(|_| Ok(None));
    uow.payment_imports
        .expect_insert_receipt()
        .withf(|r| r.amount.centimes() == 7_550 && r.payer.as_deref() == Some("K12345"))
        .times(1)
        .returning(|_| Ok(()));
    let (_, result) = import(uow, &[line(1, "75,50", "FAC-2026-000009", Some("K12345"))]);
    let import = result.unwrap();
    let outcome = &import.lines[0];
    assert_eq!(outcome.status, LineStatus::Unidentified);
    assert!(outcome.receipt_id.is_some());
    assert_eq!(
        outcome.message.as_deref(),
        Some("no invoice FAC-2026-000009; no client found by invoice number, CIN or ICE")
    );
    assert_eq!(import.totals.unidentified_amount.centimes(), 7_550);
}

#[test]
fn identifiers_naming_two_clients_leave_the_money_unidentified() {
    let mut uow = importing();
    uow.payment_imports
        .expect_recorded_as()
        .returning(|_, _, _| Ok(None));
    uow.clients
        .expect_find_by_identity()
        .returning(|id| Ok(Some(client(if id == "AB123456" { CLIENT } else { OTHER }))));
    uow.payment_imports
        .expect_insert_receipt()
        .times(1)
        .returning(|_| Ok(()));
    let (_, result) = import(uow, &[line(1, "10", "CD654321", Some("AB123456"))]);
    let outcome = &result.unwrap().lines[0];
    assert_eq!(outcome.status, LineStatus::Unidentified);
    assert!(outcome
        .message
        .as_deref()
        .unwrap()
        .contains("several clients"));
}

#[test]
fn a_line_naming_an_open_invoice_is_posted_to_it_as_a_transfer() {
    let mut uow = importing();
    uow.payment_imports
        .expect_recorded_as()
        .returning(|_, _, _| Ok(None));
    uow.payment_imports
        .expect_invoice_by_number()
        .returning(|_| Ok(Some(InvoiceId::from_stored(INVOICE))));
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice(12_000, 0))));
    uow.clients
        .expect_find()
        .returning(|id| Ok(Some(client(id.as_str()))));
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(vec![invoice(12_000, 0)]));
    uow.payments
        .expect_insert()
        .withf(|p, settled| {
            p.method == PaymentMethod::Transfer
                && p.reference.as_deref() == Some("VIR-7 FAC-2026-000001")
                && p.received_at == date!(2026 - 11 - 03)
                && p.allocations.len() == 1
                && p.allocations[0].amount.centimes() == 5_000
                && settled.len() == 1
                && settled[0].amount_paid.centimes() == 5_000
        })
        .times(1)
        .returning(|_, _| Ok(Money::ZERO));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(Vec::new()));
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(None));
    uow.collections
        .expect_dunning_suspended_contract_ids()
        .returning(|_| Ok(Vec::new()));
    uow.ledger
        .expect_credit_available()
        .returning(|_| Ok(Money::ZERO));
    let (_, result) = import(uow, &[line(1, "50", "VIR-7 FAC-2026-000001", None)]);
    let import = result.unwrap();
    let outcome = &import.lines[0];
    assert_eq!(outcome.status, LineStatus::Partial);
    assert_eq!(outcome.client_id, Some(ClientId::from_stored(CLIENT)));
    assert_eq!(outcome.invoice_number.as_deref(), Some("FAC-2026-000001"));
    assert_eq!(
        outcome.message.as_deref(),
        Some("70.00 MAD remain outstanding on FAC-2026-000001")
    );
    assert_eq!(import.totals.posted_amount.centimes(), 5_000);
}

fn assign(uow: MockUnitOfWork, input: &AssignInput) -> Result<AssignedReceipt> {
    let tx = MockTransactions::new(uow);
    let service = PaymentImportService::new(&ports(tx.clone(), fixed_clock(NOW)));
    transaction(tx.as_ref(), |uow| {
        service.assign_in(uow, &ReceiptId::from_stored(RECEIPT), input, "act_1")
    })
}

fn to_client() -> AssignInput {
    AssignInput {
        client_id: CLIENT.into(),
        invoice_id: None,
    }
}

#[test]
fn an_assigned_receipt_cannot_be_assigned_again() {
    let mut uow = MockUnitOfWork::default();
    uow.payment_imports
        .expect_lock_receipt()
        .returning(|_| Ok(Some(receipt(true))));
    // No payment expectation: posting would panic.
    let result = assign(uow, &to_client());
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::ReceiptAlreadyAssigned))
    ));
}

#[test]
fn an_unknown_receipt_or_client_is_not_found_and_posts_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.payment_imports
        .expect_lock_receipt()
        .returning(|_| Ok(None));
    assert!(matches!(
        assign(uow, &to_client()),
        Err(Error::NotFound(Resource::UnidentifiedReceipt))
    ));
    let mut uow = MockUnitOfWork::default();
    uow.payment_imports
        .expect_lock_receipt()
        .returning(|_| Ok(Some(receipt(false))));
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(Vec::new()));
    uow.clients.expect_find().returning(|_| Ok(None));
    assert!(matches!(
        assign(uow, &to_client()),
        Err(Error::NotFound(Resource::Client))
    ));
    let mut uow = MockUnitOfWork::default();
    uow.payment_imports
        .expect_lock_receipt()
        .returning(|_| Ok(Some(receipt(false))));
    let malformed = AssignInput {
        client_id: "client 1".into(),
        invoice_id: None,
    };
    assert!(matches!(
        assign(uow, &malformed),
        Err(Error::NotFound(Resource::Client))
    ));
}
