//! Unit tests of `InvoiceService` against mocked ports: documents produced once, tokens
//! checked before any read.

use std::sync::Arc;

use time::macros::{date, datetime};

use super::*;
use crate::billing::Period;
use crate::billing::{InvoiceParties, InvoiceStatus};
use crate::documents::{MockDocumentRenderer, SellerIdentity};
use crate::error::Error;
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::testing::{fetched, fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::tokens::MockTokenService;
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId};

const ID: &str = "inv_01JD0000000000000000000000";

fn invoice() -> Invoice {
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
        status: InvoiceStatus::Issued,
        lines: Vec::new(),
        total_excl_tax: Money::from_stored(9_900),
        total_tax: Money::from_stored(1_980),
        total_incl_tax: Money::from_stored(11_880),
        amount_paid: Money::from_stored(0),
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: datetime!(2026-03-01 00:00 UTC),
        updated_at: datetime!(2026-03-01 00:00 UTC),
    }
}

fn service(
    uow: MockUnitOfWork,
    renderer: MockDocumentRenderer,
    tokens: MockTokenService,
) -> InvoiceService {
    let tx = MockTransactions::new(uow);
    let mut ports = ports(tx, fixed_clock(datetime!(2026-03-10 09:00 UTC)));
    ports.renderer = Arc::new(renderer);
    ports.tokens = Arc::new(tokens);
    InvoiceService::new(&ports)
}

/// The seller identity an invoice was issued under, unlike today's settings.
fn stored_seller() -> SellerIdentity {
    SellerIdentity {
        name: "Ancien Nom SA".into(),
        ..Settings::default().seller
    }
}

#[test]
fn the_legacy_invoices_take_the_seller_identity_of_the_settings() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_adopt_pending_seller()
        .withf(|seller| *seller == Settings::default().seller)
        .times(1)
        .returning(|_| Ok(true));
    let service = service(uow, MockDocumentRenderer::new(), MockTokenService::new());
    assert!(service.adopt_legacy_seller().unwrap());
}

#[test]
fn a_stored_document_is_served_without_rendering_again() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice())));
    uow.invoices
        .expect_find_document()
        .returning(|_| Ok(Some(b"%PDF-stored".to_vec())));
    // No renderer expectation: rendering would fail the test.
    let service = service(uow, MockDocumentRenderer::new(), MockTokenService::new());
    assert_eq!(
        service.pdf(&InvoiceId::from_stored(ID)).unwrap(),
        b"%PDF-stored"
    );
}

#[test]
fn the_first_download_renders_stores_and_answers_the_stored_copy() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice())));
    let mut reads = 0;
    uow.invoices
        .expect_find_document()
        .times(2)
        .returning(move |_| {
            reads += 1;
            // The second read finds the copy stored (by us, or by a concurrent first download).
            Ok((reads == 2).then(|| b"%PDF-winner".to_vec()))
        });
    uow.invoices.expect_parties().returning(|_| {
        Ok(Some(InvoiceParties {
            seller: stored_seller(),
            contract_number: "CTR-2026-000001".into(),
            replaces: None,
        }))
    });
    uow.invoices
        .expect_insert_document()
        .withf(|id, pdf, _| id == ID && pdf == b"%PDF-mine")
        .times(1)
        .returning(|_, _, _| Ok(()));
    let mut renderer = MockDocumentRenderer::new();
    renderer
        .expect_invoice()
        .withf(|doc| {
            // Seller, buyer and line as fixed at issue, not as the settings or the client
            // are now (decision 0200).
            doc.invoice_number == "FAC-2026-000001"
                && doc.outstanding == 11_880
                && doc.seller == stored_seller()
                && doc.client_name == "Hajar Benkirane"
                && doc.cin == "AB123456"
                && doc.client_address.as_deref() == Some("12 rue Talaa, Fès")
                && doc.service_identifier == "+212612345678"
        })
        .times(1)
        .returning(|_| Ok(b"%PDF-mine".to_vec()));
    let service = service(uow, renderer, MockTokenService::new());
    assert_eq!(
        service.pdf(&InvoiceId::from_stored(ID)).unwrap(),
        b"%PDF-winner"
    );
}

#[test]
fn self_service_checks_the_token_before_reading_anything() {
    // No storage expectation: any read fails the test.
    let mut tokens = MockTokenService::new();
    tokens
        .expect_verify()
        .returning(|_, _, _, _| Err(Error::Forbidden));
    let service = service(
        MockUnitOfWork::default(),
        MockDocumentRenderer::new(),
        tokens,
    );
    assert!(matches!(
        service.for_client("AB123456", None, &PageRequest::first()),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        service.for_client("AB123456", Some("forged"), &PageRequest::first()),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        service.client_document(&InvoiceId::from_stored(ID), None),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        service.client_document(&InvoiceId::from_stored(ID), Some("forged")),
        Err(Error::Forbidden)
    ));
}

#[test]
fn invoices_are_listed_page_by_page_the_extra_row_giving_the_next_cursor() {
    let invoices: Vec<Invoice> = ["inv_01", "inv_02", "inv_03"]
        .iter()
        .map(|id| Invoice {
            id: InvoiceId::from_stored(*id),
            ..invoice()
        })
        .collect();
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_list()
        .withf(|filter, _| filter.client_id.as_ref().map(ClientId::as_str) == Some("cli_1"))
        .times(2)
        .returning(move |_, page| Ok(fetched(&invoices, page, |i| i.id.as_str())));
    let service = service(uow, MockDocumentRenderer::new(), MockTokenService::new());
    let filter = InvoiceFilter::of_client(ClientId::from_stored("cli_1"), date!(2026 - 03 - 10));
    let ids = |page: &Page<Invoice>| {
        page.items
            .iter()
            .map(|i| i.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };

    let first = service
        .list(&filter, &PageRequest::new(2, None).unwrap())
        .unwrap();
    assert_eq!(ids(&first), ["inv_01", "inv_02"]);
    assert_eq!(first.next_cursor.as_deref(), Some("inv_02"));

    let last = service
        .list(&filter, &PageRequest::new(2, first.next_cursor).unwrap())
        .unwrap();
    assert_eq!(ids(&last), ["inv_03"]);
    assert_eq!(last.next_cursor, None);
}

/// The landing list links only to documents it may serve: with e-invoicing on, a token is
/// issued for a cleared invoice and one issued before clearance existed, never for one
/// pending or rejected (whose download would answer `document_not_cleared`).
#[test]
fn the_landing_list_issues_no_token_for_an_invoice_not_cleared() {
    use crate::clients::{Cin, Client, ClientStatus, Identity, Person};
    use crate::einvoicing::{Clearance, ClearanceStatus, ClearedDocument};
    let ids = ["inv_a", "inv_b", "inv_c", "inv_d"];
    let statuses = [
        Some(ClearanceStatus::Cleared),
        Some(ClearanceStatus::Pending),
        Some(ClearanceStatus::Rejected),
        None,
    ];
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find_by_cin().returning(|_| {
        Ok(Some(Client {
            id: ClientId::from_stored("cli_1"),
            identity: Identity::Person(Person {
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
            created_at: datetime!(2026-01-01 00:00 UTC),
            updated_at: datetime!(2026-01-01 00:00 UTC),
        }))
    });
    uow.invoices
        .expect_recent_for_client()
        .returning(move |_, _| {
            Ok(ids
                .iter()
                .map(|id| {
                    (
                        Invoice {
                            id: InvoiceId::from_stored(*id),
                            ..invoice()
                        },
                        "+212612345678".to_owned(),
                    )
                })
                .collect())
        });
    uow.clearances
        .expect_find_many()
        .withf(move |asked| asked.iter().map(String::as_str).eq(ids))
        .times(1)
        .returning(move |_| {
            Ok(ids
                .iter()
                .zip(statuses)
                .filter_map(|(id, status)| {
                    status.map(|status| Clearance {
                        document: ClearedDocument::Invoice(InvoiceId::from_stored(*id)),
                        number: "FAC".into(),
                        status,
                        reference: None,
                        cleared_at: None,
                        verification_code: None,
                        reasons: Vec::new(),
                        attempts: 1,
                        last_error: None,
                        next_attempt_at: None,
                    })
                })
                .collect())
        });
    let mut tokens = MockTokenService::new();
    tokens.expect_verify().returning(|_, _, _, _| Ok(()));
    tokens
        .expect_issue()
        .withf(|purpose, id, _| {
            *purpose == TokenPurpose::InvoiceDocument && (id == "inv_a" || id == "inv_d")
        })
        .times(2)
        .returning(|_, id, _| format!("token-{id}"));
    let tx = MockTransactions::new(uow);
    let mut ports = ports(tx, fixed_clock(datetime!(2026-03-10 09:00 UTC)));
    ports.tokens = Arc::new(tokens);
    ports.settings = Arc::new(Settings {
        einvoicing: true,
        ..Settings::default()
    });
    let page = InvoiceService::new(&ports)
        .for_client("AB123456", Some("lookup"), &PageRequest::first())
        .unwrap();
    let tokens: Vec<Option<&str>> = page
        .items
        .iter()
        .map(|i| i.document_token.as_deref())
        .collect();
    assert_eq!(
        tokens,
        [Some("token-inv_a"), None, None, Some("token-inv_d")]
    );
    let clearances: Vec<_> = page.items.iter().map(|i| i.clearance).collect();
    assert_eq!(clearances, statuses);
}
