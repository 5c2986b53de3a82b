//! Issue #22 §1: an invoice and its credit notes print what was true at the invoice's issue
//! (buyer, line, seller identity), however the client, the line or the seller settings change
//! before the first download (decision 0200).

use actix_web::web;
use domain::services::Services;
use domain::settings::Settings;
use serde_json::{json, Value};

use super::World;
use crate::support::pdf_text::text_of;

const MERGE_PATCH: &str = "application/merge-patch+json";

/// The seller settings after a restart: a new name and registered address.
fn renamed_seller() -> Settings {
    let mut settings = Settings::default();
    settings.seller.name = "MT Télécom Groupe SA".into();
    settings.seller.address = "Tour Casablanca Finance City, Casablanca".into();
    settings
}

impl World {
    /// Hajar moves and changes her name, and the line of `full_month` changes number.
    async fn change_hajar_and_her_line(&self) {
        self.app
            .patch(&format!("/customers/{}", self.hajar))
            .admin()
            .raw(
                MERGE_PATCH,
                json!({"last_name": "Alami", "address": "7 avenue Hassan II", "city": "Tanger"})
                    .to_string(),
            )
            .send()
            .await
            .assert_status(200);
        let contract = self
            .app
            .get(&format!("/contracts/{}", self.full_month))
            .admin()
            .send()
            .await
            .json();
        let line = contract["subscriber_id"].as_str().unwrap();
        self.app
            .patch(&format!("/subscribers/{line}"))
            .admin()
            .raw(
                MERGE_PATCH,
                json!({"service_identifier": "0699999999"}).to_string(),
            )
            .send()
            .await
            .assert_status(200);
    }

    /// `GET path` as the billing actor on `instance`.
    async fn read_on(&self, instance: &web::Data<Services>, path: &str) -> Vec<u8> {
        let answer = self
            .app
            .get(path)
            .token(&self.billing)
            .on(instance)
            .send()
            .await;
        answer.assert_status(200);
        answer.body
    }
}

fn assert_states(text: &str, facts: &[&str]) {
    for fact in facts {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
}

fn assert_omits(text: &str, facts: &[&str]) {
    for fact in facts {
        assert!(!text.contains(fact), "unexpected {fact:?} in:\n{text}");
    }
}

/// What the February invoice of `full_month` was issued with.
const AS_ISSUED: [&str; 5] = [
    "Hajar Benkirane",
    "12 rue Talaa, Fès",
    "MT Télécom SA",
    "Avenue Annakhil, Hay Riad, Rabat, Maroc",
    "CIN : AB123456",
];

/// What changed since.
const CHANGED: [&str; 5] = ["Alami", "Hassan II", "Tanger", "Groupe", "Casablanca"];

#[actix_web::test]
async fn an_invoice_first_downloaded_after_the_client_and_seller_changed_prints_them_as_issued() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_of(&w.full_month).await;
    let id = invoice["id"].as_str().unwrap();
    let line = w.app.count(&format!(
        "SELECT right(service_identifier, 8)::bigint FROM invoices WHERE id = '{id}'"
    ));
    w.change_hajar_and_her_line().await;
    let restarted = w.app.restarted_with(renamed_seller());
    assert_eq!(w.app.count("SELECT count(*) FROM invoice_documents"), 0);

    let text = text_of(&w.read_on(&restarted, &format!("/invoices/{id}/pdf")).await);
    assert_states(&text, &AS_ISSUED);
    assert_states(&text, &[&format!("{line:08}")]);
    assert_omits(&text, &CHANGED);
    assert_omits(&text, &["+212699999999"]);

    let json: Value =
        serde_json::from_slice(&w.read_on(&restarted, &format!("/invoices/{id}")).await).unwrap();
    assert_eq!(
        json["buyer"],
        json!({"name": "Hajar Benkirane", "cin": "AB123456", "ice": null,
               "address": "12 rue Talaa", "city": "Fès"})
    );
    let listed: Value =
        serde_json::from_slice(&w.read_on(&restarted, "/invoices?limit=500").await).unwrap();
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(item["buyer"], json["buyer"]);
}

#[actix_web::test]
async fn a_credit_note_issued_after_the_changes_prints_the_parties_of_its_invoice() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_id_of(&w.full_month).await;
    w.change_hajar_and_her_line().await;
    let restarted = w.app.restarted_with(renamed_seller());
    let note = w
        .app
        .post(&format!("/invoices/{invoice}/credit-notes"))
        .token(&w.billing)
        .header("idempotency-key", "snapshot-note")
        .json(&json!({"reason": "Geste commercial"}))
        .on(&restarted)
        .send()
        .await;
    note.assert_status(201);
    let note = note.json()["id"].as_str().unwrap().to_owned();
    let text = text_of(
        &w.read_on(&restarted, &format!("/credit-notes/{note}/pdf"))
            .await,
    );
    assert_states(&text, &AS_ISSUED);
    assert_states(&text, &["Facture d'avoir"]);
    assert_omits(&text, &CHANGED);
    assert_omits(&text, &["+212699999999"]);
}

#[actix_web::test]
async fn the_next_invoice_prints_the_client_line_and_seller_as_they_are_at_its_issue() {
    let w = World::new().await;
    w.bill_february().await;
    w.change_hajar_and_her_line().await;
    let restarted = w.app.restarted_with(renamed_seller());
    w.app
        .post("/billing/runs")
        .token(&w.billing)
        .header("idempotency-key", "march")
        .json(&json!({"period": "2026-03", "issue_date": "2026-04-01"}))
        .on(&restarted)
        .send()
        .await
        .assert_status(201);
    let march: Value = serde_json::from_slice(
        &w.read_on(&restarted, "/invoices?period=2026-03&limit=500")
            .await,
    )
    .unwrap();
    let invoice = march["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["contract_id"] == w.full_month.as_str())
        .cloned()
        .unwrap();
    assert_eq!(invoice["buyer"]["name"], "Hajar Alami");
    assert_eq!(invoice["buyer"]["city"], "Tanger");
    let id = invoice["id"].as_str().unwrap();
    let text = text_of(&w.read_on(&restarted, &format!("/invoices/{id}/pdf")).await);
    assert_states(
        &text,
        &[
            "Hajar Alami",
            "7 avenue Hassan II, Tanger",
            "MT Télécom Groupe SA",
            "Tour Casablanca Finance City, Casablanca",
            "+212699999999",
        ],
    );
    // One seller identity per distinct value: February's and March's.
    assert_eq!(w.app.count("SELECT count(*) FROM seller_identities"), 2);
}

#[actix_web::test]
async fn the_document_describes_the_invoice_buyer() {
    let w = World::new().await;
    let doc = w.app.get("/openapi.json").send().await.json();
    let schemas = &doc["components"]["schemas"];
    let invoice = &schemas["InvoiceResponse"];
    assert_eq!(
        invoice["properties"]["buyer"]["$ref"],
        "#/components/schemas/BuyerResponse"
    );
    assert!(invoice["required"]
        .as_array()
        .unwrap()
        .contains(&json!("buyer")));
    let buyer = &schemas["BuyerResponse"]["properties"];
    for field in ["name", "cin", "ice", "address", "city"] {
        assert!(buyer.get(field).is_some(), "{field} in {buyer}");
    }
}
