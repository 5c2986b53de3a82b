//! The credit engine against mocked ports: order of application, sources, writes.

use std::sync::{Arc, Mutex};

use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::*;
use crate::billing::{Invoice, InvoiceStatus, Period};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::testing::{MockUnitOfWork, SequentialIds};
use crate::typed_ids::{
    BillingRunId, ClientId, ContractId, CreditNoteId, InvoiceId, OfferId, PaymentId,
};

const AT: OffsetDateTime = datetime!(2026-12-05 10:00 UTC);

fn invoice(id: &str, client: &str, due: Date, total: i64, paid: i64) -> Invoice {
    Invoice {
        id: InvoiceId::from_stored(id),
        invoice_number: format!("FAC-{id}"),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored(client),
        contract_id: ContractId::from_stored("ctr_1"),
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: OfferId::from_stored("ofr_1"),
        service_type: ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: Period::parse("2026-11").expect("period"),
        issue_date: due,
        due_date: due,
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
        created_at: AT,
        updated_at: AT,
    }
}

fn payment(id: &str, client: &str, remaining: i64, day: u8) -> CreditSource {
    CreditSource {
        source: SourceRef::Payment(PaymentId::from_stored(id)),
        client_id: ClientId::from_stored(client),
        remaining: Money::from_stored(remaining),
        created_at: AT.replace_day(day).expect("day"),
    }
}

fn note(id: &str, client: &str, remaining: i64, day: u8) -> CreditSource {
    CreditSource {
        source: SourceRef::CreditNote(CreditNoteId::from_stored(id)),
        ..payment(id, client, remaining, day)
    }
}

fn summary(applications: &[CreditApplication]) -> Vec<(String, String, i64)> {
    applications
        .iter()
        .map(|a| {
            (
                a.source.id().to_owned(),
                a.invoice_id.to_string(),
                a.amount.centimes(),
            )
        })
        .collect()
}

#[test]
fn credit_pays_the_oldest_due_invoice_first_from_the_oldest_source_first() {
    let mut open = vec![
        invoice("inv_a", "cli_1", date!(2026 - 10 - 15), 10_000, 0),
        invoice("inv_b", "cli_1", date!(2026 - 11 - 15), 10_000, 4_000),
    ];
    let mut sources = vec![
        payment("pay_old", "cli_1", 3_000, 1),
        note("cn_new", "cli_1", 20_000, 2),
    ];
    let applications = plan_applications(&mut sources, &mut open);
    assert_eq!(
        summary(&applications),
        vec![
            ("pay_old".into(), "inv_a".into(), 3_000),
            ("cn_new".into(), "inv_a".into(), 7_000),
            ("cn_new".into(), "inv_b".into(), 6_000),
        ]
    );
    assert_eq!(sources[0].remaining, Money::ZERO);
    assert_eq!(sources[1].remaining, Money::from_stored(7_000));
    assert!(open.iter().all(|i| i.status == InvoiceStatus::Paid));
    assert_eq!(
        applications[1].outstanding_before,
        Money::from_stored(7_000)
    );
    assert_eq!(applications[1].outstanding_after, Money::ZERO);
    assert_eq!(applications[1].source_before, Money::from_stored(20_000));
}

#[test]
fn credit_smaller_than_the_debt_leaves_the_invoice_partially_paid() {
    let mut open = vec![invoice("inv_a", "cli_1", date!(2026 - 10 - 15), 36_000, 0)];
    let mut sources = vec![payment("pay_1", "cli_1", 12_000, 1)];
    let applications = plan_applications(&mut sources, &mut open);
    assert_eq!(applications.len(), 1);
    assert_eq!(open[0].status, InvoiceStatus::PartiallyPaid);
    assert_eq!(open[0].outstanding(), Money::from_stored(24_000));
    assert_eq!(sources[0].remaining, Money::ZERO);
}

#[test]
fn credit_of_one_client_never_pays_another_clients_invoice() {
    let mut open = vec![
        invoice("inv_a", "cli_1", date!(2026 - 10 - 15), 10_000, 0),
        invoice("inv_b", "cli_2", date!(2026 - 09 - 15), 10_000, 0),
    ];
    let mut sources = vec![
        payment("pay_2", "cli_2", 2_000, 1),
        payment("pay_1", "cli_1", 50_000, 2),
    ];
    let applications = plan_applications(&mut sources, &mut open);
    assert_eq!(
        summary(&applications),
        vec![
            ("pay_2".into(), "inv_b".into(), 2_000),
            ("pay_1".into(), "inv_a".into(), 10_000),
        ]
    );
    assert_eq!(sources[1].remaining, Money::from_stored(40_000));
    assert_eq!(open[1].outstanding(), Money::from_stored(8_000));
}

#[test]
fn no_credit_or_nothing_open_applies_nothing() {
    let mut open = vec![invoice("inv_a", "cli_1", date!(2026 - 10 - 15), 10_000, 0)];
    assert!(plan_applications(&mut [], &mut open).is_empty());
    let mut sources = vec![payment("pay_1", "cli_1", 5_000, 1)];
    assert!(plan_applications(&mut sources, &mut []).is_empty());
    assert_eq!(sources[0].remaining, Money::from_stored(5_000));
}

#[test]
fn applying_credit_locks_invoices_then_sources_and_records_every_application() {
    let order = Arc::new(Mutex::new(Vec::<&str>::new()));
    let mut uow = MockUnitOfWork::default();
    let seen = order.clone();
    uow.invoices
        .expect_lock_open_invoices()
        .times(1)
        .returning(move |_| {
            seen.lock().expect("order").push("invoices");
            Ok(vec![invoice(
                "inv_a",
                "cli_1",
                date!(2026 - 10 - 15),
                36_000,
                0,
            )])
        });
    let seen = order.clone();
    uow.ledger
        .expect_lock_credit_sources()
        .times(1)
        .returning(move |_| {
            seen.lock().expect("order").push("sources");
            Ok(vec![payment("pay_1", "cli_1", 52_000, 1)])
        });
    uow.invoices
        .expect_save_settlements()
        .times(1)
        .withf(|invoices| {
            invoices.len() == 1
                && invoices[0].status == InvoiceStatus::Paid
                && invoices[0].updated_at == AT
        })
        .returning(|_| Ok(()));
    uow.ledger
        .expect_record_applications()
        .times(1)
        .withf(|apps, at| apps.len() == 1 && apps[0].amount.centimes() == 36_000 && *at == AT)
        .returning(|_, _| Ok(()));
    uow.ledger
        .expect_insert_audit()
        .times(1)
        .withf(|entries| {
            entries.len() == 1
                && entries[0].action == LedgerAction::CreditApplied
                && entries[0].actor_id == "act_1 via act_gw"
                && entries[0].before.contains(&("outstanding".into(), 36_000))
                && entries[0].after.contains(&("outstanding".into(), 0))
                && entries[0]
                    .after
                    .contains(&("payment_credit".into(), 16_000))
        })
        .returning(|_| Ok(()));
    let applied = apply_available_credit(
        &mut uow,
        &SequentialIds::default(),
        &ClientId::from_stored("cli_1"),
        AT,
        "act_1 via act_gw",
    )
    .expect("applied");
    assert_eq!(applied.len(), 1);
    assert_eq!(*order.lock().expect("order"), vec!["invoices", "sources"]);
}

#[test]
fn without_open_invoices_no_source_is_locked_and_nothing_is_written() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_lock_open_invoices()
        .times(1)
        .returning(|_| Ok(Vec::new()));
    uow.ledger.expect_lock_credit_sources().never();
    uow.ledger.expect_record_applications().never();
    let applied = apply_available_credit(
        &mut uow,
        &SequentialIds::default(),
        &ClientId::from_stored("cli_1"),
        AT,
        "system",
    )
    .expect("applied");
    assert!(applied.is_empty());
}
