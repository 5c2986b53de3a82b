//! `ClearanceRepository` against PostgreSQL: the set-based insert, the claim's `SKIP LOCKED`
//! and lease, the guard against a stale attempt, the retry's backoff and the figures.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::einvoicing::{
    ClaimedClearance, ClearanceOutcome, ClearanceRepository, ClearanceStatus, ClearedDocument,
    PendingClearance,
};
use domain::typed_ids::{CreditNoteId, InvoiceId};
use time::Duration;

use super::test_support::{assert_storage, at, count, impatient};
use crate::testing::fresh_database;
use crate::tx::PgTx;

fn invoice(id: &str, number: &str) -> PendingClearance {
    PendingClearance {
        document: ClearedDocument::Invoice(InvoiceId::from_stored(id)),
        number: number.into(),
    }
}

fn seeded() -> (crate::testing::TestDatabase, diesel::PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    let mut tx = PgTx::new(&mut conn);
    tx.insert_pending(
        &[
            invoice("inv_1", "FAC-2026-000001"),
            invoice("inv_2", "FAC-2026-000002"),
            PendingClearance {
                document: ClearedDocument::CreditNote(CreditNoteId::from_stored("cn_1")),
                number: "AV-2026-000001".into(),
            },
        ],
        at(),
    )
    .unwrap();
    (db, conn)
}

#[test]
fn a_batch_is_written_pending_and_read_back() {
    let (_db, mut conn) = seeded();
    assert_eq!(count(&mut conn, "clearances", "status = 'pending'"), 3);
    let mut tx = PgTx::new(&mut conn);
    let found = tx.find("cn_1").unwrap().unwrap();
    assert_eq!(found.number, "AV-2026-000001");
    assert_eq!(found.status, ClearanceStatus::Pending);
    assert!(matches!(found.document, ClearedDocument::CreditNote(_)));
    assert!(tx.find("inv_9").unwrap().is_none());
    let many = tx
        .find_many(&["inv_1".into(), "inv_2".into(), "inv_9".into()])
        .unwrap();
    assert_eq!(many.len(), 2);
}

#[test]
fn a_document_written_twice_is_a_storage_fault() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_storage(tx.insert_pending(&[invoice("inv_1", "FAC-2026-000001")], at()));
}

#[test]
fn a_claim_counts_the_attempt_and_leases_the_document() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let now = at() + Duration::seconds(1);
    let claimed = tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(claimed.iter().all(|c| c.attempt == 1));
    assert_eq!(
        tx.find("inv_1").unwrap().unwrap().status,
        ClearanceStatus::Submitted
    );
    assert!(tx.claim_due(now, now, 10).unwrap().is_empty(), "leased");
    let later = now + Duration::minutes(2);
    let again = tx
        .claim_due(later, later + Duration::minutes(1), 1)
        .unwrap();
    assert_eq!(again.len(), 1, "at most the limit");
    assert_eq!(again[0].attempt, 2, "a lapsed lease is claimed again");
}

#[test]
fn a_claim_skips_documents_another_worker_holds() {
    let (db, mut conn) = seeded();
    conn.batch_execute("BEGIN; SELECT 1 FROM clearances WHERE document_id = 'inv_1' FOR UPDATE")
        .unwrap();
    let mut other = impatient(&db);
    let mut tx = PgTx::new(&mut other);
    let now = at() + Duration::seconds(1);
    let claimed = tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    let ids: Vec<&str> = claimed.iter().map(|c| c.document.id()).collect();
    assert!(!ids.contains(&"inv_1"));
    assert_eq!(ids.len(), 2);
}

#[test]
fn a_stale_attempt_is_not_recorded_and_a_retry_waits_its_backoff() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let now = at() + Duration::seconds(1);
    tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    let claimed = |attempt| ClaimedClearance {
        document: ClearedDocument::Invoice(InvoiceId::from_stored("inv_1")),
        number: "FAC-2026-000001".into(),
        attempt,
    };
    let retry = ClearanceOutcome::Retry {
        error: "timed out".into(),
        retry_at: now + Duration::minutes(5),
    };
    assert!(
        !tx.record(&claimed(2), &retry, now).unwrap(),
        "not this attempt"
    );
    assert!(tx.record(&claimed(1), &retry, now).unwrap());
    assert!(
        !tx.record(&claimed(1), &retry, now).unwrap(),
        "no longer submitted"
    );
    let pending = tx.find("inv_1").unwrap().unwrap();
    assert_eq!(pending.status, ClearanceStatus::Pending);
    assert_eq!(pending.last_error.as_deref(), Some("timed out"));
    let soon = now + Duration::minutes(4);
    let before_backoff = tx.claim_due(soon, soon + Duration::minutes(1), 10).unwrap();
    assert!(before_backoff.iter().all(|c| c.document.id() != "inv_1"));
    let after = now + Duration::minutes(5);
    let claimed_again = tx
        .claim_due(after, after + Duration::minutes(1), 10)
        .unwrap();
    assert!(claimed_again
        .iter()
        .any(|c| c.document.id() == "inv_1" && c.attempt == 2));
}

#[test]
fn the_summary_counts_by_status_and_names_the_oldest_and_the_last_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let now = at() + Duration::seconds(1);
    let claimed = tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    let first = claimed.iter().find(|c| c.document.id() == "inv_1").unwrap();
    let cleared = ClearanceOutcome::Cleared {
        reference: "DGI-1".into(),
        cleared_at: now,
        verification_code: "V1".into(),
    };
    tx.record(first, &cleared, now).unwrap();
    let second = claimed.iter().find(|c| c.document.id() == "inv_2").unwrap();
    let rejected = ClearanceOutcome::Rejected {
        reasons: vec!["ICE inconnu".into()],
    };
    tx.record(second, &rejected, now).unwrap();
    let third = claimed.iter().find(|c| c.document.id() == "cn_1").unwrap();
    let retry = ClearanceOutcome::Retry {
        error: "answered 503".into(),
        retry_at: now + Duration::minutes(1),
    };
    tx.record(third, &retry, now).unwrap();
    let summary = tx.summary().unwrap();
    assert_eq!(
        summary.counts,
        [
            (ClearanceStatus::Pending, 1),
            (ClearanceStatus::Submitted, 0),
            (ClearanceStatus::Cleared, 1),
            (ClearanceStatus::Rejected, 1),
        ]
    );
    let oldest = summary.oldest_pending.unwrap();
    assert_eq!(oldest.number, "AV-2026-000001");
    assert_eq!(oldest.attempts, 1);
    let last = summary.last_error.unwrap();
    assert_eq!(last.error, "answered 503");
    let stored = tx.find("inv_2").unwrap().unwrap();
    assert_eq!(stored.reasons, ["ICE inconnu"]);
    let stored = tx.find("inv_1").unwrap().unwrap();
    assert_eq!(stored.reference.as_deref(), Some("DGI-1"));
}
