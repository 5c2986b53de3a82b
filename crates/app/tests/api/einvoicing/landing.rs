//! The landing list links only to documents it may serve (decision 0317): with e-invoicing
//! on, an invoice or credit note shows its `clearance_status` and carries no link until it is
//! cleared; with it off, every item links to its document as before.

use serde_json::{json, Value};

use super::{billed_without_einvoicing, World};

#[actix_web::test]
async fn a_credit_note_is_linked_once_cleared_and_never_while_pending_or_rejected() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    assert_eq!(w.submit_due(), 1);
    w.app
        .post(&format!("/invoices/{id}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", "gesture")
        .json(&json!({"reason": "Geste commercial", "lines": [{"position": 1, "amount_excl_tax": 1_000}]}))
        .send()
        .await
        .assert_status(201);
    let note = |items: &[Value]| {
        items
            .iter()
            .find(|i| i["kind"] == "credit_note")
            .cloned()
            .unwrap()
    };
    let pending = note(&w.landing_items().await);
    assert_eq!(pending["clearance_status"], "pending");
    assert_eq!(pending["document_download_url"], Value::Null);
    assert_eq!(pending["document_expires_at"], Value::Null);
    // The invoice, cleared, is linked beside it.
    let item = w.landing_item(&id).await;
    assert_eq!(item["clearance_status"], "cleared");
    assert!(item["document_download_url"].is_string());

    assert_eq!(w.submit_due(), 1);
    let cleared = note(&w.landing_items().await);
    assert_eq!(cleared["clearance_status"], "cleared");
    let link = cleared["document_download_url"].as_str().unwrap();
    w.app.get(link).send().await.assert_status(200);

    // A second note, rejected: never linked.
    w.app
        .post(&format!("/invoices/{id}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", "gesture-2")
        .json(&json!({"reason": "Geste commercial", "lines": [{"position": 1, "amount_excl_tax": 500}]}))
        .send()
        .await
        .assert_status(201);
    w.simulator
        .reject("AV-2026-000002", &["Montant incohérent"]);
    assert_eq!(w.submit_due(), 1);
    let items = w.landing_items().await;
    let rejected = items
        .iter()
        .find(|i| i["credit_note_number"] == "AV-2026-000002")
        .unwrap();
    assert_eq!(rejected["clearance_status"], "rejected");
    assert_eq!(rejected["document_download_url"], Value::Null);
}

#[actix_web::test]
async fn with_einvoicing_off_every_item_is_linked_and_states_no_clearance() {
    let app = billed_without_einvoicing("2026-02", "2026-03-01").await;
    let list = app.get("/invoices").admin().send().await.json();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    app.post(&format!("/invoices/{id}/credit-notes"))
        .admin()
        .header("idempotency-key", "note")
        .json(&json!({"reason": "Geste commercial", "lines": [{"position": 1, "amount_excl_tax": 1_000}]}))
        .send()
        .await
        .assert_status(201);
    let token = app.services.ports.tokens.issue(
        domain::tokens::TokenPurpose::Lookup,
        "AB123456",
        app.clock_now() + time::Duration::minutes(15),
    );
    let answer = app
        .get(&format!(
            "/landing/clients/AB123456/invoices?lookup_token={token}"
        ))
        .send()
        .await;
    answer.assert_status(200);
    let items = answer.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    for item in &items {
        assert!(item.get("clearance_status").is_none(), "{item}");
        let link = item["document_download_url"].as_str().unwrap();
        app.get(link).send().await.assert_status(200);
    }
}
