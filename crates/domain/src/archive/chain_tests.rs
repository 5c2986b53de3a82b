//! The chain rule and the number order, without storage.

use time::macros::date;

use super::chain::{link, sha256, GENESIS};
use super::entry::{DocumentRef, PendingDocument, Series};
use super::sealing::{in_order, parse_number};

fn digest(byte: u8) -> [u8; 32] {
    [byte; 32]
}

#[test]
fn a_link_is_the_hash_of_the_previous_link_the_document_hashes_and_the_label() {
    let expected = sha256(
        &[
            [0u8; 32].as_slice(),
            &digest(1),
            &digest(2),
            b"FAC-2026-000001",
        ]
        .concat(),
    );
    assert_eq!(
        link(&GENESIS, &digest(1), Some(&digest(2)), "FAC-2026-000001"),
        expected
    );
    let without_ubl = sha256(&[digest(7).as_slice(), &digest(1), b"CTR-2026-000001/2"].concat());
    assert_eq!(
        link(&digest(7), &digest(1), None, "CTR-2026-000001/2"),
        without_ubl
    );
}

#[test]
fn changing_any_input_changes_the_link() {
    let base = link(&digest(9), &digest(1), Some(&digest(2)), "FAC-2026-000001");
    for other in [
        link(&digest(8), &digest(1), Some(&digest(2)), "FAC-2026-000001"),
        link(&digest(9), &digest(3), Some(&digest(2)), "FAC-2026-000001"),
        link(&digest(9), &digest(1), Some(&digest(3)), "FAC-2026-000001"),
        link(&digest(9), &digest(1), None, "FAC-2026-000001"),
        link(&digest(9), &digest(1), Some(&digest(2)), "FAC-2026-000002"),
    ] {
        assert_ne!(base, other);
    }
    assert_eq!(
        base,
        link(&digest(9), &digest(1), Some(&digest(2)), "FAC-2026-000001")
    );
}

#[test]
fn sha256_is_the_standard_digest() {
    // FIPS 180-2 test vector.
    let abc = sha256(b"abc");
    assert_eq!(
        super::hex(&abc),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn a_contract_document_is_labelled_with_its_version() {
    let document = |series, version| DocumentRef {
        series,
        document_id: "ctr_1".into(),
        version,
        number: "CTR-2026-000001".into(),
    };
    assert_eq!(
        document(Series::ContractDocuments, 2).label(),
        "CTR-2026-000001/2"
    );
    assert_eq!(document(Series::Invoices, 1).label(), "CTR-2026-000001");
}

#[test]
fn numbers_parse_into_year_and_value() {
    assert_eq!(parse_number("FAC-2026-000041"), Some((2026, 41)));
    assert_eq!(parse_number("AV-2027-1234567"), Some((2027, 1_234_567)));
    assert_eq!(parse_number("FAC-2026"), None);
    assert_eq!(parse_number("garbage"), None);
}

fn pending(number: &str) -> PendingDocument {
    PendingDocument {
        document: DocumentRef {
            series: Series::Invoices,
            document_id: format!("inv_{number}"),
            version: 1,
            number: number.into(),
        },
        issued_on: date!(2026 - 03 - 01),
    }
}

#[test]
fn documents_are_taken_in_number_order_up_to_the_first_missing_number() {
    let numbers: Vec<String> = (3..=6).map(|n| format!("FAC-2026-{n:06}")).collect();
    let found = vec![
        pending("FAC-2026-000006"),
        pending("FAC-2026-000004"),
        pending("FAC-2026-000003"),
    ];
    let run: Vec<String> = in_order(found, &numbers)
        .into_iter()
        .map(|d| d.document.number)
        .collect();
    // 5 is not committed yet: 6 waits for it.
    assert_eq!(run, ["FAC-2026-000003", "FAC-2026-000004"]);
    assert!(in_order(vec![pending("FAC-2026-000004")], &numbers).is_empty());
}

#[test]
fn series_have_stable_names_and_sequences() {
    for series in Series::ALL {
        assert_eq!(Series::parse(series.as_str()), Some(series));
    }
    assert_eq!(Series::Invoices.sequence(), Some("FAC"));
    assert_eq!(Series::CreditNotes.sequence(), Some("AV"));
    assert_eq!(Series::ContractDocuments.sequence(), None);
    assert!(!Series::ContractDocuments.has_ubl());
}
