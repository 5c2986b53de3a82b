//! The clearance told as events (decision 0316): `invoice.cleared`, `invoice.rejected`,
//! `credit_note.cleared` and `credit_note.rejected`, written by the worker with the verdict,
//! carrying the resource with its `clearance`; `invoice.issued` and `credit_note.issued`
//! carry the pending clearance too.

use serde_json::json;

use super::{billed_without_einvoicing, World};
use crate::events::support::{events_when, read_all, types_of};
use crate::support::TestApp;

#[actix_web::test]
async fn a_cleared_invoice_is_told_with_its_clearance() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap();
    let issued = events_when(&w.app, "invoice.issued", 1).await;
    assert_eq!(issued[0]["data"]["clearance"]["status"], "pending");
    assert_eq!(issued[0]["data"]["clearance"]["attempts"], 0);
    assert!(read_all(&w.app, "invoice.cleared").await.is_empty());

    assert_eq!(w.submit_due(), 1);
    let cleared = events_when(&w.app, "invoice.cleared", 1).await;
    assert_eq!(cleared.len(), 1);
    let event = &cleared[0];
    assert_eq!(event["actor_id"], json!(null), "the platform's verdict");
    // The invoice exactly as its own endpoint answers it now, clearance included.
    assert_eq!(event["data"], w.invoice(id).await);
    assert_eq!(event["data"]["clearance"]["status"], "cleared");
    assert!(event["data"]["clearance"]["reference"]
        .as_str()
        .unwrap()
        .starts_with("SIM-2026-"));
    assert!(read_all(&w.app, "invoice.rejected").await.is_empty());
}

#[actix_web::test]
async fn a_rejection_is_told_with_its_reasons_and_the_correcting_note_with_its_own_verdict() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    w.simulator.reject("FAC-2026-000001", &["ICE inconnu"]);
    assert_eq!(w.submit_due(), 1);
    let rejected = events_when(&w.app, "invoice.rejected", 1).await;
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["data"]["id"], id.as_str());
    assert_eq!(rejected[0]["data"]["clearance"]["status"], "rejected");
    assert_eq!(
        rejected[0]["data"]["clearance"]["reasons"],
        json!(["ICE inconnu"])
    );

    let note = w
        .app
        .post(&format!("/invoices/{id}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", "cancel")
        .json(&json!({"reason": "Facture rejetée"}))
        .send()
        .await;
    note.assert_status(201);
    let note_id = note.json()["id"].as_str().unwrap().to_owned();
    let issued = events_when(&w.app, "credit_note.issued", 1).await;
    assert_eq!(issued[0]["data"]["id"], note_id.as_str());
    assert_eq!(issued[0]["data"]["clearance"]["status"], "pending");

    w.simulator
        .reject("AV-2026-000001", &["Référence inconnue"]);
    assert_eq!(w.submit_due(), 1);
    let note_rejected = events_when(&w.app, "credit_note.rejected", 1).await;
    assert_eq!(note_rejected[0]["data"]["id"], note_id.as_str());
    assert_eq!(
        note_rejected[0]["data"]["clearance"]["reasons"],
        json!(["Référence inconnue"])
    );
    assert!(read_all(&w.app, "credit_note.cleared").await.is_empty());
}

#[actix_web::test]
async fn a_cleared_credit_note_is_told_and_an_unavailable_platform_tells_nothing() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    w.simulator.set_unavailable(true);
    assert_eq!(w.submit_due(), 1);
    assert!(
        read_all(&w.app, "invoice.cleared,invoice.rejected")
            .await
            .is_empty(),
        "no verdict yet"
    );
    w.simulator.set_unavailable(false);
    w.app.clock.advance(time::Duration::seconds(30));
    assert_eq!(w.submit_due(), 1);
    events_when(&w.app, "invoice.cleared", 1).await;

    w.app
        .post(&format!("/invoices/{id}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", "cancel")
        .json(&json!({"reason": "Geste commercial"}))
        .send()
        .await
        .assert_status(201);
    assert_eq!(w.submit_due(), 1);
    let cleared = events_when(&w.app, "credit_note.cleared", 1).await;
    assert_eq!(cleared.len(), 1);
    assert_eq!(cleared[0]["data"]["clearance"]["status"], "cleared");
    let types = types_of(&read_all(&w.app, "").await);
    assert_eq!(
        types,
        [
            "invoice.issued",
            "billing_run.completed",
            "invoice.cleared",
            "credit_note.issued",
            "invoice.voided",
            "credit_note.cleared"
        ]
    );
}

#[actix_web::test]
async fn with_einvoicing_off_events_carry_no_clearance() {
    let app = billed_without_einvoicing("2026-02", "2026-03-01").await;
    let issued = events_when(&app, "invoice.issued", 1).await;
    assert!(issued[0]["data"].get("clearance").is_none());
}

#[actix_web::test]
async fn the_clearance_events_are_in_the_catalogue_and_may_be_subscribed_to() {
    let app = TestApp::new().await;
    let document = app.get("/openapi.json").send().await.json();
    let types = &document["components"]["schemas"]["EventResponse"]["properties"]["type"]["enum"];
    for name in [
        "invoice.cleared",
        "invoice.rejected",
        "credit_note.cleared",
        "credit_note.rejected",
        "invoice.issued",
    ] {
        assert!(
            types.as_array().unwrap().iter().any(|t| t == name),
            "{name} in {types}"
        );
    }
    app.get("/events?type=invoice.cleared,credit_note.rejected")
        .admin()
        .send()
        .await
        .assert_status(200);
    let endpoint = app
        .post("/webhooks/endpoints")
        .admin()
        .json(&json!({
            "url": "https://erp.example.ma/hooks",
            "event_types": ["invoice.cleared", "credit_note.cleared"]
        }))
        .send()
        .await;
    endpoint.assert_status(201);
}
