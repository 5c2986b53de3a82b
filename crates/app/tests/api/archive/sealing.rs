//! The sealer: every issued document gets its hashes and its link, in number order, once;
//! the PDF sealed is the one served ever after.

use serde_json::json;

use super::{assert_intact, hex, sha256, Archive};

#[actix_web::test]
async fn billing_leaves_sealing_to_the_sealer_which_seals_each_document_once() {
    let a = Archive::issued().await;
    // Issuing stays as fast as before: no PDF rendered, nothing sealed in the billing run.
    assert_eq!(a.w.app.count("SELECT count(*) FROM archive_entries"), 0);
    assert_eq!(a.w.app.count("SELECT count(*) FROM invoice_documents"), 0);
    assert_eq!(a.seal(), 4 + 1 + 2);
    assert_eq!(a.seal(), 0, "nothing is sealed twice");
    assert_eq!(a.w.app.count("SELECT count(*) FROM archive_entries"), 7);
    assert_eq!(a.w.app.count("SELECT count(*) FROM invoice_documents"), 4);
    assert_eq!(
        a.w.app.count("SELECT count(*) FROM credit_note_documents"),
        1
    );
    let heads = a.w.app.count(
        "SELECT count(*) FROM archive_heads h WHERE h.position = \
         (SELECT max(position) FROM archive_entries e WHERE e.series = h.series) \
         AND h.chain_sha256 = (SELECT chain_sha256 FROM archive_entries e \
           WHERE e.series = h.series AND e.position = h.position)",
    );
    assert_eq!(heads, 3, "each head is its series' last link");
}

#[actix_web::test]
async fn invoices_are_chained_in_number_order_by_the_chain_rule() {
    let a = Archive::sealed().await;
    let entries = a.entries("invoices");
    let numbers: Vec<&str> = entries.iter().map(|e| e.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "FAC-2026-000001",
            "FAC-2026-000002",
            "FAC-2026-000003",
            "FAC-2026-000004"
        ]
    );
    let ids: Vec<&str> = entries.iter().map(|e| e.document_id.as_str()).collect();
    assert_eq!(ids, a.invoices);
    // SHA-256(previous chain ‖ PDF hash ‖ UBL hash ‖ number), from 32 zero bytes.
    let mut previous = vec![0u8; 32];
    for (position, entry) in (1..).zip(&entries) {
        assert_eq!(entry.position, position);
        let ubl = entry.ubl_sha256.clone().expect("invoices have a UBL hash");
        let expected = sha256(
            &[
                previous.as_slice(),
                &entry.pdf_sha256,
                &ubl,
                entry.number.as_bytes(),
            ]
            .concat(),
        );
        assert_eq!(hex(&entry.chain_sha256), hex(&expected), "{}", entry.number);
        previous = entry.chain_sha256.clone();
    }
}

#[actix_web::test]
async fn contract_documents_are_chained_with_their_version_and_no_ubl() {
    let a = Archive::sealed().await;
    let entries = a.entries("contract_documents");
    assert_eq!(entries.len(), 2);
    let mut previous = vec![0u8; 32];
    for (entry, contract) in entries.iter().zip(&a.contracts) {
        assert_eq!(&entry.document_id, contract);
        assert_eq!(entry.version, 1);
        assert!(entry.ubl_sha256.is_none());
        let label = format!("{}/1", entry.number);
        let expected = sha256(&[previous.as_slice(), &entry.pdf_sha256, label.as_bytes()].concat());
        assert_eq!(hex(&entry.chain_sha256), hex(&expected));
        previous = entry.chain_sha256.clone();
    }
    let credit = a.entries("credit_notes");
    assert_eq!(credit.len(), 1);
    assert_eq!(credit[0].number, "AV-2026-000001");
    assert_eq!(credit[0].document_id, a.credit_note);
}

#[actix_web::test]
async fn the_pdf_sealed_is_the_pdf_served_afterwards() {
    let a = Archive::sealed().await;
    for entry in a.entries("invoices") {
        let answer =
            a.w.app
                .get(&format!("/invoices/{}/pdf", entry.document_id))
                .token(&a.w.billing)
                .send()
                .await;
        answer.assert_status(200);
        assert_eq!(hex(&sha256(&answer.body)), hex(&entry.pdf_sha256));
    }
    let note = &a.entries("credit_notes")[0];
    let answer =
        a.w.app
            .get(&format!("/credit-notes/{}/pdf", note.document_id))
            .token(&a.w.billing)
            .send()
            .await;
    answer.assert_status(200);
    assert_eq!(hex(&sha256(&answer.body)), hex(&note.pdf_sha256));
}

#[actix_web::test]
async fn a_pdf_downloaded_before_sealing_is_the_one_sealed() {
    let a = Archive::issued().await;
    let id = &a.invoices[1];
    let downloaded =
        a.w.app
            .get(&format!("/invoices/{id}/pdf"))
            .token(&a.w.billing)
            .send()
            .await;
    downloaded.assert_status(200);
    a.seal();
    let entry = a
        .entries("invoices")
        .into_iter()
        .find(|e| &e.document_id == id)
        .unwrap();
    assert_eq!(hex(&entry.pdf_sha256), hex(&sha256(&downloaded.body)));
}

#[actix_web::test]
async fn later_documents_continue_the_chain_and_payments_do_not_break_it() {
    let a = Archive::sealed().await;
    // A payment and a second credit note after sealing are new facts, not tampering.
    a.w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax WHERE id = '{}'",
        a.invoices[2]
    ));
    a.w.app
        .post(&format!("/invoices/{}/credit-notes", a.invoices[3]))
        .token(&a.w.billing)
        .header("idempotency-key", "archive-note-2")
        .json(&json!({"reason": "Erreur de tarif"}))
        .send()
        .await
        .assert_status(201);
    a.w.run(
        "mar-1",
        json!({"period": "2026-03", "issue_date": "2026-03-31"}),
    )
    .await
    .assert_status(201);
    let issued = a.w.app.count("SELECT count(*) FROM invoices");
    assert!(issued > 4);
    let sealed = a.seal();
    assert_eq!(i64::try_from(sealed).unwrap(), issued - 4 + 1);
    let entries = a.entries("invoices");
    for (position, entry) in (1..).zip(&entries) {
        assert_eq!(entry.position, position);
        assert_eq!(entry.number, format!("FAC-2026-{position:06}"));
    }
    let body = a.verify_march().await;
    assert_intact(&body, u64::try_from(issued).unwrap(), 2, 2);
}

#[actix_web::test]
async fn two_sealers_at_once_seal_each_document_once_in_order() {
    let a = Archive::issued().await;
    let first = a.w.app.archive.clone();
    let second = a.w.app.archive.clone();
    let threads: Vec<_> = [first, second]
        .into_iter()
        .map(|archive| {
            std::thread::spawn(move || {
                let mut total = 0;
                for _ in 0..20 {
                    total += archive.seal(1).expect("seal");
                }
                total
            })
        })
        .collect();
    let total: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    // Whatever is left after the race (a skipped series) is sealed by a last round.
    assert_eq!(total + a.seal(), 7);
    assert_eq!(a.w.app.count("SELECT count(*) FROM archive_entries"), 7);
    let body = a.verify_march().await;
    assert_intact(&body, 4, 1, 2);
}

/// The sealer yields to billing (decision 0325): while a billing run holds its lock, a pass
/// seals nothing (the documents wait, in order); the first pass after the run seals them all.
#[actix_web::test]
async fn a_sealer_pass_during_a_billing_run_seals_nothing_and_the_next_one_seals_everything() {
    let a = Archive::issued().await;
    let locks = a.w.app.services.ports.key_locks.clone();
    let run = locks.hold_billing_run().expect("a run's hold");
    // Runs share the lock: a second one (another instance) holds it too.
    let other = locks.hold_billing_run().expect("another run's hold");
    assert_eq!(a.w.app.archive.seal(100).expect("seal"), 0);
    drop(run);
    assert_eq!(
        a.w.app.archive.seal(100).expect("seal"),
        0,
        "still one run in progress"
    );
    assert_eq!(a.w.app.count("SELECT count(*) FROM archive_entries"), 0);
    assert_eq!(a.w.app.count("SELECT count(*) FROM invoice_documents"), 0);
    drop(other);
    assert_eq!(a.seal(), 4 + 1 + 2);
    assert_intact(&a.verify_march().await, 4, 1, 2);
}

/// A real run takes and gives back the lock: the sealer seals what the run issued once it
/// has answered.
#[actix_web::test]
async fn the_sealer_catches_up_once_the_run_has_answered() {
    let a = Archive::issued().await;
    a.seal();
    a.w.run(
        "march",
        json!({"period": "2026-03", "issue_date": "2026-04-01"}),
    )
    .await
    .assert_status(201);
    let sealed = a.w.app.archive.seal(100).expect("seal");
    assert!(sealed >= 1, "the March invoices are sealed after the run");
}
