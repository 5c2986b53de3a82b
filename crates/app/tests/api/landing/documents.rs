//! P10 (and the P8 fallback): document links by CIN ownership.

use serde_json::json;
use time::macros::date;

use crate::support::{seed, TestApp};

use super::CIN;

#[actix_web::test]
async fn the_owner_gets_a_seven_day_link_bound_to_the_contract() {
    let app = TestApp::new().await;
    let client = seed::client(&app, CIN);
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let contract = seed::contract(&app, &client, &offer, date!(2026 - 02 - 01), "active");
    let answer = app
        .post(&format!("/landing/contracts/{contract}/document-link"))
        .json(&json!({"cin": "ab123456"}))
        .send()
        .await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["expires_at"], "2026-03-17T09:00:00Z");
    let url = body["document_download_url"].as_str().unwrap();
    let prefix = format!("/api/v1/landing/contracts/{contract}/document?token=");
    assert!(url.starts_with(&prefix), "{url}");
    assert!(url.len() > prefix.len() + 40);
}

#[actix_web::test]
async fn another_cin_an_unknown_and_a_malformed_contract_all_look_not_found() {
    let app = TestApp::new().await;
    let client = seed::client(&app, CIN);
    seed::client(&app, "CD777777");
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let contract = seed::contract(&app, &client, &offer, date!(2026 - 02 - 01), "active");
    for (id, cin) in [
        (contract.as_str(), "CD777777"),
        (contract.as_str(), "ZZ999999"),
        ("ctr_01JD0000000000000000000000", CIN),
        ("not-an-id", CIN),
    ] {
        let answer = app
            .post(&format!("/landing/contracts/{id}/document-link"))
            .json(&json!({ "cin": cin }))
            .send()
            .await;
        answer.assert_problem(404, "contract_not_found");
        assert_eq!(answer.json()["detail"], "contract not found");
    }
    let invalid = app
        .post(&format!("/landing/contracts/{contract}/document-link"))
        .json(&json!({"cin": "???"}))
        .send()
        .await;
    invalid.assert_problem(422, "validation_failed");
    assert_eq!(invalid.error_fields(), vec!["cin"]);
}
