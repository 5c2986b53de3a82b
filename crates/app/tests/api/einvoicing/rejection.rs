//! A rejected invoice keeps its number, is never offered, and is corrected the legal way: a
//! credit note cancels it (itself cleared before it is offered) and billing goes on with
//! the next numbers; no number is ever reused.

use serde_json::json;

use super::World;

#[actix_web::test]
async fn a_rejected_invoice_keeps_its_number_and_is_cancelled_by_a_cleared_credit_note() {
    let w = World::new().await;
    w.bill("2026-01", "2026-02-01").await;
    let rejected = w.invoices().await.remove(0);
    let id = rejected["id"].as_str().unwrap().to_owned();
    assert_eq!(rejected["invoice_number"], "FAC-2026-000001");
    w.simulator
        .reject("FAC-2026-000001", &["ICE de l'acheteur inconnu"]);
    assert_eq!(w.submit_due(), 1);

    let invoice = w.invoice(&id).await;
    assert_eq!(invoice["clearance"]["status"], "rejected");
    assert_eq!(
        invoice["clearance"]["reasons"],
        json!(["ICE de l'acheteur inconnu"])
    );
    assert_eq!(invoice["clearance"]["reference"], serde_json::Value::Null);
    assert_eq!(
        invoice["invoice_number"], "FAC-2026-000001",
        "its number is kept"
    );
    w.invoice_pdf(&id)
        .await
        .assert_problem(409, "document_not_cleared");
    let item = w.landing_item(&id).await;
    assert_eq!(item["clearance_status"], "rejected");
    assert_eq!(item["document_download_url"], serde_json::Value::Null);
    w.app
        .get(&w.direct_link(&id))
        .send()
        .await
        .assert_problem(409, "document_not_cleared");
    assert_eq!(
        w.submit_due(),
        0,
        "a rejection is final: never submitted again"
    );
    assert_eq!(w.status().await["counts"]["rejected"], 1);

    // The correction: a credit note for all of it (the ledger's use case).
    let answer = w
        .app
        .post(&format!("/invoices/{id}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", "cancel-rejected")
        .json(&json!({"reason": "Facture rejetée par la DGI : ICE de l'acheteur inconnu"}))
        .send()
        .await;
    answer.assert_status(201);
    let note = answer.json();
    assert_eq!(note["invoice_status"], "void");
    assert_eq!(note["total_incl_tax"], 11_880);
    let note_id = note["id"].as_str().unwrap().to_owned();
    let note_path = format!("/credit-notes/{note_id}");
    let read = w.app.get(&note_path).token(&w.billing).send().await;
    read.assert_status(200);
    assert_eq!(read.json()["clearance"]["status"], "pending");
    w.app
        .get(&format!("{note_path}/pdf"))
        .token(&w.billing)
        .send()
        .await
        .assert_problem(409, "document_not_cleared");
    assert_eq!(w.submit_due(), 1);
    let cleared = w.app.get(&note_path).token(&w.billing).send().await.json();
    assert_eq!(cleared["clearance"]["status"], "cleared");
    let listed = w
        .app
        .get("/credit-notes")
        .token(&w.billing)
        .send()
        .await
        .json();
    assert_eq!(listed["items"][0]["clearance"]["status"], "cleared");
    w.app
        .get(&format!("{note_path}/pdf"))
        .token(&w.billing)
        .send()
        .await
        .assert_status(200);

    // Billing goes on: the next invoice takes the next number, never the rejected one's.
    w.bill("2026-02", "2026-03-01").await;
    let next = w
        .invoices()
        .await
        .into_iter()
        .find(|i| i["id"] != id.as_str())
        .unwrap();
    assert_eq!(next["invoice_number"], "FAC-2026-000002");
    assert_eq!(w.submit_due(), 1);
    assert_eq!(
        w.invoice(next["id"].as_str().unwrap()).await["clearance"]["status"],
        "cleared"
    );
    let numbers = w.simulator.submitted();
    assert_eq!(
        numbers,
        ["FAC-2026-000001", "AV-2026-000001", "FAC-2026-000002"]
    );
}
