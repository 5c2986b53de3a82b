//! Unit tests of the clearance against mocked ports: the offering rule, and the worker's
//! submission and recording of each verdict through the `TaxAuthority` port.

use std::sync::Arc;
use std::time::Duration;

use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::*;
use crate::billing::{Invoice, InvoiceParties, InvoiceStatus, Period};
use crate::documents::{ClearanceStamp, MockDocumentRenderer};
use crate::error::{Conflict, Error};
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::settings::Settings;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId};

const ID: &str = "inv_01JD0000000000000000000000";
const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

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
        amount_paid: Money::ZERO,
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: Vec::new(),
        currency: "MAD".into(),
        created_at: datetime!(2026-03-01 00:00 UTC),
        updated_at: datetime!(2026-03-01 00:00 UTC),
    }
}

fn clearance(status: ClearanceStatus) -> Clearance {
    let cleared = status == ClearanceStatus::Cleared;
    Clearance {
        document: ClearedDocument::Invoice(InvoiceId::from_stored(ID)),
        number: "FAC-2026-000001".into(),
        status,
        reference: cleared.then(|| "DGI-1".into()),
        cleared_at: cleared.then_some(NOW),
        verification_code: cleared.then(|| "V1".into()),
        reasons: Vec::new(),
        attempts: 1,
        last_error: None,
        next_attempt_at: None,
    }
}

fn on() -> Settings {
    Settings {
        einvoicing: true,
        ..Settings::default()
    }
}

fn claimed(attempt: i32) -> ClaimedClearance {
    ClaimedClearance {
        document: ClearedDocument::Invoice(InvoiceId::from_stored(ID)),
        number: "FAC-2026-000001".into(),
        attempt,
    }
}

#[test]
fn with_e_invoicing_off_nothing_is_read_and_every_document_is_offered() {
    // No expectation on the clearances: a read would fail the test.
    let mut uow = MockUnitOfWork::default();
    assert_eq!(
        ensure_cleared(&mut uow, &Settings::default(), ID).unwrap(),
        None
    );
}

#[test]
fn a_document_waiting_or_rejected_is_not_offered() {
    for status in [
        ClearanceStatus::Pending,
        ClearanceStatus::Submitted,
        ClearanceStatus::Rejected,
    ] {
        let mut uow = MockUnitOfWork::default();
        uow.clearances
            .expect_find()
            .returning(move |_| Ok(Some(clearance(status))));
        assert!(matches!(
            ensure_cleared(&mut uow, &on(), ID),
            Err(Error::Conflict(Conflict::DocumentNotCleared { status: s })) if s == status.as_str()
        ));
    }
}

#[test]
fn a_cleared_document_is_offered_with_its_stamp_and_one_without_clearance_as_before() {
    let mut uow = MockUnitOfWork::default();
    uow.clearances
        .expect_find()
        .returning(|_| Ok(Some(clearance(ClearanceStatus::Cleared))));
    assert_eq!(
        ensure_cleared(&mut uow, &on(), ID).unwrap(),
        Some(ClearanceStamp {
            reference: "DGI-1".into(),
            verification_code: "V1".into(),
            cleared_at: NOW,
        })
    );
    let mut legacy = MockUnitOfWork::default();
    legacy.clearances.expect_find().returning(|_| Ok(None));
    assert_eq!(ensure_cleared(&mut legacy, &on(), ID).unwrap(), None);
}

#[test]
fn the_archive_seals_a_document_once_its_clearance_is_final() {
    let mut off = MockUnitOfWork::default();
    assert_eq!(
        seal_when(&mut off, &Settings::default(), ID).unwrap(),
        SealWhen::Now(None)
    );
    let expected = [
        (ClearanceStatus::Pending, SealWhen::Wait),
        (ClearanceStatus::Submitted, SealWhen::Wait),
        (ClearanceStatus::Rejected, SealWhen::Now(None)),
        (
            ClearanceStatus::Cleared,
            SealWhen::Now(Some(ClearanceStamp {
                reference: "DGI-1".into(),
                verification_code: "V1".into(),
                cleared_at: NOW,
            })),
        ),
    ];
    for (status, when) in expected {
        let mut uow = MockUnitOfWork::default();
        uow.clearances
            .expect_find()
            .returning(move |_| Ok(Some(clearance(status))));
        assert_eq!(seal_when(&mut uow, &on(), ID).unwrap(), when, "{status:?}");
    }
    let mut legacy = MockUnitOfWork::default();
    legacy.clearances.expect_find().returning(|_| Ok(None));
    assert_eq!(
        seal_when(&mut legacy, &on(), ID).unwrap(),
        SealWhen::Now(None)
    );
}

#[test]
fn the_pdf_of_a_pending_invoice_is_refused_before_anything_is_rendered() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice())));
    uow.clearances
        .expect_find()
        .returning(|_| Ok(Some(clearance(ClearanceStatus::Pending))));
    // No document read, no renderer expectation: rendering would fail the test.
    let tx = MockTransactions::new(uow);
    let mut ports = ports(tx, fixed_clock(NOW));
    ports.settings = Arc::new(on());
    ports.renderer = Arc::new(MockDocumentRenderer::new());
    let service = crate::billing::InvoiceService::new(&ports);
    assert!(matches!(
        service.pdf(&InvoiceId::from_stored(ID)),
        Err(Error::Conflict(Conflict::DocumentNotCleared { .. }))
    ));
}

/// A worker over a unit of work that holds the invoice and expects `recorded`, after which
/// the invoice's clearance reads `after` (`None`: never read); and its transactions.
fn worker(
    authority: MockTaxAuthority,
    expect_record: impl Fn(&ClearanceOutcome) -> bool + Send + 'static,
    after: Option<ClearanceStatus>,
) -> (ClearanceWorker, Arc<MockTransactions>) {
    let mut uow = MockUnitOfWork::default();
    match after {
        Some(status) => {
            uow.clearances
                .expect_find()
                .withf(|id| id == ID)
                .times(1)
                .returning(move |_| Ok(Some(clearance(status))));
        }
        None => {
            uow.clearances.expect_find().never();
        }
    }
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice())));
    uow.invoices.expect_parties().returning(|_| {
        Ok(Some(InvoiceParties {
            seller: Settings::default().seller,
            contract_number: "CTR-2026-000001".into(),
            replaces: None,
        }))
    });
    uow.clearances
        .expect_claim_due()
        .withf(|now, lease_until, limit| {
            *now == NOW && *lease_until == NOW + Duration::from_secs(120) && *limit == 32
        })
        .times(1)
        .returning(|_, _, _| Ok(vec![claimed(3)]));
    uow.clearances
        .expect_record()
        .withf(move |c, outcome, now| c.attempt == 3 && *now == NOW && expect_record(outcome))
        .times(1)
        .returning(|_, _, _| Ok(true));
    let mut ubl = MockUblRenderer::new();
    ubl.expect_invoice()
        .withf(|doc| doc.invoice_number == "FAC-2026-000001")
        .returning(|_| Ok(b"<Invoice/>".to_vec()));
    let tx = MockTransactions::new(uow);
    let worker = ClearanceWorker::new(
        (
            tx.clone(),
            Arc::new(fixed_clock(NOW)),
            Arc::new(crate::testing::SequentialIds::default()),
        ),
        Arc::new(authority),
        Arc::new(ubl),
        ClearanceSettings::default(),
    );
    (worker, tx)
}

#[test]
fn the_worker_submits_the_ubl_with_its_facts_and_records_the_clearance() {
    let mut authority = MockTaxAuthority::new();
    authority
        .expect_submit()
        .withf(|s| {
            s.kind == DocumentKind::Invoice
                && s.document_id == ID
                && s.number == "FAC-2026-000001"
                && s.total_incl_tax == 11_880
                && s.seller_ice == Settings::default().seller.ice
                && s.ubl == b"<Invoice/>"
        })
        .times(1)
        .returning(|_| Verdict::Cleared {
            reference: "DGI-7".into(),
            cleared_at: NOW,
            verification_code: "V7".into(),
        });
    let (worker, tx) = worker(
        authority,
        |outcome| {
            *outcome
                == ClearanceOutcome::Cleared {
                    reference: "DGI-7".into(),
                    cleared_at: NOW,
                    verification_code: "V7".into(),
                }
        },
        Some(ClearanceStatus::Cleared),
    );
    assert_eq!(worker.run_round().unwrap(), 1);
    // Told in the transaction that recorded the verdict, with the clearance read back.
    let events = tx.recorded_events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor_id, None);
    match &events[0].payload {
        crate::events::EventPayload::InvoiceCleared(of) => {
            assert_eq!(of.invoice.id.as_str(), ID);
            assert_eq!(of.clearance, Some(clearance(ClearanceStatus::Cleared)));
        }
        other => panic!("expected invoice.cleared, got {other:?}"),
    }
}

#[test]
fn a_rejection_is_recorded_with_its_reasons() {
    let mut authority = MockTaxAuthority::new();
    authority.expect_submit().returning(|_| Verdict::Rejected {
        reasons: vec!["ICE inconnu".into()],
    });
    let (worker, tx) = worker(
        authority,
        |outcome| {
            *outcome
                == ClearanceOutcome::Rejected {
                    reasons: vec!["ICE inconnu".into()],
                }
        },
        Some(ClearanceStatus::Rejected),
    );
    assert_eq!(worker.run_round().unwrap(), 1);
    assert_eq!(
        tx.recorded_types(),
        [crate::events::EventType::InvoiceRejected]
    );
}

#[test]
fn an_unavailable_authority_puts_the_document_back_after_the_backoff_of_its_attempt() {
    let mut authority = MockTaxAuthority::new();
    authority
        .expect_submit()
        .returning(|_| Verdict::Unavailable {
            error: "timed out".into(),
        });
    // Third attempt: 30 s doubled twice.
    let (worker, tx) = worker(
        authority,
        |outcome| {
            *outcome
                == ClearanceOutcome::Retry {
                    error: "timed out".into(),
                    retry_at: NOW + Duration::from_secs(120),
                }
        },
        None,
    );
    assert_eq!(worker.run_round().unwrap(), 1);
    assert!(tx.recorded_events().is_empty(), "no verdict, nothing told");
}

#[test]
fn a_document_that_cannot_be_rendered_is_retried_and_never_submitted() {
    let mut uow = MockUnitOfWork::default();
    uow.invoices
        .expect_find()
        .returning(|_| Ok(Some(invoice())));
    uow.invoices.expect_parties().returning(|_| {
        Ok(Some(InvoiceParties {
            seller: Settings::default().seller,
            contract_number: "CTR-2026-000001".into(),
            replaces: None,
        }))
    });
    uow.clearances
        .expect_record()
        .withf(|_, outcome, _| {
            matches!(outcome, ClearanceOutcome::Retry { error, .. } if error.contains("could not be prepared"))
        })
        .times(1)
        .returning(|_, _, _| Ok(true));
    let mut ubl = MockUblRenderer::new();
    ubl.expect_invoice()
        .returning(|_| Err(Error::Rendering("broken".into())));
    // No submit expectation: a submission would fail the test.
    let worker = ClearanceWorker::new(
        (
            MockTransactions::new(uow),
            Arc::new(fixed_clock(NOW)),
            Arc::new(crate::testing::SequentialIds::default()),
        ),
        Arc::new(MockTaxAuthority::new()),
        Arc::new(ubl),
        ClearanceSettings::default(),
    );
    assert!(worker.submit(&claimed(1)).unwrap());
}
