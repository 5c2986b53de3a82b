//! Unit tests of the ladder holds (disputes, promises) against mocked ports.

use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::*;
use crate::billing::{Invoice, InvoiceStatus, Period};
use crate::error::{Conflict, Error};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, CaseId, ClientId, ContractId, InvoiceId, OfferId};

const CLIENT: &str = "cli_01JD0000000000000000000001";
const OTHER: &str = "cli_01JD0000000000000000000002";
const INVOICE: &str = "inv_01JD0000000000000000000001";
const CASE: &str = "case_01JD0000000000000000000001";
const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn invoice(client_id: &str, due: Date) -> Invoice {
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
        status: InvoiceStatus::Issued,
        lines: Vec::new(),
        total_excl_tax: Money::from_stored(12_000),
        total_tax: Money::ZERO,
        total_incl_tax: Money::from_stored(12_000),
        amount_paid: Money::ZERO,
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: NOW,
        updated_at: NOW,
    }
}

fn case(status: CaseStatus, level: i32, promise: Option<Promise>) -> CollectionCase {
    CollectionCase {
        id: CaseId::from_stored(CASE),
        client_id: ClientId::from_stored(CLIENT),
        status,
        dunning_level: level,
        overdue_amount: Money::ZERO,
        invoice_ids: Vec::new(),
        disputed_invoice_ids: Vec::new(),
        promise,
        ladder_shift_days: 0,
        opened_at: NOW,
        resolved_at: None,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn promise_of(amount: i64) -> Promise {
    Promise {
        date: date!(2026 - 02 - 20),
        amount: Money::from_stored(amount),
        made_at: datetime!(2026-02-05 09:00 UTC),
        settled_before: Money::ZERO,
    }
}

/// A unit of work whose client owes one invoice due on 1 January (68 days on 10 March) and
/// holds no credit.
fn debtor_uow(live: CollectionCase) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_live_case_for_update()
        .returning(move |_| Ok(Some(live.clone())));
    uow.collections
        .expect_overdue_invoices()
        .returning(|_, _| Ok(vec![invoice(CLIENT, date!(2026 - 01 - 01))]));
    uow.collections
        .expect_last_case_end()
        .returning(|_| Ok(None));
    uow.ledger
        .expect_credit_available()
        .returning(|_| Ok(Money::ZERO));
    uow
}

fn run(uow: MockUnitOfWork, as_of: Date) -> (std::sync::Arc<MockTransactions>, DunningReport) {
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    let dunning = DunningService::new(&ports);
    let report = crate::tx::transaction(ports.tx.as_ref(), |uow| {
        dunning.run_client_in(uow, &ClientId::from_stored(CLIENT), as_of)
    })
    .unwrap();
    (tx, report)
}

#[test]
fn a_disputed_invoice_triggers_no_step_and_no_suspension() {
    let mut uow = debtor_uow(case(CaseStatus::Disputed, 1, None));
    uow.collections
        .expect_disputed_invoice_ids()
        .returning(|_| Ok(vec![InvoiceId::from_stored(INVOICE)]));
    uow.collections.expect_insert_action().never();
    uow.collections.expect_update_case().never();
    uow.collections.expect_active_contract_ids().never();
    let (_, report) = run(uow, date!(2026 - 03 - 10));
    assert_eq!(report.actions_recorded, 0);
    assert_eq!(report.contracts_suspended, 0);
}

#[test]
fn a_pending_promise_holds_the_ladder_without_reading_payments() {
    let mut uow = debtor_uow(case(CaseStatus::PromiseToPay, 1, Some(promise_of(5_000))));
    uow.collections.expect_settled_total().never();
    uow.collections.expect_insert_action().never();
    let (_, report) = run(uow, date!(2026 - 02 - 20));
    assert_eq!(report.promises_broken + report.actions_recorded, 0);
}

#[test]
fn a_broken_promise_is_recorded_and_only_the_next_step_follows() {
    let mut uow = debtor_uow(case(CaseStatus::PromiseToPay, 1, Some(promise_of(5_000))));
    uow.collections
        .expect_settled_total()
        .returning(|_| Ok(Money::from_stored(4_999)));
    let mut recorded = Vec::new();
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    uow.collections
        .expect_insert_action()
        .returning(move |action| {
            sender.send(action.action_type.clone()).unwrap();
            // The reminder is already on the case.
            Ok(action.action_type != "reminder_sms")
        });
    uow.collections
        .expect_update_case()
        .withf(|c| {
            c.status == CaseStatus::InProgress && c.dunning_level == 2
                // 68 days past due, resumed at the second reminder (D+15).
                && c.ladder_shift_days == 53
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.collections.expect_active_contract_ids().never();
    let (_, report) = run(uow, date!(2026 - 03 - 10));
    recorded.extend(receiver.try_iter());
    assert_eq!(
        recorded,
        ["promise_broken", "reminder_sms", "second_reminder"]
    );
    assert_eq!(report.promises_broken, 1);
    assert_eq!(report.actions_recorded, 1);
    assert_eq!(report.contracts_suspended, 0);
}

#[test]
fn a_kept_promise_is_recorded_as_kept() {
    let mut uow = debtor_uow(case(CaseStatus::PromiseToPay, 2, Some(promise_of(5_000))));
    uow.collections
        .expect_settled_total()
        .returning(|_| Ok(Money::from_stored(5_000)));
    uow.collections
        .expect_insert_action()
        .withf(|a| a.action_type != "promise_broken")
        .returning(|a| Ok(a.action_type != "reminder_sms" && a.action_type != "second_reminder"));
    uow.collections.expect_update_case().returning(|_| Ok(()));
    uow.collections
        .expect_active_contract_ids()
        .returning(|_| Ok(Vec::new()));
    let (_, report) = run(uow, date!(2026 - 03 - 10));
    assert_eq!(report.promises_kept, 1);
    assert_eq!(report.promises_broken, 0);
    // Resumed at the suspension, the step after the second reminder.
    assert_eq!(report.actions_recorded, 1);
}

#[test]
fn another_clients_invoice_cannot_be_disputed_and_nothing_is_written() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_find_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::Open, 1, None))));
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice(OTHER, date!(2026 - 01 - 01)))));
    uow.collections.expect_open_dispute().never();
    uow.collections.expect_update_case().never();
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    let result = CaseService::new(&ports).open_dispute(
        &CaseId::from_stored(CASE),
        &[INVOICE.to_owned()],
        None,
        "act_1",
    );
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::InvoiceOfAnotherClient))
    ));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn a_second_dispute_on_a_disputed_case_is_a_conflict() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_find_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::Disputed, 1, None))));
    uow.invoices.expect_find().never();
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    let result = CaseService::new(&ports).open_dispute(
        &CaseId::from_stored(CASE),
        &[INVOICE.to_owned()],
        None,
        "act_1",
    );
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::CaseAlreadyDisputed))
    ));
}

#[test]
fn a_promise_above_the_overdue_amount_names_the_amount_and_changes_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.collections
        .expect_find_for_update()
        .returning(|_| Ok(Some(case(CaseStatus::Open, 1, None))));
    uow.collections.expect_find().returning(|_, _| {
        Ok(Some(CollectionCase {
            overdue_amount: Money::from_stored(12_000),
            ..case(CaseStatus::Open, 1, None)
        }))
    });
    uow.collections.expect_update_case().never();
    uow.collections.expect_insert_action().never();
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    let input = ActionInput {
        action_type: "promise_to_pay",
        note: None,
        promised_date: Some("2026-03-20"),
        amount: Some(12_001),
    };
    let result = CaseService::new(&ports).add_action(&CaseId::from_stored(CASE), &input, "act_1");
    match result {
        Err(Error::Validation(errors)) => assert_eq!(errors[0].field, "amount"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(tx.rollback_count(), 1);
}
