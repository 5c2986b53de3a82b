//! Unit tests of the collections use cases against mocked ports.

use std::sync::Arc;

use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::*;
use crate::billing::Period;
use crate::billing::{Invoice, InvoiceStatus};
use crate::clients::{Cin, Client, ClientStatus};
use crate::error::{Conflict, Error, Resource, RuleViolation};
use crate::money::Money;
use crate::page::{Page, PageRequest};
use crate::service_type::ServiceType;
use crate::testing::{fetched, fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, CaseId, ClientId, ContractId, InvoiceId, OfferId, PaymentId};

pub(super) const CLIENT: &str = "cli_01JD0000000000000000000001";
pub(super) const OTHER: &str = "cli_01JD0000000000000000000002";
const INVOICE: &str = "inv_01JD0000000000000000000001";
const SECOND_INVOICE: &str = "inv_01JD0000000000000000000002";
pub(super) const CASE: &str = "case_01JD0000000000000000000001";
const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn client() -> Client {
    Client {
        id: ClientId::from_stored(CLIENT),
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

pub(super) fn invoice(client_id: &str, due: Date, total: i64, paid: i64) -> Invoice {
    Invoice {
        id: InvoiceId::from_stored(INVOICE),
        invoice_number: "FAC-2026-000001".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored(client_id),
        contract_id: ContractId::from_stored("ctr_1"),
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: OfferId::from_stored("ofr_1"),
        service_type: ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: Period::parse("2026-01").expect("period"),
        issue_date: due,
        due_date: due,
        status: InvoiceStatus::for_payment(Money::from_stored(total), Money::from_stored(paid)),
        lines: Vec::new(),
        total_excl_tax: Money::from_stored(total),
        total_tax: Money::from_stored(0),
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

pub(super) fn case(status: CaseStatus, level: i32) -> CollectionCase {
    CollectionCase {
        id: CaseId::from_stored(CASE),
        client_id: ClientId::from_stored(CLIENT),
        status,
        dunning_level: level,
        overdue_amount: Money::from_stored(0),
        invoice_ids: Vec::new(),
        disputed_invoice_ids: Vec::new(),
        promise: None,
        ladder_shift_days: 0,
        opened_at: NOW,
        resolved_at: None,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn payment(amount: i64, method: &str, invoice_id: Option<&str>) -> PaymentInput {
    PaymentInput {
        client_id: CLIENT.into(),
        amount,
        method: method.into(),
        reference: None,
        received_at: None,
        invoice_id: invoice_id.map(str::to_owned),
    }
}

pub(super) fn services(mut uow: MockUnitOfWork) -> (Arc<MockTransactions>, crate::ports::Ports) {
    // Unless a test says otherwise, the client holds no credit.
    uow.ledger
        .expect_credit_available()
        .returning(|_| Ok(Money::ZERO));
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    (tx, ports)
}

#[test]
fn an_invalid_payment_names_every_field_and_touches_no_storage() {
    let (tx, ports) = services(MockUnitOfWork::default());
    let command = PaymentInput {
        reference: Some("r".repeat(101)),
        received_at: Some("2026-03-11".into()),
        ..payment(0, "cheque", None)
    };
    let Err(Error::Validation(errors)) =
        PaymentService::new(&ports).record_payment(&command, "act_1")
    else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["amount", "method", "reference", "received_at"]);
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn an_absurd_amount_or_received_date_touches_no_storage() {
    let (tx, ports) = services(MockUnitOfWork::default());
    let command = PaymentInput {
        received_at: Some("0000-01-01".into()),
        ..payment(i64::MAX, "cash", None)
    };
    let Err(Error::Validation(errors)) =
        PaymentService::new(&ports).record_payment(&command, "act_1")
    else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["amount", "received_at"]);
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn operator_approval_is_reserved_for_approve_paid() {
    let (_, ports) = services(MockUnitOfWork::default());
    let result =
        PaymentService::new(&ports).record_payment(&payment(100, "operator_approval", None), "a");
    assert!(matches!(result, Err(Error::Validation(e)) if e[0].field == "method"));
}

/// A payment of 100 naming `INVOICE`, which must be refused before anything is posted.
fn refused_payment_to_the_named_invoice(
    mut uow: MockUnitOfWork,
) -> crate::error::Result<PaymentReceipt> {
    uow.payments.expect_insert().never();
    let (_, ports) = services(uow);
    PaymentService::new(&ports).record_payment(&payment(100, "cash", Some(INVOICE)), "a")
}

#[test]
fn another_clients_invoice_is_refused_and_nothing_is_posted() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices.expect_lock_open_invoices().returning(|_| {
        Ok(vec![Invoice {
            id: InvoiceId::from_stored(SECOND_INVOICE),
            ..invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 0)
        }])
    });
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice(OTHER, date!(2026 - 02 - 01), 1_000, 0))));
    let result = refused_payment_to_the_named_invoice(uow);
    assert!(matches!(
        result,
        Err(Error::Rule(RuleViolation::InvoiceNotOwned))
    ));
}

#[test]
fn an_unknown_client_is_not_found_before_the_invoice_it_names() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(Vec::new()));
    uow.clients.expect_find().times(1).returning(|_| Ok(None));
    uow.invoices.expect_find().never();
    let result = refused_payment_to_the_named_invoice(uow);
    assert!(matches!(result, Err(Error::NotFound(Resource::Client))));
}

#[test]
fn a_named_invoice_of_the_client_that_is_no_longer_open_is_a_conflict() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(Vec::new()));
    uow.clients.expect_find().returning(|_| Ok(Some(client())));
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 1_000))));
    let result = refused_payment_to_the_named_invoice(uow);
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::InvoiceNotOpen))
    ));
}

#[test]
fn a_payment_to_open_invoices_reads_neither_the_client_nor_the_invoice_nor_the_credit_again() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(vec![invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 0)]));
    // The open invoice proves the client; the one named is among the locked ones.
    uow.clients.expect_find().never();
    uow.invoices.expect_find().never();
    uow.payments
        .expect_insert()
        .times(1)
        .returning(|_, _| Ok(Money::from_stored(2_500)));
    // Nothing of the payment became credit: the credit the write read is the answer.
    uow.ledger.expect_credit_available().never();
    let (_, ports) = services(uow);
    let receipt = PaymentService::new(&ports)
        .record_payment(&payment(400, "cash", Some(INVOICE)), "act_1")
        .unwrap();
    assert_eq!(receipt.credit_available, Money::from_stored(2_500));
    assert_eq!(receipt.allocation_state, AllocationState::Partial);
}

#[test]
fn a_payment_leaving_credit_reports_the_credit_read_after_it_was_applied() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(vec![invoice(CLIENT, date!(2026 - 04 - 01), 1_000, 0)]));
    uow.payments
        .expect_insert()
        .withf(|p, _| p.unallocated_amount == Money::from_stored(500))
        .times(1)
        .returning(|_, _| Ok(Money::ZERO));
    // The credit engine finds nothing left open to apply the remainder to.
    uow.ledger
        .expect_lock_credit_sources()
        .returning(|_| Ok(Vec::new()));
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(None));
    uow.collections
        .expect_dunning_suspended_contract_ids()
        .returning(|_| Ok(Vec::new()));
    uow.ledger
        .expect_credit_available()
        .times(1)
        .returning(|_| Ok(Money::from_stored(500)));
    let (_, ports) = services(uow);
    let receipt = PaymentService::new(&ports)
        .record_payment(&payment(1_500, "cash", None), "act_1")
        .unwrap();
    assert_eq!(receipt.credit_available, Money::from_stored(500));
}

#[test]
fn approving_a_settled_invoice_is_a_conflict() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 1_000))));
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(Vec::new()));
    let (tx, ports) = services(uow);
    let result =
        PaymentService::new(&ports).approve_paid(&InvoiceId::from_stored(INVOICE), None, "a");
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::InvoiceAlreadyPaid))
    ));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn a_payment_that_clears_the_overdue_balance_resolves_the_live_case() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find().returning(|_| Ok(Some(client())));
    uow.invoices
        .expect_lock_open_invoices()
        .returning(|_| Ok(vec![invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 400)]));
    uow.invoices.expect_save_settlements().never();
    uow.payments
        .expect_insert()
        .withf(|p, settled| {
            let [i] = settled else { return false };
            p.amount == Money::from_stored(600)
                && p.unallocated_amount == Money::from_stored(0)
                && p.allocations.len() == 1
                && i.amount_paid == Money::from_stored(1_000)
                && i.status == InvoiceStatus::Paid
        })
        .times(1)
        .returning(|_, _| Ok(Money::ZERO));
    // The locked invoices tell that nothing is overdue any more: not read again.
    uow.collections.expect_overdue_invoices().never();
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::InProgress, 3))));
    uow.collections
        .expect_update_case()
        .withf(|c| c.status == CaseStatus::Resolved && c.resolved_at == Some(NOW))
        .times(1)
        .returning(|_| Ok(()));
    uow.collections
        .expect_insert_action()
        .withf(|a| a.action_type == CASE_RESOLVED && a.automatic && a.actor_id == SYSTEM_ACTOR)
        .times(1)
        .returning(|_| Ok(true));
    uow.collections
        .expect_dunning_suspended_contract_ids()
        .returning(|_| Ok(Vec::new()));
    let (tx, ports) = services(uow);
    let receipt = PaymentService::new(&ports)
        .record_payment(&payment(600, "cash", None), "act_1")
        .unwrap();
    assert_eq!(receipt.allocation_state, AllocationState::Full);
    assert_eq!(receipt.outcomes[0].outstanding_after, Money::from_stored(0));
    assert_eq!(tx.commit_count(), 1);
    use crate::events::EventType;
    assert_eq!(
        tx.recorded_types(),
        [
            EventType::PaymentReceived,
            EventType::InvoicePaid,
            EventType::CollectionCaseResolved
        ]
    );
}

#[test]
fn a_payment_leaving_an_invoice_overdue_reads_no_case_and_appends_its_events_once() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find().returning(|_| Ok(Some(client())));
    uow.invoices.expect_lock_open_invoices().returning(|_| {
        Ok(vec![
            invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 0),
            Invoice {
                id: InvoiceId::from_stored(SECOND_INVOICE),
                ..invoice(CLIENT, date!(2026 - 03 - 01), 1_000, 0)
            },
        ])
    });
    uow.invoices.expect_save_settlements().never();
    // One write: the payment, its allocation and the invoice it paid.
    uow.payments
        .expect_insert()
        .withf(|p, settled| p.allocations.len() == 1 && settled.len() == 1)
        .times(1)
        .returning(|_, _| Ok(Money::ZERO));
    // The second invoice, due before today, stays open: the case stays as it is, unread.
    uow.collections.expect_overdue_invoices().never();
    uow.collections.expect_live_case_for_update().never();
    uow.collections
        .expect_dunning_suspended_contract_ids()
        .never();
    let (tx, ports) = services(uow);
    PaymentService::new(&ports)
        .record_payment(&payment(1_000, "cash", None), "act_1")
        .unwrap();
    use crate::events::EventType;
    assert_eq!(
        tx.recorded_types(),
        [EventType::PaymentReceived, EventType::InvoicePaid]
    );
    let appends = tx.uow.lock().map(|u| u.events.append_calls()).unwrap_or(0);
    assert_eq!(appends, 1, "the payment and the invoice paid in one append");
}

#[test]
fn a_payment_clearing_what_is_overdue_resolves_the_case_even_with_later_invoices_open() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find().returning(|_| Ok(Some(client())));
    // Due before and after today (2026-03-10): only the first is overdue.
    uow.invoices.expect_lock_open_invoices().returning(|_| {
        Ok(vec![
            invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 0),
            Invoice {
                id: InvoiceId::from_stored(SECOND_INVOICE),
                ..invoice(CLIENT, date!(2026 - 04 - 01), 1_000, 0)
            },
        ])
    });
    uow.payments
        .expect_insert()
        .returning(|_, _| Ok(Money::ZERO));
    uow.collections.expect_overdue_invoices().never();
    uow.collections
        .expect_live_case_for_update()
        .times(1)
        .returning(|_| Ok(Some(case(CaseStatus::Open, 1))));
    uow.collections
        .expect_update_case()
        .withf(|c| c.status == CaseStatus::Resolved)
        .times(1)
        .returning(|_| Ok(()));
    uow.collections
        .expect_insert_action()
        .returning(|_| Ok(true));
    uow.collections
        .expect_dunning_suspended_contract_ids()
        .times(1)
        .returning(|_| Ok(Vec::new()));
    let (tx, ports) = services(uow);
    PaymentService::new(&ports)
        .record_payment(&payment(1_000, "cash", None), "act_1")
        .unwrap();
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn a_promise_to_pay_case_climbs_no_step() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::PromiseToPay, 1))));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(vec![invoice(CLIENT, date!(2026 - 01 - 01), 1_000, 0)]));
    uow.collections
        .expect_last_case_end()
        .returning(|_| Ok(None));
    let (_, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let report = crate::tx::transaction(ports.tx.as_ref(), |uow| {
        dunning.run_client_in(uow, &ClientId::from_stored(CLIENT), date!(2026 - 03 - 10))
    })
    .unwrap();
    assert_eq!(report.actions_recorded, 0);
}

#[test]
fn steps_already_recorded_suspend_nothing_again() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::Open, 3))));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(vec![invoice(CLIENT, date!(2026 - 02 - 01), 1_000, 0)]));
    uow.collections
        .expect_last_case_end()
        .returning(|_| Ok(None));
    // Another instance recorded every step: each insert is a no-op.
    uow.collections
        .expect_insert_action()
        .times(3)
        .returning(|_| Ok(false));
    let (tx, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let report = crate::tx::transaction(ports.tx.as_ref(), |uow| {
        dunning.run_client_in(uow, &ClientId::from_stored(CLIENT), date!(2026 - 03 - 10))
    })
    .unwrap();
    assert_eq!(report.actions_recorded, 0);
    assert_eq!(report.contracts_suspended, 0);
    assert_eq!(tx.recorded_types(), [], "no step taken, nothing told");
}

#[test]
fn an_illegal_case_move_is_a_conflict_and_rolls_back() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_find_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::Closed, 0))));
    let (tx, ports) = services(uow);
    let result =
        CaseService::new(&ports).change_status(&CaseId::from_stored(CASE), "open", None, "act_1");
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::InvalidStatusTransition { .. }))
    ));
    assert_eq!(tx.rollback_count(), 1);
    assert_eq!(tx.recorded_types(), []);
}

#[test]
fn a_valid_payment_input_becomes_a_typed_payment() {
    let input = PaymentInput {
        reference: Some("  R-1  ".into()),
        received_at: Some("2026-03-09".into()),
        ..payment(2_500, " card ", Some(INVOICE))
    };
    assert_eq!(
        input.validate(date!(2026 - 03 - 10)).expect("valid"),
        NewPayment {
            client_id: ClientId::from_stored(CLIENT),
            amount: Money::from_stored(2_500),
            method: PaymentMethod::Card,
            reference: Some("R-1".into()),
            received_at: date!(2026 - 03 - 09),
            invoice_id: Some(InvoiceId::from_stored(INVOICE)),
        }
    );
    let today = payment(100, "cash", None)
        .validate(date!(2026 - 03 - 10))
        .expect("valid");
    assert_eq!(today.received_at, date!(2026 - 03 - 10));
}

#[test]
fn field_errors_come_before_malformed_ids_which_read_as_unknown() {
    let bad_fields = PaymentInput {
        client_id: "not-an-id".into(),
        ..payment(0, "cash", Some("inv_nope"))
    };
    let Err(Error::Validation(errors)) = bad_fields.validate(date!(2026 - 03 - 10)) else {
        panic!("expected a validation error");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "amount");
    let bad_client = PaymentInput {
        client_id: "not-an-id".into(),
        ..payment(100, "cash", None)
    };
    assert!(matches!(
        bad_client.validate(date!(2026 - 03 - 10)),
        Err(Error::NotFound(crate::error::Resource::Client))
    ));
    assert!(matches!(
        payment(100, "cash", Some("inv_nope")).validate(date!(2026 - 03 - 10)),
        Err(Error::NotFound(crate::error::Resource::Invoice))
    ));
}

fn stored_payment(id: &str) -> Payment {
    Payment {
        id: PaymentId::from_stored(id),
        client_id: ClientId::from_stored(CLIENT),
        amount: Money::from_stored(1_000),
        currency: "MAD".into(),
        method: PaymentMethod::Cash,
        reference: None,
        received_at: date!(2026 - 03 - 09),
        allocations: Vec::new(),
        unallocated_amount: Money::from_stored(1_000),
        actor_id: "act_1".into(),
        created_at: NOW,
    }
}

#[test]
fn payments_are_listed_page_by_page_the_extra_row_giving_the_next_cursor() {
    let payments: Vec<Payment> = ["pay_01", "pay_02", "pay_03"]
        .into_iter()
        .map(stored_payment)
        .collect();
    let mut uow = MockUnitOfWork::default();
    uow.payments
        .expect_list()
        .withf(|filter, _| filter.client_id.as_ref().map(ClientId::as_str) == Some(CLIENT))
        .times(2)
        .returning(move |_, page| Ok(fetched(&payments, page, |p| p.id.as_str())));
    let (_, ports) = services(uow);
    let service = PaymentService::new(&ports);
    let filter = PaymentFilter {
        client_id: Some(ClientId::from_stored(CLIENT)),
        ..PaymentFilter::default()
    };
    let ids = |page: &Page<Payment>| {
        page.items
            .iter()
            .map(|p| p.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };

    let first = service
        .list_payments(&filter, &PageRequest::new(2, None).unwrap())
        .unwrap();
    assert_eq!(ids(&first), ["pay_01", "pay_02"]);
    assert_eq!(first.next_cursor.as_deref(), Some("pay_02"));

    let last = service
        .list_payments(&filter, &PageRequest::new(2, first.next_cursor).unwrap())
        .unwrap();
    assert_eq!(ids(&last), ["pay_03"]);
    assert_eq!(last.next_cursor, None);
}

#[test]
fn cases_are_listed_page_by_page_by_id_with_figures_as_of_today() {
    let cases: Vec<CollectionCase> = ["case_01", "case_02", "case_03"]
        .iter()
        .map(|id| CollectionCase {
            id: CaseId::from_stored(*id),
            ..case(CaseStatus::Open, 1)
        })
        .collect();
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_list()
        .withf(|filter, _, today| {
            filter.status == Some(CaseStatus::Open) && *today == date!(2026 - 03 - 10)
        })
        .times(2)
        .returning(move |_, page, _| Ok(fetched(&cases, page, |c| c.id.as_str())));
    let (_, ports) = services(uow);
    let service = CaseService::new(&ports);
    let filter = CaseFilter {
        status: Some(CaseStatus::Open),
        ..CaseFilter::default()
    };
    let ids = |page: &Page<CollectionCase>| {
        page.items
            .iter()
            .map(|c| c.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };

    let first = service
        .list(&filter, &PageRequest::new(2, None).unwrap())
        .unwrap();
    assert_eq!(ids(&first), ["case_01", "case_02"]);
    assert_eq!(first.next_cursor.as_deref(), Some("case_02"));

    let last = service
        .list(&filter, &PageRequest::new(2, first.next_cursor).unwrap())
        .unwrap();
    assert_eq!(ids(&last), ["case_03"]);
    assert_eq!(last.next_cursor, None);
}

#[test]
fn credit_covering_the_overdue_debt_opens_no_case_and_climbs_no_step() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(None));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(vec![invoice(CLIENT, date!(2026 - 01 - 01), 36_000, 0)]));
    uow.ledger
        .expect_credit_available()
        .times(1)
        .returning(|_| Ok(Money::from_stored(52_000)));
    uow.collections.expect_insert_case().never();
    uow.collections.expect_insert_action().never();
    let (_, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let report = crate::tx::transaction(ports.tx.as_ref(), |uow| {
        dunning.run_client_in(uow, &ClientId::from_stored(CLIENT), date!(2026 - 03 - 10))
    })
    .unwrap();
    assert_eq!(report.cases_opened, 0);
    assert_eq!(report.contracts_suspended, 0);
}

#[test]
fn credit_short_of_the_overdue_debt_still_opens_a_case() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_live_case_for_update()
        .returning(|_| Ok(None));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(vec![invoice(CLIENT, date!(2026 - 03 - 01), 36_000, 0)]));
    uow.ledger
        .expect_credit_available()
        .times(1)
        .returning(|_| Ok(Money::from_stored(35_999)));
    uow.collections
        .expect_last_case_end()
        .returning(|_| Ok(None));
    uow.collections
        .expect_insert_case()
        .times(1)
        .returning(|_| Ok(true));
    uow.collections
        .expect_insert_action()
        .returning(|_| Ok(true));
    uow.collections.expect_update_case().returning(|_| Ok(()));
    let (tx, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    let report = crate::tx::transaction(ports.tx.as_ref(), |uow| {
        dunning.run_client_in(uow, &ClientId::from_stored(CLIENT), date!(2026 - 03 - 10))
    })
    .unwrap();
    assert_eq!(report.cases_opened, 1);
    use crate::events::{EventPayload, EventType};
    let events = tx.recorded_events();
    assert_eq!(events[0].event_type(), EventType::CollectionCaseOpened);
    let EventPayload::CollectionCaseOpened(opened) = &events[0].payload else {
        panic!("{:?}", events[0].payload);
    };
    assert_eq!(opened.overdue_amount, Money::from_stored(36_000));
    assert_eq!(
        events[1..]
            .iter()
            .map(|e| e.event_type())
            .collect::<Vec<_>>(),
        vec![EventType::CollectionCaseStepTaken; report.actions_recorded]
    );
}

#[test]
fn a_run_for_today_records_its_completion_and_a_past_date_does_not() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_dunning_candidates()
        .times(2)
        .returning(|_, _| Ok(Vec::new()));
    // The clock of `services` reads 2026-03-10 09:00 UTC.
    uow.collections
        .expect_record_dunning_run()
        .withf(|at| *at == datetime!(2026-03-10 09:00 UTC))
        .times(1)
        .returning(|_| Ok(()));
    let (_, ports) = services(uow);
    let dunning = DunningService::new(&ports);
    assert_eq!(dunning.run(None).unwrap().as_of, date!(2026 - 03 - 10));
    assert_eq!(
        dunning.run(Some("2026-03-01")).unwrap().as_of,
        date!(2026 - 03 - 01)
    );
}

#[test]
fn the_catch_up_is_due_when_the_last_run_is_more_than_a_day_old() {
    for (last, due) in [
        (None, true),
        (Some(datetime!(2026-03-09 07:00 UTC)), true),
        (Some(datetime!(2026-03-09 10:00 UTC)), false),
    ] {
        let mut uow = MockUnitOfWork::default();
        uow.collections
            .expect_last_dunning_run()
            .returning(move || Ok(last));
        let (_, ports) = services(uow);
        assert_eq!(DunningService::new(&ports).catch_up_due().unwrap(), due);
    }
}

#[test]
fn the_next_scheduled_run_reads_the_zone_offsets_of_morocco() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_utc_offset()
        .withf(|zone, _| zone == "Africa/Casablanca")
        .returning(|_, _| Ok(time::UtcOffset::UTC));
    let (_, ports) = services(uow);
    // 09:00 UTC on 10 March, the zone at UTC+0 (Ramadan): next 02:00 is 11 March 02:00 UTC.
    assert_eq!(
        DunningService::new(&ports)
            .next_scheduled_run(crate::collections::schedule::DailyAt::DEFAULT)
            .unwrap(),
        datetime!(2026-03-11 02:00 UTC)
    );
}
