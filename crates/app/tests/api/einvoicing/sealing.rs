//! With e-invoicing on, the archive seals a document once its clearance is final: the PDF it
//! hashes and stores is the one that prints the clearance, and a pending document holds its
//! chain until the authority answers (decision 0324).

use sha2::{Digest, Sha256};

use super::World;
use crate::support::pdf_text::text_of;

fn seal_all(w: &World) -> usize {
    let mut total = 0;
    loop {
        let sealed = w.app.archive.seal(100).expect("seal");
        if sealed == 0 {
            return total;
        }
        total += sealed;
    }
}

fn entries_of(w: &World, id: &str) -> i64 {
    w.app.count(&format!(
        "SELECT count(*) FROM archive_entries WHERE document_id = '{id}'"
    ))
}

/// Whether the archive's entry of `id` holds the SHA-256 of `pdf`.
fn sealed_with(w: &World, id: &str, pdf: &[u8]) -> bool {
    let hex: String = Sha256::digest(pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    w.app.count(&format!(
        "SELECT count(*) FROM archive_entries WHERE document_id = '{id}' \
         AND pdf_sha256 = decode('{hex}', 'hex')"
    )) == 1
}

#[actix_web::test]
async fn a_pending_invoice_is_sealed_only_once_cleared_with_the_pdf_that_prints_it() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoices().await[0]["id"].as_str().unwrap().to_owned();

    assert_eq!(seal_all(&w), 0, "a pending invoice holds its chain");
    assert_eq!(w.app.count("SELECT count(*) FROM invoice_documents"), 0);
    assert_eq!(entries_of(&w, &id), 0);

    assert_eq!(w.submit_due(), 1);
    assert_eq!(w.invoice(&id).await["clearance"]["status"], "cleared");
    assert_eq!(seal_all(&w), 1);
    let served = w.invoice_pdf(&id).await;
    assert_eq!(served.status, 200);
    assert!(
        sealed_with(&w, &id, &served.body),
        "the PDF served is the PDF sealed"
    );
    let reference = w.invoice(&id).await["clearance"]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        text_of(&served.body).contains(&reference),
        "the sealed PDF prints the clearance reference {reference}"
    );
}

#[actix_web::test]
async fn a_rejected_invoice_keeps_its_place_in_the_chain_and_is_never_offered() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoices().await[0]["id"].as_str().unwrap().to_owned();
    let number = w.invoice(&id).await["invoice_number"]
        .as_str()
        .unwrap()
        .to_owned();
    w.simulator.reject(&number, &["ICE de l'acheteur inconnu"]);
    assert_eq!(w.submit_due(), 1);

    assert_eq!(seal_all(&w), 1, "a final rejection lets the chain go on");
    assert_eq!(entries_of(&w, &id), 1);
    w.invoice_pdf(&id)
        .await
        .assert_problem(409, "document_not_cleared");
}
