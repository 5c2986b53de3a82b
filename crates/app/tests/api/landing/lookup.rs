//! P9 steps 1–2: verify a CIN, then list its subscriptions and eligible offers.

use serde_json::json;
use time::macros::date;
use time::Duration;

use super::{lookup_token, subscriptions, CIN};
use crate::support::{seed, TestApp};

#[actix_web::test]
async fn verifying_a_known_cin_issues_a_15_minute_token_and_greets_by_initial() {
    let app = TestApp::new().await;
    seed::client(&app, CIN);
    let answer = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": " ab123456 "}))
        .send()
        .await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["expires_at"], "2026-03-10T09:15:00Z");
    assert_eq!(
        body["client"],
        json!({"first_name": "Hajar", "last_name_initial": "B."})
    );
    assert!(body["lookup_token"].as_str().unwrap().len() > 40);
    // Nothing else about the client leaves the server.
    let text = String::from_utf8(answer.body.clone()).unwrap();
    for secret in [
        "Benkirane",
        "hajar@example.ma",
        "612345678",
        "Talaa",
        "cli_",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

#[actix_web::test]
async fn an_unknown_cin_is_not_found_and_nothing_more() {
    let app = TestApp::new().await;
    seed::client(&app, CIN);
    let answer = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": "ZZ999999"}))
        .send()
        .await;
    answer.assert_problem(404, "client_not_found");
    let body = answer.json();
    assert!(body.get("lookup_token").is_none() && body.get("client").is_none());
}

#[actix_web::test]
async fn a_malformed_cin_is_a_validation_error_on_cin() {
    let app = TestApp::new().await;
    let answer = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": "12-AB"}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), vec!["cin"]);
    let missing = app
        .post("/landing/clients/verify-cin")
        .json(&json!({}))
        .send()
        .await;
    missing.assert_problem(400, "invalid_body");
    assert_eq!(missing.error_fields(), vec!["cin"]);
}

#[actix_web::test]
async fn subscriptions_list_live_contracts_with_masked_lines_and_eligible_offers() {
    let app = TestApp::new().await;
    let client = seed::client(&app, CIN);
    let current = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let cheaper = seed::offer(&app, "MOB-50", "mobile", 5_000);
    let dearer = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let same_price = seed::offer(&app, "MOB-100B", "mobile", 10_000);
    let retired = seed::offer(&app, "MOB-OLD", "mobile", 15_000);
    let internet = seed::offer(&app, "FIBRE", "internet", 30_000);
    app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{retired}'"
    ));
    let active = seed::contract(&app, &client, &current, date!(2026 - 02 - 01), "active");
    let suspended = seed::contract(&app, &client, &current, date!(2026 - 01 - 01), "suspended");
    seed::contract(&app, &client, &current, date!(2025 - 01 - 01), "terminated");
    // The catalog price moved after signature: the contract keeps its snapshot.
    app.sql(&format!(
        "UPDATE offers SET monthly_price = 12000 WHERE id = '{current}'"
    ));
    let other = seed::client(&app, "CD777777");
    seed::contract(&app, &other, &current, date!(2026 - 02 - 01), "active");

    let body = subscriptions(&app, CIN).await;
    let items = body["items"].as_array().unwrap();
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["contract_id"].as_str().unwrap())
        .collect();
    let mut expected = vec![active.as_str(), suspended.as_str()];
    expected.sort();
    assert_eq!(ids, expected);

    let item = items
        .iter()
        .find(|i| i["contract_id"] == active.as_str())
        .unwrap();
    assert_eq!(item["status"], "active");
    assert_eq!(item["offer"]["id"], current.as_str());
    assert_eq!(item["monthly_price"], 10_000);
    assert_eq!(item["monthly_price_incl_tax"], 12_000);
    assert_eq!(item["contract_start_date"], "2026-02-01");
    assert_eq!(item["commitment_end_date"], "2027-02-01");
    let masked = item["service_identifier_masked"].as_str().unwrap();
    assert!(masked.starts_with("+2126") && masked.contains('•'));
    assert_eq!(masked.chars().filter(|c| *c == '•').count(), 6);
    let eligible: Vec<(&str, &str)> = item["eligible_offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["offer"]["id"].as_str().unwrap(),
                e["direction"].as_str().unwrap(),
            )
        })
        .collect();
    // Current offer (now 120.00) is out as the current one, MOB-100B at the snapshot's
    // price is a lateral move, the retired and the internet offers are not eligible.
    assert_eq!(
        eligible,
        vec![
            (cheaper.as_str(), "downgrade"),
            (same_price.as_str(), "lateral"),
            (dearer.as_str(), "upgrade")
        ]
    );
    assert!(!eligible
        .iter()
        .any(|(id, _)| *id == internet || *id == retired));

    let paused = items
        .iter()
        .find(|i| i["contract_id"] == suspended.as_str())
        .unwrap();
    assert_eq!(paused["status"], "suspended");
    assert_eq!(paused["eligible_offers"], json!([]));
}

#[actix_web::test]
async fn a_client_without_contracts_has_an_empty_list() {
    let app = TestApp::new().await;
    seed::client(&app, CIN);
    assert_eq!(subscriptions(&app, CIN).await, json!({"items": []}));
}

#[actix_web::test]
async fn subscriptions_refuse_a_token_of_another_cin_a_tampered_a_missing_or_an_expired_one() {
    let app = TestApp::new().await;
    seed::client(&app, CIN);
    seed::client(&app, "CD777777");
    let mine = lookup_token(&app, CIN).await;
    let theirs = lookup_token(&app, "CD777777").await;
    let path = |cin: &str, token: &str| {
        format!("/landing/clients/{cin}/subscriptions?lookup_token={token}")
    };

    app.get(&path(CIN, &theirs))
        .send()
        .await
        .assert_problem(403, "forbidden");
    let mut tampered = mine.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    app.get(&path(CIN, &tampered))
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get(&format!("/landing/clients/{CIN}/subscriptions"))
        .send()
        .await
        .assert_problem(403, "forbidden");
    // The CIN in the path is normalised like the token's subject.
    app.get(&path("ab123456", &mine))
        .send()
        .await
        .assert_status(200);

    app.clock.advance(Duration::minutes(15));
    app.get(&path(CIN, &mine))
        .send()
        .await
        .assert_problem(403, "forbidden");
}
