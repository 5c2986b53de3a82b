//! Changes backdated into an invoiced month: refused without `regularize`, corrected in the
//! change's transaction with it (a credit note through the credit-note use case).

use std::sync::{Arc, Mutex};

use time::macros::date;

use super::*;
use crate::billing::{Invoice, InvoiceLine, InvoiceStatus, Period};
use crate::contracts::{AuditAction, AuditEntry, UpdateStatus};
use crate::credit_notes::CreditNote;
use crate::error::{Conflict, Error};
use crate::typed_ids::{BillingRunId, InvoiceId};

const INVOICE: &str = "inv_01JD0000000000000000000001";

/// March 2026 billed in full on the open period (99 MAD): 9 900 + 1 980.
fn march_invoice() -> Invoice {
    let at = NOW;
    Invoice {
        id: InvoiceId::from_stored(INVOICE),
        invoice_number: "FAC-2026-000007".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored(CLIENT),
        contract_id: ContractId::from_stored(CONTRACT),
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: OfferId::from_stored(OFFER),
        service_type: ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: Period::parse("2026-03").unwrap(),
        issue_date: date!(2026 - 03 - 01),
        due_date: date!(2026 - 03 - 16),
        status: InvoiceStatus::Issued,
        lines: vec![InvoiceLine {
            position: 1,
            contract_id: ContractId::from_stored(CONTRACT),
            service_identifier: None,
            description: "Offre 9900 – mars 2026".into(),
            offer_id: OfferId::from_stored(OFFER),
            start_date: date!(2026 - 03 - 01),
            end_date: date!(2026 - 03 - 31),
            days: 31,
            monthly_price: Money::from_stored(9_900),
            amount_excl_tax: Money::from_stored(9_900),
            tax_rate_bp: 2000,
            tax_amount: Money::from_stored(1_980),
            amount_incl_tax: Money::from_stored(11_880),
            usage: None,
        }],
        total_excl_tax: Money::from_stored(9_900),
        total_tax: Money::from_stored(1_980),
        total_incl_tax: Money::from_stored(11_880),
        amount_paid: Money::ZERO,
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: at,
        updated_at: at,
    }
}

fn terminate_on_the_10th() -> UpdateStatus {
    UpdateStatus {
        status: "terminated".into(),
        reason: None,
        effective_date: Some("2026-03-10".into()),
    }
}

/// An active contract whose March is invoiced; every contract write recorded.
fn invoiced_in_march(audit: Arc<Mutex<Vec<AuditEntry>>>) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.contracts
        .expect_find_for_update()
        .returning(|_| Ok(Some(contract(ContractStatus::Active))));
    uow.contracts
        .expect_open_offer_period()
        .returning(|_| Ok(Some(open_period())));
    uow.contracts
        .expect_close_offer_period()
        .returning(|_, _| Ok(()));
    uow.contracts.expect_update().returning(|_| Ok(()));
    uow.contracts.expect_append_audit().returning(move |e| {
        audit.lock().unwrap().push(e.clone());
        Ok(())
    });
    uow.invoices
        .expect_billed_for_contract()
        .withf(|_, from| from.to_string() == "2026-03")
        .returning(|_, _| Ok(vec![march_invoice()]));
    uow
}

#[test]
fn a_termination_inside_an_invoiced_month_is_refused_without_regularize() {
    let audit: Arc<Mutex<Vec<AuditEntry>>> = Arc::default();
    let mut uow = invoiced_in_march(Arc::clone(&audit));
    uow.credit_notes.expect_insert().never();
    let (service, tx) = build(uow);
    let change = service
        .validate_status_update(&terminate_on_the_10th())
        .unwrap();
    let error = service
        .update_status(ACTOR, &ContractId::from_stored(CONTRACT), &change, false)
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::PeriodAlreadyBilled { ref invoice_number, ref period })
            if invoice_number == "FAC-2026-000007" && period == "2026-03"
    ));
    // The termination written before the check is rolled back with it.
    assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
}

#[test]
fn a_regularised_termination_credits_the_days_after_it_and_audits_the_note() {
    let audit: Arc<Mutex<Vec<AuditEntry>>> = Arc::default();
    let mut uow = invoiced_in_march(Arc::clone(&audit));
    uow.contracts.expect_offer_periods().returning(|_| {
        Ok(vec![OfferPeriod {
            end_date: Some(date!(2026 - 03 - 11)),
            ..open_period()
        }])
    });
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(march_invoice())));
    uow.invoices
        .expect_lock()
        .returning(|_| Ok(Some(march_invoice())));
    uow.ledger
        .expect_lock_invoices()
        .returning(|_, _| Ok(Vec::new()));
    uow.credit_notes
        .expect_credited_lines()
        .returning(|_| Ok(Vec::new()));
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(3));
    let notes: Arc<Mutex<Vec<CreditNote>>> = Arc::default();
    let stored = Arc::clone(&notes);
    uow.credit_notes.expect_insert().returning(move |note| {
        stored.lock().unwrap().push(note.clone());
        Ok(())
    });
    uow.invoices.expect_save_credit().returning(|_| Ok(()));
    uow.ledger.expect_insert_audit().returning(|_| Ok(()));
    uow.contracts.expect_insert_pending_charges().never();
    let (service, tx) = build(uow);
    let change = service
        .validate_status_update(&terminate_on_the_10th())
        .unwrap();
    let changed = service
        .update_status(ACTOR, &ContractId::from_stored(CONTRACT), &change, true)
        .unwrap();
    assert_eq!(tx.commit_count(), 1);

    // 1st–10th kept: 9 900 × 10 / 31 = 3 193.5 → 3 194; credited 6 706 + TVA 1 341.
    let notes = notes.lock().unwrap();
    let note = &notes[0];
    assert_eq!(
        (
            note.lines[0].position,
            note.total_excl_tax.centimes(),
            note.total_tax.centimes(),
            note.total_incl_tax.centimes()
        ),
        (1, 6_706, 1_341, 8_047)
    );
    assert_eq!(note.credit_note_number, "AV-2026-000003");
    assert_eq!(
        note.reason,
        "Régularisation : résiliation au 10/03/2026 (contrat CTR-2026-000001)"
    );
    let regularisation = changed.regularisation.unwrap();
    assert_eq!(regularisation.credit_notes.len(), 1);
    assert!(regularisation.pending_charges.is_empty());

    let audit = audit.lock().unwrap();
    let actions: Vec<AuditAction> = audit.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [AuditAction::StatusChanged, AuditAction::Regularised]
    );
    let after = audit[1].after.clone().unwrap();
    assert!(after.contains(&("credit_notes".to_owned(), "AV-2026-000003".to_owned())));
}

#[test]
fn an_invoice_already_credited_is_left_to_the_operator() {
    let audit: Arc<Mutex<Vec<AuditEntry>>> = Arc::default();
    let mut uow = MockUnitOfWork::default();
    uow.contracts
        .expect_find_for_update()
        .returning(|_| Ok(Some(contract(ContractStatus::Active))));
    uow.contracts
        .expect_open_offer_period()
        .returning(|_| Ok(Some(open_period())));
    uow.contracts
        .expect_close_offer_period()
        .returning(|_, _| Ok(()));
    uow.contracts.expect_update().returning(|_| Ok(()));
    let recorded = Arc::clone(&audit);
    uow.contracts.expect_append_audit().returning(move |e| {
        recorded.lock().unwrap().push(e.clone());
        Ok(())
    });
    uow.contracts.expect_offer_periods().returning(|_| {
        Ok(vec![OfferPeriod {
            end_date: Some(date!(2026 - 03 - 11)),
            ..open_period()
        }])
    });
    uow.invoices.expect_billed_for_contract().returning(|_, _| {
        Ok(vec![Invoice {
            credit_note_ids: vec![crate::typed_ids::CreditNoteId::from_stored("cn_1")],
            usage: Vec::new(),
            ..march_invoice()
        }])
    });
    uow.credit_notes.expect_insert().never();
    let (service, tx) = build(uow);
    let change = service
        .validate_status_update(&terminate_on_the_10th())
        .unwrap();
    let error = service
        .update_status(ACTOR, &ContractId::from_stored(CONTRACT), &change, true)
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::InvoiceAlreadyCorrected { .. })
    ));
    assert_eq!(tx.rollback_count(), 1);
}
