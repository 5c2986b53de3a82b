//! Unit tests of the replacement of a rejected invoice against mocked ports: the guards, in
//! order, and what the replacement is issued with.

use std::sync::Arc;

use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::*;
use crate::billing::{InvoiceLine, Period};
use crate::clients::{Cin, Client, ClientStatus, Identity, Invoicing, Person};
use crate::einvoicing::Clearance;
use crate::events::EventType;
use crate::parties::SellerIdentityId;
use crate::service_type::ServiceType;
use crate::settings::Settings;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, ClientId, ContractId, OfferId};

const ID: &str = "inv_01JD0000000000000000000000";
const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn line() -> InvoiceLine {
    InvoiceLine {
        usage: None,
        position: 1,
        contract_id: ContractId::from_stored("ctr_1"),
        service_identifier: None,
        description: "Forfait MOB-99".into(),
        offer_id: OfferId::from_stored("ofr_1"),
        start_date: date!(2026 - 01 - 01),
        end_date: date!(2026 - 01 - 31),
        days: 31,
        monthly_price: Money::from_stored(9_900),
        amount_excl_tax: Money::from_stored(9_900),
        tax_rate_bp: 2_000,
        tax_amount: Money::from_stored(1_980),
        amount_incl_tax: Money::from_stored(11_880),
    }
}

/// January's invoice, voided by a credit note for all of it.
fn voided() -> Invoice {
    Invoice {
        usage: Vec::new(),
        id: InvoiceId::from_stored(ID),
        invoice_number: "FAC-2026-000001".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored("cli_1"),
        contract_id: ContractId::from_stored("ctr_1"),
        invoicing: Invoicing::PerContract,
        offer_id: OfferId::from_stored("ofr_1"),
        service_type: ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: SellerIdentityId::from_stored(1),
        period: Period::parse("2026-01").expect("period"),
        issue_date: date!(2026 - 02 - 01),
        due_date: date!(2026 - 02 - 16),
        status: InvoiceStatus::Void,
        lines: vec![line()],
        total_excl_tax: Money::from_stored(9_900),
        total_tax: Money::from_stored(1_980),
        total_incl_tax: Money::from_stored(11_880),
        amount_paid: Money::ZERO,
        credited_amount: Money::from_stored(11_880),
        credit_note_ids: vec![crate::typed_ids::CreditNoteId::from_stored("cn_1")],
        replaces_invoice_id: None,
        currency: "MAD".into(),
        created_at: datetime!(2026-02-01 00:00 UTC),
        updated_at: datetime!(2026-02-20 00:00 UTC),
    }
}

fn clearance(status: ClearanceStatus) -> Clearance {
    Clearance {
        document: ClearedDocument::Invoice(InvoiceId::from_stored(ID)),
        number: "FAC-2026-000001".into(),
        status,
        reference: None,
        cleared_at: None,
        verification_code: None,
        reasons: vec!["ICE inconnu".into()],
        attempts: 1,
        last_error: None,
        next_attempt_at: None,
    }
}

/// The client as it is today: its name corrected since January.
fn client() -> Client {
    Client {
        id: ClientId::from_stored("cli_1"),
        identity: Identity::Person(Person {
            cin: Cin::parse("AB123456").expect("cin"),
            first_name: "Hajar".into(),
            last_name: "Benkirane-Alaoui".into(),
        }),
        invoicing: Invoicing::PerContract,
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

fn service(uow: MockUnitOfWork) -> (InvoiceService, Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    let mut ports = ports(tx.clone(), fixed_clock(NOW));
    ports.settings = Arc::new(Settings {
        einvoicing: true,
        ..Settings::default()
    });
    (InvoiceService::new(&ports), tx)
}

fn run(service: &InvoiceService) -> Result<(Invoice, Option<Clearance>)> {
    crate::tx::transaction(service.tx.as_ref(), |uow| {
        service.reissue_in(uow, &InvoiceId::from_stored(ID), "act_1")
    })
}

/// A unit of work where the invoice is `invoice`, its clearance `status` and its
/// replacement `replaced`; nothing may be written.
fn refusing(invoice: Invoice, status: Option<ClearanceStatus>, replaced: bool) -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_lock()
        .returning(move |_| Ok(Some(invoice.clone())));
    uow.clearances
        .expect_find()
        .returning(move |_| Ok(status.map(clearance)));
    uow.invoices.expect_replacement_of().returning(move |_| {
        Ok(replaced.then(|| InvoiceId::from_stored("inv_01JD0000000000000000000001")))
    });
    uow.invoices.expect_insert_batch().never();
    uow.sequences.expect_reserve().never();
    uow.clearances.expect_insert_pending().never();
    uow
}

#[test]
fn an_invoice_never_rejected_is_not_replaced() {
    for status in [
        None,
        Some(ClearanceStatus::Pending),
        Some(ClearanceStatus::Submitted),
        Some(ClearanceStatus::Cleared),
    ] {
        let (service, tx) = service(refusing(voided(), status, false));
        assert!(
            matches!(
                run(&service),
                Err(Error::Conflict(Conflict::InvoiceNotRejected))
            ),
            "{status:?}"
        );
        assert!(tx.recorded_events().is_empty());
    }
}

#[test]
fn a_rejected_invoice_still_due_is_not_replaced() {
    for status in [InvoiceStatus::Issued, InvoiceStatus::PartiallyPaid] {
        let invoice = Invoice { status, ..voided() };
        let (service, _) = service(refusing(invoice, Some(ClearanceStatus::Rejected), false));
        assert!(matches!(
            run(&service),
            Err(Error::Conflict(Conflict::InvoiceNotVoid))
        ),);
    }
}

#[test]
fn a_replaced_invoice_is_not_replaced_again() {
    let (service, _) = service(refusing(voided(), Some(ClearanceStatus::Rejected), true));
    assert!(matches!(
        run(&service),
        Err(Error::Conflict(Conflict::InvoiceAlreadyReissued))
    ),);
}

#[test]
fn an_unknown_invoice_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices.expect_lock().returning(|_| Ok(None));
    let (service, _) = service(uow);
    assert!(matches!(
        run(&service),
        Err(Error::NotFound(Resource::Invoice))
    ),);
}

#[test]
fn the_replacement_bills_the_same_lines_under_the_next_number_for_today_and_waits_for_clearance() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices.expect_lock().returning(|_| Ok(Some(voided())));
    uow.invoices.expect_replacement_of().returning(|_| Ok(None));
    uow.clearances
        .expect_find()
        .withf(|id| id == ID)
        .returning(|_| Ok(Some(clearance(ClearanceStatus::Rejected))));
    uow.clients.expect_find().returning(|_| Ok(Some(client())));
    uow.invoices
        .expect_seller_identity()
        .withf(|seller| *seller == Settings::default().seller)
        .returning(|_| Ok(SellerIdentityId::from_stored(7)));
    uow.sequences
        .expect_reserve()
        .withf(|name, year, count| name == "FAC" && *year == 2026 && *count == 1)
        .times(1)
        .returning(|_, _, _| Ok(2));
    let written = Arc::new(std::sync::Mutex::new(None::<Invoice>));
    let keep = written.clone();
    uow.invoices
        .expect_insert_batch()
        .times(1)
        .returning(move |batch| {
            *keep.lock().unwrap() = batch.first().cloned();
            Ok(())
        });
    uow.clearances
        .expect_insert_pending()
        .withf(|pending, _| {
            pending.len() == 1
                && pending[0].number == "FAC-2026-000002"
                && matches!(pending[0].document, ClearedDocument::Invoice(_))
        })
        .times(1)
        .returning(|_, _| Ok(()));
    uow.clearances
        .expect_find()
        .withf(|id| id != ID)
        .returning(|_| {
            Ok(Some(Clearance {
                number: "FAC-2026-000002".into(),
                reasons: Vec::new(),
                attempts: 0,
                ..clearance(ClearanceStatus::Pending)
            }))
        });
    uow.ledger
        .expect_clients_with_credit()
        .returning(|_| Ok(Vec::new()));
    let stored = written.clone();
    uow.invoices
        .expect_find()
        .returning(move |_| Ok(stored.lock().unwrap().clone()));
    let (service, tx) = service(uow);

    let (replacement, clearance) = run(&service).unwrap();

    assert_eq!(replacement.invoice_number, "FAC-2026-000002");
    assert_ne!(replacement.id.as_str(), ID);
    assert_eq!(
        replacement.replaces_invoice_id,
        Some(InvoiceId::from_stored(ID))
    );
    assert_eq!(replacement.contract_id, voided().contract_id);
    assert_eq!(replacement.period, voided().period);
    assert_eq!(replacement.billing_run_id, voided().billing_run_id);
    assert_eq!(replacement.lines, vec![line()]);
    assert_eq!(replacement.total_incl_tax, Money::from_stored(11_880));
    assert_eq!(replacement.status, InvoiceStatus::Issued);
    assert_eq!(replacement.credited_amount, Money::ZERO);
    assert!(replacement.credit_note_ids.is_empty());
    assert_eq!(replacement.issue_date, date!(2026 - 03 - 10));
    assert_eq!(
        replacement.due_date,
        date!(2026 - 03 - 25),
        "the original's 15 days to pay"
    );
    assert_eq!(replacement.buyer.name, "Hajar Benkirane-Alaoui");
    assert_eq!(replacement.seller_id, SellerIdentityId::from_stored(7));
    assert_eq!(clearance.map(|c| c.status), Some(ClearanceStatus::Pending));
    assert_eq!(tx.recorded_types(), vec![EventType::InvoiceIssued]);
    assert_eq!(tx.commit_count(), 1);
}
