//! The replacement of a rejected invoice (decision 0315): once the tax authority rejected an
//! invoice and a credit note voided it, `POST /invoices/{id}/reissue` issues the same
//! contract and month again under a new number, naming the invoice replaced in its JSON,
//! PDF and UBL; it is cleared like any invoice and the billing run never bills the month a
//! third time.

use serde_json::{json, Value};

use super::{billed_without_einvoicing, World};
use crate::support::pdf_text::text_of;

/// January billed, its invoice rejected by the authority; the invoice's id.
async fn rejected(w: &World) -> String {
    w.bill("2026-01", "2026-02-01").await;
    let invoice = w.invoices().await.remove(0);
    w.simulator
        .reject("FAC-2026-000001", &["ICE de l'acheteur inconnu"]);
    assert_eq!(w.submit_due(), 1);
    invoice["id"].as_str().unwrap().to_owned()
}

/// Cancels invoice `id` with a credit note for all of it (or `amount` of its first line).
async fn credit(w: &World, id: &str, key: &str, lines: Option<Value>) -> Value {
    let mut body = json!({"reason": "Facture rejetée par la DGI"});
    if let Some(lines) = lines {
        body["lines"] = lines;
    }
    let answer = w
        .app
        .post(&format!("/invoices/{id}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await;
    answer.assert_status(201);
    answer.json()
}

async fn reissue(w: &World, id: &str, key: &str) -> crate::support::Answer {
    w.app
        .post(&format!("/invoices/{id}/reissue"))
        .token(&w.billing)
        .header("idempotency-key", key)
        .send()
        .await
}

#[actix_web::test]
async fn a_rejected_voided_invoice_is_replaced_under_a_new_number_and_cleared() {
    let w = World::new().await;
    let id = rejected(&w).await;
    credit(&w, &id, "cancel", None).await;
    assert_eq!(w.submit_due(), 1, "the credit note is cleared");
    let original = w.invoice(&id).await;
    assert_eq!(original["status"], "void");

    let answer = reissue(&w, &id, "reissue-1").await;
    answer.assert_status(201);
    let replacement = answer.json();
    let new_id = replacement["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, id);
    // The next legal number: the rejected one is never reused.
    assert_eq!(replacement["invoice_number"], "FAC-2026-000002");
    assert_eq!(replacement["replaces_invoice_id"], id.as_str());
    assert_eq!(replacement["contract_id"], original["contract_id"]);
    assert_eq!(replacement["period"], "2026-01");
    assert_eq!(replacement["status"], "issued");
    assert_eq!(replacement["issue_date"], "2026-03-10", "issued today");
    assert_eq!(replacement["lines"], original["lines"], "the same lines");
    assert_eq!(replacement["total_incl_tax"], 11_880);
    assert_eq!(replacement["outstanding"], 11_880);
    assert_eq!(replacement["clearance"]["status"], "pending");
    assert_eq!(w.invoice(&new_id).await["replaces_invoice_id"], id.as_str());
    assert!(
        w.invoice(&id).await.get("replaces_invoice_id").is_none(),
        "an invoice billed by a run replaces nothing"
    );

    // Told like any issued invoice, in the same transaction.
    assert_eq!(
        w.app.count(&format!(
            "SELECT count(*) FROM events WHERE type = 'invoice.issued' \
               AND data->>'id' = '{new_id}' AND data->>'replaces_invoice_id' = '{id}'"
        )),
        1
    );

    // Not offered before clearance; then cleared and offered, naming what it replaces.
    w.invoice_pdf(&new_id)
        .await
        .assert_problem(409, "document_not_cleared");
    assert_eq!(w.submit_due(), 1);
    assert_eq!(w.invoice(&new_id).await["clearance"]["status"], "cleared");
    let pdf = w.invoice_pdf(&new_id).await;
    pdf.assert_status(200);
    let text = text_of(&pdf.body);
    assert!(
        text.contains("Remplace la facture FAC-2026-000001 du 01/02/2026."),
        "{text}"
    );
    let ubl = w
        .app
        .get(&format!("/invoices/{new_id}/ubl"))
        .token(&w.billing)
        .send()
        .await;
    ubl.assert_status(200);
    let xml = String::from_utf8(ubl.body.clone()).unwrap();
    assert!(
        xml.contains(
            "<cac:BillingReference>\n    <cac:InvoiceDocumentReference>\n      \
             <cbc:ID>FAC-2026-000001</cbc:ID>\n      <cbc:IssueDate>2026-02-01</cbc:IssueDate>"
        ),
        "{xml}"
    );
    assert_eq!(
        w.simulator.submitted(),
        ["FAC-2026-000001", "AV-2026-000001", "FAC-2026-000002"]
    );

    // In the client's statement: the invoice, its credit note, and the replacement.
    let client = original["client_id"].as_str().unwrap();
    let statement = w
        .app
        .get(&format!("/customers/{client}/statement"))
        .token(&w.billing)
        .send()
        .await;
    statement.assert_status(200);
    let statement = statement.json();
    let lines = statement["lines"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["document_id"] == new_id.as_str()
        && l["kind"] == "invoice"
        && l["reference"] == "FAC-2026-000002"));
    assert_eq!(statement["closing_balance"], 11_880);

    // The month is billed: a new run for it issues nothing more.
    let run = w
        .app
        .post("/billing/runs")
        .token(&w.billing)
        .header("idempotency-key", "run-2026-01-again")
        .json(&json!({"period": "2026-01", "issue_date": "2026-02-01"}))
        .send()
        .await;
    run.assert_status(201);
    assert_eq!(run.json()["invoice_count"], 0);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM invoices WHERE period = '2026-01'"),
        2
    );
}

#[actix_web::test]
async fn a_replay_answers_the_same_replacement_and_a_second_replacement_is_refused() {
    let w = World::new().await;
    let id = rejected(&w).await;
    credit(&w, &id, "cancel", None).await;
    let first = reissue(&w, &id, "reissue-1").await;
    first.assert_status(201);
    let replay = reissue(&w, &id, "reissue-1").await;
    replay.assert_status(201);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.json(), first.json());
    reissue(&w, &id, "reissue-2")
        .await
        .assert_problem(409, "invoice_already_reissued");
    assert_eq!(w.app.count("SELECT count(*) FROM invoices"), 2);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM clearances WHERE document_kind = 'invoice'"),
        2
    );
}

#[actix_web::test]
async fn the_same_key_on_another_invoice_is_refused() {
    let w = World::new().await;
    let id = rejected(&w).await;
    credit(&w, &id, "cancel", None).await;
    reissue(&w, &id, "reissue-1").await.assert_status(201);
    let other = "inv_01JD0000000000000000000000";
    reissue(&w, other, "reissue-1")
        .await
        .assert_problem(422, "idempotency_key_reused");
}

#[actix_web::test]
async fn only_a_rejected_invoice_is_replaced() {
    let w = World::new().await;
    w.bill("2026-01", "2026-02-01").await;
    let id = w.invoices().await.remove(0)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Pending at the authority.
    reissue(&w, &id, "while-pending")
        .await
        .assert_problem(409, "invoice_not_rejected");
    // Cleared, then voided: still not a rejected invoice.
    assert_eq!(w.submit_due(), 1);
    credit(&w, &id, "cancel", None).await;
    reissue(&w, &id, "while-cleared")
        .await
        .assert_problem(409, "invoice_not_rejected");
    assert_eq!(w.app.count("SELECT count(*) FROM invoices"), 1);
}

#[actix_web::test]
async fn an_invoice_issued_with_einvoicing_off_is_not_replaced() {
    let app = billed_without_einvoicing("2026-01", "2026-02-01").await;
    let billing = app.actor_token(&["billing"]).await;
    let list = app.get("/invoices").token(&billing).send().await.json();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/invoices/{id}/reissue"))
        .token(&billing)
        .header("idempotency-key", "off")
        .send()
        .await
        .assert_problem(409, "invoice_not_rejected");
}

#[actix_web::test]
async fn a_rejected_invoice_is_replaced_only_once_a_credit_note_voided_all_of_it() {
    let w = World::new().await;
    let id = rejected(&w).await;
    reissue(&w, &id, "not-credited")
        .await
        .assert_problem(409, "invoice_not_void");
    // Part of it credited: still due, not void.
    credit(
        &w,
        &id,
        "part",
        Some(json!([{"position": 1, "amount_excl_tax": 1_000}])),
    )
    .await;
    reissue(&w, &id, "part-credited")
        .await
        .assert_problem(409, "invoice_not_void");
    credit(&w, &id, "rest", None).await;
    reissue(&w, &id, "void").await.assert_status(201);
}

#[actix_web::test]
async fn reissue_needs_a_billing_actor_a_key_and_an_existing_invoice() {
    let w = World::new().await;
    let id = rejected(&w).await;
    credit(&w, &id, "cancel", None).await;
    let path = format!("/invoices/{id}/reissue");
    w.app
        .post(&path)
        .header("idempotency-key", "k")
        .send()
        .await
        .assert_status(401);
    for role in ["agent", "collections", "viewer"] {
        let token = w.app.actor_token(&[role]).await;
        w.app
            .post(&path)
            .token(&token)
            .header("idempotency-key", "k")
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    w.app
        .post(&path)
        .token(&w.billing)
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    reissue(&w, "inv_01JD0000000000000000000000", "unknown")
        .await
        .assert_problem(404, "invoice_not_found");
    reissue(&w, "not-an-id", "malformed")
        .await
        .assert_problem(404, "invoice_not_found");
    assert_eq!(w.app.count("SELECT count(*) FROM invoices"), 1);
    // An admin may.
    w.app
        .post(&path)
        .admin()
        .header("idempotency-key", "admin")
        .send()
        .await
        .assert_status(201);
}
