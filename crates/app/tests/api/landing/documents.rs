//! P10 (and the P8 fallback): document links by CIN ownership.

use serde_json::json;
use time::macros::date;
use time::Duration;

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

/// A contract subscribed through the landing (so it has a real PDF), and its download URL.
async fn subscribed(app: &TestApp, line: &str) -> (String, String) {
    let offer = seed::offer(app, &format!("MOB-{}", &line[6..]), "mobile", 10_000);
    let mut request = super::new_subscription(&offer);
    request["subscriber"]["service_identifier"] = json!(line);
    let request = super::with_lookup_token(app, request).await;
    let answer = super::submit_new(app, line, &request).await;
    answer.assert_status(201);
    let body = answer.json();
    (
        body["contract_id"].as_str().unwrap().to_owned(),
        body["document_download_url"].as_str().unwrap().to_owned(),
    )
}

#[actix_web::test]
async fn p10_a_fresh_link_by_cin_opens_the_latest_document() {
    let app = TestApp::new().await;
    let (contract, _) = subscribed(&app, "0661234567").await;
    let link = app
        .post(&format!("/landing/contracts/{contract}/document-link"))
        .json(&json!({"cin": CIN}))
        .send()
        .await
        .json();
    let pdf = super::get_url(&app, link["document_download_url"].as_str().unwrap()).await;
    pdf.assert_status(200);
    assert!(pdf.body.starts_with(b"%PDF"));
}

#[actix_web::test]
async fn document_tokens_open_one_contract_until_they_expire() {
    let app = TestApp::new().await;
    let (mine, my_url) = subscribed(&app, "0661234567").await;
    let (theirs, their_url) = subscribed(&app, "0662222222").await;
    let token = super::token_of(&my_url);
    let at = |contract: &str, query: &str| format!("/landing/contracts/{contract}/document{query}");

    // Another contract's token, a tampered, a missing and a lookup token: all forbidden.
    app.get(&at(&theirs, &format!("?token={token}")))
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get(&at(
        &mine,
        &format!("?token={}", super::token_of(&their_url)),
    ))
    .send()
    .await
    .assert_problem(403, "forbidden");
    let tampered = format!("{}x", &token[..token.len() - 1]);
    app.get(&at(&mine, &format!("?token={tampered}")))
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get(&at(&mine, ""))
        .send()
        .await
        .assert_problem(403, "forbidden");
    let lookup = super::lookup_token(&app, CIN).await;
    app.get(&at(&mine, &format!("?token={lookup}")))
        .send()
        .await
        .assert_problem(403, "forbidden");

    // Versions: absent → 404, malformed → 400.
    app.get(&format!("{my_url}&version=9"))
        .send()
        .await
        .assert_problem(404, "document_not_found");
    let bad = app.get(&format!("{my_url}&version=first")).send().await;
    bad.assert_problem(400, "invalid_query");
    assert_eq!(bad.error_fields(), vec!["version"]);
    app.get(&format!("{my_url}&version=1"))
        .send()
        .await
        .assert_status(200);

    // Seven days later the link is dead.
    app.clock.advance(Duration::days(7) - Duration::seconds(1));
    app.get(&my_url).send().await.assert_status(200);
    app.clock.advance(Duration::seconds(1));
    app.get(&my_url)
        .send()
        .await
        .assert_problem(403, "forbidden");
}
