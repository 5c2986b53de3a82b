//! Break detection: a row edited directly in SQL is reported at that document, and only
//! there.

use super::{assert_break_at, assert_intact, chain, hex, Archive};

#[actix_web::test]
async fn an_edited_pdf_hash_is_a_break_at_that_invoice() {
    let a = Archive::sealed().await;
    a.w.app.sql(
        "UPDATE archive_entries SET pdf_sha256 = sha256('forged') \
         WHERE series = 'invoices' AND number = 'FAC-2026-000003'",
    );
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000003", "pdf_hash");
    let found = &chain(&body, "invoices")["first_break"];
    assert_eq!(found["position"], 3);
    assert_eq!(found["document_id"], a.invoices[2].as_str());
    assert_eq!(found["sealed"], hex(&super::sha256(b"forged")));
    assert_eq!(chain(&body, "invoices")["checked"], 3);
}

#[actix_web::test]
async fn one_changed_byte_of_a_stored_pdf_is_a_break_at_that_invoice() {
    let a = Archive::sealed().await;
    a.w.app.sql(&format!(
        "UPDATE invoice_documents SET pdf = overlay(pdf placing '\\x00'::bytea from 200 for 1) \
         WHERE invoice_id = '{}'",
        a.invoices[1]
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000002", "pdf_hash");
}

#[actix_web::test]
async fn an_edited_invoice_amount_is_a_break_at_that_invoice() {
    let a = Archive::sealed().await;
    // The stored PDF is untouched; the invoice's data no longer is what was sealed.
    a.w.app.sql(&format!(
        "UPDATE invoices SET total_incl_tax = total_incl_tax - 100 WHERE id = '{}'",
        a.invoices[3]
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000004", "ubl_hash");
}

#[actix_web::test]
async fn an_edited_line_amount_is_a_break_at_that_invoice() {
    let a = Archive::sealed().await;
    a.w.app.sql(&format!(
        "UPDATE invoice_lines SET amount_excl_tax = amount_excl_tax + 1 \
         WHERE invoice_id = '{}' AND position = 1",
        a.invoices[0]
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000001", "ubl_hash");
}

#[actix_web::test]
async fn an_edited_chain_hash_is_a_break_at_that_document() {
    let a = Archive::sealed().await;
    a.w.app.sql(
        "UPDATE archive_entries SET chain_sha256 = sha256(chain_sha256) \
         WHERE series = 'invoices' AND position = 2",
    );
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000002", "chain_hash");
}

#[actix_web::test]
async fn a_consistently_forged_pdf_and_hash_still_breaks_the_chain() {
    let a = Archive::sealed().await;
    // The forger replaces the PDF and its hash; the chain link no longer holds.
    let id = &a.invoices[2];
    a.w.app.sql(&format!(
        "UPDATE invoice_documents SET pdf = '\\x255044462d666f72676564'::bytea \
         WHERE invoice_id = '{id}'"
    ));
    a.w.app.sql(&format!(
        "UPDATE archive_entries SET pdf_sha256 = sha256('\\x255044462d666f72676564'::bytea) \
         WHERE series = 'invoices' AND document_id = '{id}'"
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000003", "chain_hash");
}

#[actix_web::test]
async fn a_removed_entry_is_a_break_at_the_document_after_it() {
    let a = Archive::sealed().await;
    a.w.app
        .sql("DELETE FROM archive_entries WHERE series = 'invoices' AND position = 2");
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000003", "missing_entry");
}

#[actix_web::test]
async fn a_renumbered_invoice_is_a_break_at_that_invoice() {
    let a = Archive::sealed().await;
    a.w.app.sql(&format!(
        "UPDATE invoices SET invoice_number = 'FAC-2026-999999' WHERE id = '{}'",
        a.invoices[1]
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000002", "number");
    assert_eq!(
        chain(&body, "invoices")["first_break"]["found"],
        "FAC-2026-999999"
    );
}

#[actix_web::test]
async fn an_edited_credit_note_is_a_break_at_that_note() {
    let a = Archive::sealed().await;
    a.w.app.sql(&format!(
        "UPDATE credit_notes SET reason = 'Autre motif' WHERE id = '{}'",
        a.credit_note
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "credit_notes", "AV-2026-000001", "ubl_hash");
}

#[actix_web::test]
async fn an_edited_contract_document_is_a_break_at_that_document() {
    let a = Archive::sealed().await;
    a.w.app.sql(&format!(
        "UPDATE contract_documents SET pdf = overlay(pdf placing '\\x00'::bytea from 150 for 1) \
         WHERE contract_id = '{}'",
        a.contracts[1]
    ));
    let body = a.verify_march().await;
    let number = &a.entries("contract_documents")[1].number;
    assert_break_at(&body, "contract_documents", number, "pdf_hash");
}

#[actix_web::test]
async fn a_deleted_document_is_a_break_at_that_document() {
    let a = Archive::sealed().await;
    a.w.app.sql(&format!(
        "DELETE FROM invoice_documents WHERE invoice_id = '{}'",
        a.invoices[0]
    ));
    let body = a.verify_march().await;
    assert_break_at(&body, "invoices", "FAC-2026-000001", "missing_pdf");
}

#[actix_web::test]
async fn a_break_before_the_range_is_not_reported_within_it() {
    let a = Archive::sealed().await;
    a.w.app.sql(
        "UPDATE archive_entries SET pdf_sha256 = sha256('forged') \
         WHERE series = 'invoices' AND number = 'FAC-2026-000001'",
    );
    let answer = a.verify("from=2026-03-02&to=2026-03-31").await;
    answer.assert_status(200);
    assert_intact(&answer.json(), 0, 1, 2);
}
