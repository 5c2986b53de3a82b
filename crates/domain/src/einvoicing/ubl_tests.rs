//! The UBL use cases against mocked ports: a document is built from the stored invoice (or
//! note) and the parties fixed at issue, rendered by the port, and never stored.

use std::sync::Arc;

use time::macros::{date, datetime};

use super::MockUblRenderer;
use crate::billing::{Invoice, InvoiceLine, InvoiceParties, InvoiceService, InvoiceStatus, Period};
use crate::credit_notes::{CreditNote, CreditNoteLine, CreditNoteService};
use crate::documents::SellerIdentity;
use crate::error::{Error, Resource};
use crate::money::Money;
use crate::settings::Settings;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, ClientId, ContractId, CreditNoteId, InvoiceId, OfferId};

const INVOICE: &str = "inv_01JD0000000000000000000000";
const NOTE: &str = "cn_01JD0000000000000000000000";

fn line() -> InvoiceLine {
    InvoiceLine {
        position: 1,
        contract_id: ContractId::from_stored("ctr_1"),
        service_identifier: None,
        description: "Offre A – février 2026 (prorata)".into(),
        offer_id: OfferId::from_stored("ofr_1"),
        start_date: date!(2026 - 02 - 15),
        end_date: date!(2026 - 02 - 28),
        days: 14,
        monthly_price: Money::from_stored(9_900),
        amount_excl_tax: Money::from_stored(4_950),
        tax_rate_bp: 2000,
        tax_amount: Money::from_stored(990),
        amount_incl_tax: Money::from_stored(5_940),
        usage: None,
    }
}

/// Issued for February, and paid since.
fn invoice() -> Invoice {
    Invoice {
        id: InvoiceId::from_stored(INVOICE),
        invoice_number: "FAC-2026-000001".into(),
        billing_run_id: BillingRunId::from_stored("run_1"),
        client_id: ClientId::from_stored("cli_1"),
        contract_id: ContractId::from_stored("ctr_1"),
        invoicing: crate::clients::Invoicing::PerContract,
        offer_id: OfferId::from_stored("ofr_1"),
        service_type: crate::service_type::ServiceType::Mobile,
        buyer: crate::testing::buyer(),
        service_identifier: "+212612345678".into(),
        seller_id: crate::parties::SellerIdentityId::from_stored(1),
        period: Period::parse("2026-02").expect("period"),
        issue_date: date!(2026 - 03 - 01),
        due_date: date!(2026 - 03 - 16),
        status: InvoiceStatus::Paid,
        lines: vec![line()],
        total_excl_tax: Money::from_stored(4_950),
        total_tax: Money::from_stored(990),
        total_incl_tax: Money::from_stored(5_940),
        amount_paid: Money::from_stored(5_940),
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: datetime!(2026-03-01 00:00 UTC),
        updated_at: datetime!(2026-03-05 00:00 UTC),
    }
}

/// The identity the invoice was issued under, unlike today's settings.
fn issued_seller() -> SellerIdentity {
    SellerIdentity {
        tp: "25000001".into(),
        ..Settings::default().seller
    }
}

fn parties() -> InvoiceParties {
    InvoiceParties {
        seller: issued_seller(),
        contract_number: "CTR-2026-000001".into(),
        replaces: None,
    }
}

/// A unit of work holding `invoice()` and its parties; no document storage expected.
fn holding_invoice() -> MockUnitOfWork {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice())));
    uow.invoices
        .expect_parties()
        .returning(|_| Ok(Some(parties())));
    uow
}

fn ports_with(uow: MockUnitOfWork, ubl: MockUblRenderer) -> crate::ports::Ports {
    let mut ports = ports(
        MockTransactions::new(uow),
        fixed_clock(datetime!(2026-03-10 09:00 UTC)),
    );
    ports.ubl = Arc::new(ubl);
    ports
}

#[test]
fn an_invoices_ubl_is_rendered_from_its_stored_facts_and_issue_parties() {
    let mut ubl = MockUblRenderer::new();
    ubl.expect_invoice()
        .withf(|doc| {
            doc.invoice_number == "FAC-2026-000001"
                && doc.seller == issued_seller()
                && doc.period_start == date!(2026 - 02 - 01)
                && doc.period_end == date!(2026 - 02 - 28)
                && doc.lines.len() == 1
                && doc.lines[0].monthly_price == 9_900
                && doc.lines[0].days == 14
                && doc.total_incl_tax == 5_940
                && doc.cin == "AB123456"
        })
        .times(1)
        .returning(|_| Ok(b"<Invoice/>".to_vec()));
    // No find_document or insert_document expectation: nothing is stored.
    let service = InvoiceService::new(&ports_with(holding_invoice(), ubl));
    assert_eq!(
        service.ubl(&InvoiceId::from_stored(INVOICE)).unwrap(),
        b"<Invoice/>"
    );
}

#[test]
fn the_ubl_of_an_unknown_invoice_is_not_found_and_renders_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices.expect_find().returning(|_| Ok(None));
    let service = InvoiceService::new(&ports_with(uow, MockUblRenderer::new()));
    assert!(matches!(
        service.ubl(&InvoiceId::from_stored(INVOICE)),
        Err(Error::NotFound(Resource::Invoice))
    ));
}

#[test]
fn a_renderer_failure_is_the_answer() {
    let mut ubl = MockUblRenderer::new();
    ubl.expect_invoice()
        .returning(|_| Err(Error::Rendering("broken".into())));
    let service = InvoiceService::new(&ports_with(holding_invoice(), ubl));
    assert!(matches!(
        service.ubl(&InvoiceId::from_stored(INVOICE)),
        Err(Error::Rendering(_))
    ));
}

fn note() -> CreditNote {
    CreditNote {
        id: CreditNoteId::from_stored(NOTE),
        credit_note_number: "AV-2026-000001".into(),
        invoice_id: InvoiceId::from_stored(INVOICE),
        client_id: ClientId::from_stored("cli_1"),
        issue_date: date!(2026 - 03 - 10),
        reason: "Geste".into(),
        lines: vec![CreditNoteLine {
            position: 1,
            description: line().description,
            amount_excl_tax: Money::from_stored(1_000),
            tax_rate_bp: 2000,
            tax_amount: Money::from_stored(200),
            amount_incl_tax: Money::from_stored(1_200),
        }],
        total_excl_tax: Money::from_stored(1_000),
        total_tax: Money::from_stored(200),
        total_incl_tax: Money::from_stored(1_200),
        applied_to_invoice: Money::ZERO,
        credited_to_balance: Money::from_stored(1_200),
        credit_remaining: Money::from_stored(1_200),
        currency: "MAD".into(),
        actor_id: "act_1".into(),
        created_at: datetime!(2026-03-10 09:00 UTC),
    }
}

#[test]
fn a_credit_notes_ubl_names_the_invoice_it_corrects_with_its_issue_parties() {
    let mut uow = holding_invoice();
    uow.credit_notes
        .expect_find()
        .returning(|_| Ok(Some(note())));
    let mut ubl = MockUblRenderer::new();
    ubl.expect_credit_note()
        .withf(|doc| {
            doc.credit_note_number == "AV-2026-000001"
                && doc.invoice_number == "FAC-2026-000001"
                && doc.invoice_issue_date == date!(2026 - 03 - 01)
                && doc.invoice_period_start == date!(2026 - 02 - 01)
                && doc.invoice_period_end == date!(2026 - 02 - 28)
                && doc.seller == issued_seller()
                && doc.credited_to_balance == 1_200
        })
        .times(1)
        .returning(|_| Ok(b"<CreditNote/>".to_vec()));
    let service = CreditNoteService::new(&ports_with(uow, ubl));
    assert_eq!(
        service.ubl(&CreditNoteId::from_stored(NOTE)).unwrap(),
        b"<CreditNote/>"
    );
}

#[test]
fn the_ubl_of_an_unknown_credit_note_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.credit_notes.expect_find().returning(|_| Ok(None));
    let service = CreditNoteService::new(&ports_with(uow, MockUblRenderer::new()));
    assert!(matches!(
        service.ubl(&CreditNoteId::from_stored(NOTE)),
        Err(Error::NotFound(Resource::CreditNote))
    ));
}
