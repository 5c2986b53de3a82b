//! The sealer and the verification against mocked ports: the series lock, the strict number
//! order (waiting for a number not committed yet, moving to the next year only once a year
//! is complete), the links appended, and the first break found.

use std::sync::Arc;

use mockall::predicate::{always, eq};
use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::*;
use crate::exports::DateRange;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn service(uow: MockUnitOfWork) -> (ArchiveService, Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(NOW));
    (ArchiveService::new(&ports), tx)
}

fn head(series: Series, position: i64, last: Option<&str>, chain: Option<Digest>) -> ChainHead {
    ChainHead {
        series,
        position,
        last_number: last.map(str::to_owned),
        chain,
    }
}

fn numbers(year: i32, values: std::ops::RangeInclusive<i64>) -> Vec<String> {
    values.map(|v| format!("FAC-{year}-{v:06}")).collect()
}

fn contract_document(contract: &str, version: i32) -> PendingDocument {
    PendingDocument {
        document: DocumentRef {
            series: Series::ContractDocuments,
            document_id: contract.into(),
            version,
            number: format!("CTR-2026-{}", &contract[4..]),
        },
        issued_on: date!(2026 - 03 - 10),
    }
}

#[test]
fn a_series_another_sealer_holds_is_skipped() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_billing_run_in_progress()
        .returning(|| Ok(false));
    uow.archive.expect_lock_head().returning(|_| Ok(None));
    // No other call: nothing is read, rendered or appended.
    let (service, tx) = service(uow);
    assert_eq!(service.seal(10).unwrap(), 0);
    assert_eq!(
        tx.commit_count(),
        6,
        "a check, then one transaction, per series"
    );
}

/// The sealer yields to billing (decision 0325): while a run is in progress, a pass locks
/// no head, reads and renders nothing.
#[test]
fn nothing_is_sealed_while_a_billing_run_is_in_progress() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_billing_run_in_progress()
        .times(1)
        .returning(|| Ok(true));
    uow.archive.expect_lock_head().never();
    let (service, _) = service(uow);
    assert_eq!(service.seal(10).unwrap(), 0);
}

#[test]
fn the_next_numbers_after_the_head_are_asked_for() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_lock_head()
        .with(eq(Series::Invoices))
        .returning(|s| Ok(Some(head(s, 4, Some("FAC-2026-000004"), Some([4; 32])))));
    uow.archive
        .expect_numbered()
        .with(eq(Series::Invoices), eq(numbers(2026, 5..=7)))
        .times(1)
        .returning(|_, _| Ok(Vec::new()));
    // Number 5 is reserved (its transaction runs): wait, do not skip to the next year.
    uow.archive
        .expect_sequence_value()
        .with(eq("FAC"), eq(2026))
        .returning(|_, _| Ok(Some(5)));
    uow.archive.expect_next_sequence_year().never();
    let (service, _) = service(uow);
    assert_eq!(service.seal_series(Series::Invoices, 3).unwrap(), 0);
}

#[test]
fn a_complete_year_moves_on_to_the_next_years_first_number() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_lock_head()
        .returning(|s| Ok(Some(head(s, 9, Some("FAC-2026-000009"), Some([9; 32])))));
    uow.archive
        .expect_numbered()
        .with(eq(Series::Invoices), eq(numbers(2026, 10..=11)))
        .times(1)
        .returning(|_, _| Ok(Vec::new()));
    uow.archive
        .expect_sequence_value()
        .with(eq("FAC"), eq(2026))
        .returning(|_, _| Ok(Some(9)));
    uow.archive
        .expect_next_sequence_year()
        .with(eq("FAC"), eq(Some(2026)))
        .returning(|_, _| Ok(Some(2027)));
    uow.archive
        .expect_numbered()
        .with(eq(Series::Invoices), eq(numbers(2027, 1..=2)))
        .times(1)
        .returning(|_, _| Ok(Vec::new()));
    uow.archive
        .expect_sequence_value()
        .with(eq("FAC"), eq(2027))
        .returning(|_, _| Ok(Some(1)));
    let (service, _) = service(uow);
    assert_eq!(service.seal_series(Series::Invoices, 2).unwrap(), 0);
}

#[test]
fn an_empty_series_starts_at_the_first_year_used() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_lock_head()
        .returning(|s| Ok(Some(head(s, 0, None, None))));
    uow.archive
        .expect_next_sequence_year()
        .with(eq("FAC"), eq(None))
        .returning(|_, _| Ok(Some(2026)));
    uow.archive
        .expect_numbered()
        .with(eq(Series::Invoices), eq(numbers(2026, 1..=1)))
        .times(1)
        .returning(|_, _| Ok(Vec::new()));
    uow.archive
        .expect_sequence_value()
        .returning(|_, _| Ok(None));
    uow.archive
        .expect_next_sequence_year()
        .with(eq("FAC"), eq(Some(2026)))
        .returning(|_, _| Ok(None));
    let (service, _) = service(uow);
    assert_eq!(service.seal_series(Series::Invoices, 1).unwrap(), 0);
}

#[test]
fn sealed_documents_are_linked_to_the_head_and_appended_with_it() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_lock_head()
        .returning(|s| Ok(Some(head(s, 7, Some("CTR-2026-000003"), Some([7; 32])))));
    uow.archive
        .expect_unsealed_contract_documents()
        .with(eq(2))
        .returning(|_| {
            Ok(vec![
                contract_document("ctr_000004", 1),
                contract_document("ctr_000003", 2),
            ])
        });
    uow.archive
        .expect_contract_document_pdf()
        .returning(|id, version| Ok(Some(format!("%PDF {id} {version}").into_bytes())));
    let first_pdf = sha256(b"%PDF ctr_000004 1");
    let second_pdf = sha256(b"%PDF ctr_000003 2");
    let first = link(&[7; 32], &first_pdf, None, "CTR-2026-000004/1");
    let second = link(&first, &second_pdf, None, "CTR-2026-000003/2");
    uow.archive
        .expect_append()
        .withf(move |head, entries| {
            head.position == 9
                && head.chain == Some(second)
                && entries.len() == 2
                && entries[0].position == 8
                && entries[0].pdf_sha256 == first_pdf
                && entries[0].ubl_sha256.is_none()
                && entries[0].chain_sha256 == first
                && entries[1].position == 9
                && entries[1].chain_sha256 == second
                && entries[1].sealed_at == NOW
        })
        .times(1)
        .returning(|_, _| Ok(()));
    let (service, tx) = service(uow);
    assert_eq!(
        service.seal_series(Series::ContractDocuments, 2).unwrap(),
        2
    );
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn a_document_that_cannot_be_read_seals_nothing_of_the_batch() {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_lock_head()
        .returning(|s| Ok(Some(head(s, 0, None, None))));
    uow.archive
        .expect_unsealed_contract_documents()
        .returning(|_| Ok(vec![contract_document("ctr_000001", 1)]));
    uow.archive
        .expect_contract_document_pdf()
        .returning(|_, _| Ok(None));
    uow.archive.expect_append().never();
    let (service, tx) = service(uow);
    assert!(service.seal_series(Series::ContractDocuments, 5).is_err());
    assert_eq!(tx.rollback_count(), 1);
}

/// Two sealed contract documents, linked from the genesis, with these stored PDFs.
fn sealed_pair() -> Vec<ArchiveEntry> {
    let mut previous = GENESIS;
    (1..=2)
        .map(|position| {
            let pending = contract_document(&format!("ctr_00000{position}"), 1);
            let pdf_sha256 = sha256(format!("%PDF {position}").as_bytes());
            let chain_sha256 = link(&previous, &pdf_sha256, None, &pending.document.label());
            previous = chain_sha256;
            ArchiveEntry {
                document: pending.document,
                position,
                issued_on: pending.issued_on,
                pdf_sha256,
                ubl_sha256: None,
                chain_sha256,
                sealed_at: NOW,
            }
        })
        .collect()
}

fn verifying(entries: Vec<ArchiveEntry>, second_pdf: &'static str) -> ArchiveService {
    let mut uow = MockUnitOfWork::default();
    uow.archive
        .expect_entries()
        .with(
            eq(Series::ContractDocuments),
            always(),
            always(),
            eq(0),
            always(),
        )
        .returning(move |_, _, _, _, _| Ok(entries.clone()));
    uow.archive
        .expect_entries()
        .returning(|_, _, _, _, _| Ok(Vec::new()));
    uow.archive
        .expect_current_number()
        .returning(|d| Ok(Some(d.number.clone())));
    uow.archive
        .expect_contract_document_pdf()
        .returning(move |id, _| {
            Ok(Some(if id == "ctr_000002" {
                second_pdf.as_bytes().to_vec()
            } else {
                b"%PDF 1".to_vec()
            }))
        });
    service(uow).0
}

fn march() -> DateRange {
    DateRange::new(date!(2026 - 03 - 01), date!(2026 - 03 - 31)).unwrap()
}

#[test]
fn an_untouched_chain_verifies_intact() {
    let verification = verifying(sealed_pair(), "%PDF 2").verify(march()).unwrap();
    assert!(verification.intact());
    let contracts = &verification.chains[2];
    assert_eq!(contracts.series, Series::ContractDocuments);
    assert_eq!(contracts.checked, 2);
}

#[test]
fn a_changed_stored_pdf_is_reported_at_its_document() {
    let verification = verifying(sealed_pair(), "%PDF 2 altered")
        .verify(march())
        .unwrap();
    assert!(!verification.intact());
    let found = verification.chains[2].first_break.clone().unwrap();
    assert_eq!(found.document.document_id, "ctr_000002");
    assert_eq!(found.position, 2);
    assert_eq!(found.mismatch, Mismatch::PdfHash);
    assert_eq!(found.found, Some(hex(&sha256(b"%PDF 2 altered"))));
}

#[test]
fn a_link_that_does_not_follow_is_reported_at_its_document() {
    let mut entries = sealed_pair();
    entries[0].chain_sha256 = [0xAB; 32];
    let verification = verifying(entries, "%PDF 2").verify(march()).unwrap();
    let found = verification.chains[2].first_break.clone().unwrap();
    assert_eq!(found.document.document_id, "ctr_000001");
    assert_eq!(found.mismatch, Mismatch::ChainHash);
    assert_eq!(verification.chains[2].checked, 1);
}

#[test]
fn a_range_starting_mid_chain_anchors_on_the_entry_before() {
    let entries = sealed_pair();
    let anchor = entries[0].clone();
    let mut uow = MockUnitOfWork::default();
    let second = vec![entries[1].clone()];
    uow.archive
        .expect_entries()
        .with(
            eq(Series::ContractDocuments),
            always(),
            always(),
            eq(0),
            always(),
        )
        .returning(move |_, _, _, _, _| Ok(second.clone()));
    uow.archive
        .expect_entries()
        .returning(|_, _, _, _, _| Ok(Vec::new()));
    uow.archive
        .expect_entry_at()
        .with(eq(Series::ContractDocuments), eq(1))
        .returning(move |_, _| Ok(Some(anchor.clone())));
    uow.archive
        .expect_current_number()
        .returning(|d| Ok(Some(d.number.clone())));
    uow.archive
        .expect_contract_document_pdf()
        .returning(|_, _| Ok(Some(b"%PDF 2".to_vec())));
    let verification = service(uow).0.verify(march()).unwrap();
    assert!(verification.intact(), "{verification:?}");
    assert_eq!(verification.chains[2].checked, 1);
}

#[test]
fn a_lost_entry_before_the_range_is_a_break() {
    let entries = sealed_pair();
    let mut uow = MockUnitOfWork::default();
    let second = vec![entries[1].clone()];
    uow.archive
        .expect_entries()
        .with(
            eq(Series::ContractDocuments),
            always(),
            always(),
            eq(0),
            always(),
        )
        .returning(move |_, _, _, _, _| Ok(second.clone()));
    uow.archive
        .expect_entries()
        .returning(|_, _, _, _, _| Ok(Vec::new()));
    uow.archive.expect_entry_at().returning(|_, _| Ok(None));
    let verification = service(uow).0.verify(march()).unwrap();
    let found = verification.chains[2].first_break.clone().unwrap();
    assert_eq!(found.mismatch, Mismatch::MissingEntry);
    assert_eq!(found.position, 2);
}
