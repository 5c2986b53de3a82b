//! `ArchiveRepository` against PostgreSQL: the head lock skips a held series, entries append
//! and read back by date and position, the sequence reads, and corrupt stored hashes are
//! storage faults.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::archive::{ArchiveEntry, ArchiveRepository, ChainHead, DocumentRef, Series};
use time::macros::date;

use super::test_support::{assert_storage, at, begin, end, impatient, seeded};
use crate::tx::PgTx;

fn entry(position: i64, document_id: &str, number: &str) -> ArchiveEntry {
    ArchiveEntry {
        document: DocumentRef {
            series: Series::Invoices,
            document_id: document_id.into(),
            version: 1,
            number: number.into(),
        },
        position,
        issued_on: date!(2026 - 03 - 01),
        pdf_sha256: [1; 32],
        ubl_sha256: Some([2; 32]),
        chain_sha256: [u8::try_from(position).unwrap(); 32],
        sealed_at: at(),
    }
}

fn head(position: i64, last: &str) -> ChainHead {
    ChainHead {
        series: Series::Invoices,
        position,
        last_number: Some(last.into()),
        chain: Some([u8::try_from(position).unwrap(); 32]),
    }
}

#[test]
fn every_series_starts_empty_and_appends_move_its_head() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    for series in Series::ALL {
        let start = tx.lock_head(series).unwrap().unwrap();
        assert_eq!(
            (start.position, start.last_number, start.chain),
            (0, None, None)
        );
    }
    let entries = vec![entry(1, "inv_1", "FAC-1"), entry(2, "inv_2", "FAC-2")];
    tx.append(&head(2, "FAC-2"), &entries).unwrap();
    assert_eq!(
        tx.lock_head(Series::Invoices).unwrap().unwrap(),
        head(2, "FAC-2")
    );
    let march = tx
        .entries(
            Series::Invoices,
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 31),
            0,
            10,
        )
        .unwrap();
    assert_eq!(march, entries);
    let after_first = tx
        .entries(
            Series::Invoices,
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 31),
            1,
            10,
        )
        .unwrap();
    assert_eq!(after_first, entries[1..]);
    assert!(tx
        .entries(
            Series::Invoices,
            date!(2026 - 04 - 01),
            date!(2026 - 04 - 30),
            0,
            10
        )
        .unwrap()
        .is_empty());
    assert_eq!(
        tx.entry_at(Series::Invoices, 2).unwrap(),
        Some(entries[1].clone())
    );
    assert_eq!(tx.entry_at(Series::CreditNotes, 2).unwrap(), None);
}

#[test]
fn a_document_is_sealed_once_per_series() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.append(&head(1, "FAC-1"), &[entry(1, "inv_1", "FAC-1")])
        .unwrap();
    assert_storage(tx.append(&head(2, "FAC-1"), &[entry(2, "inv_1", "FAC-1")]));
}

#[test]
fn a_head_another_transaction_holds_is_skipped_not_waited_for() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    assert!(PgTx::new(&mut conn)
        .lock_head(Series::Invoices)
        .unwrap()
        .is_some());
    let mut other = impatient(&db);
    let mut tx = PgTx::new(&mut other);
    assert_eq!(tx.lock_head(Series::Invoices).unwrap(), None);
    assert!(tx.lock_head(Series::CreditNotes).unwrap().is_some());
    end(&mut conn);
}

#[test]
fn numbered_documents_and_sequences_are_found() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "INSERT INTO number_sequences (name, year, last_value) VALUES ('FAC', 2026, 2), \
         ('FAC', 2028, 1)",
    )
    .unwrap();
    let mut tx = PgTx::new(&mut conn);
    let mut found = tx
        .numbered(
            Series::Invoices,
            &["FAC-2".into(), "FAC-1".into(), "FAC-9".into()],
        )
        .unwrap();
    found.sort_by(|a, b| a.document.number.cmp(&b.document.number));
    let ids: Vec<&str> = found
        .iter()
        .map(|d| d.document.document_id.as_str())
        .collect();
    assert_eq!(ids, ["inv_1", "inv_2"]);
    assert_eq!(found[1].issued_on, date!(2026 - 03 - 01));
    assert!(tx
        .numbered(Series::CreditNotes, &["FAC-1".into()])
        .unwrap()
        .is_empty());
    assert_storage(tx.numbered(Series::ContractDocuments, &[]));
    assert_eq!(tx.sequence_value("FAC", 2026).unwrap(), Some(2));
    assert_eq!(tx.sequence_value("FAC", 2027).unwrap(), None);
    assert_eq!(tx.next_sequence_year("FAC", None).unwrap(), Some(2026));
    assert_eq!(
        tx.next_sequence_year("FAC", Some(2026)).unwrap(),
        Some(2028)
    );
    assert_eq!(tx.next_sequence_year("FAC", Some(2028)).unwrap(), None);
    assert_eq!(tx.next_sequence_year("AV", None).unwrap(), None);
}

#[test]
fn current_numbers_follow_the_documents() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let invoice = entry(1, "inv_1", "FAC-1").document;
    assert_eq!(tx.current_number(&invoice).unwrap(), Some("FAC-1".into()));
    let gone = DocumentRef {
        document_id: "inv_404".into(),
        ..invoice
    };
    assert_eq!(tx.current_number(&gone).unwrap(), None);
    let contract = DocumentRef {
        series: Series::ContractDocuments,
        document_id: "ctr_1".into(),
        version: 1,
        number: String::new(),
    };
    // The seeded contract has no stored document: the document is gone, not its contract.
    assert_eq!(tx.current_number(&contract).unwrap(), None);
    assert_eq!(tx.contract_document_pdf("ctr_1", 1).unwrap(), None);
    assert!(tx.unsealed_contract_documents(10).unwrap().is_empty());
}

#[test]
fn a_stored_hash_of_the_wrong_length_is_a_storage_fault() {
    let (_db, mut conn) = seeded();
    PgTx::new(&mut conn)
        .append(&head(1, "FAC-1"), &[entry(1, "inv_1", "FAC-1")])
        .unwrap();
    // The column check refuses a short hash; only a database edited around it holds one.
    conn.batch_execute(
        "ALTER TABLE archive_entries DROP CONSTRAINT archive_entries_pdf_sha256_check; \
         UPDATE archive_entries SET pdf_sha256 = '\\x01'::bytea",
    )
    .unwrap();
    let mut tx = PgTx::new(&mut conn);
    assert_storage(tx.entry_at(Series::Invoices, 1));
    assert_storage(tx.entries(
        Series::Invoices,
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 01),
        0,
        5,
    ));
}
