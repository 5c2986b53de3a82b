//! Rate limits on every landing operation of the served document: over the per-address budget
//! the answer is 429 with a `Retry-After` within the minute, and the limited call does nothing.

use domain::settings::Settings;
use serde_json::json;

use crate::support::TestApp;

use super::operations::{document, example, operations, placeholder_fixtures};
use super::{method, report, send};

#[actix_web::test]
async fn every_landing_operation_is_rate_limited_per_address_with_retry_after() {
    let app = TestApp::with_settings(Settings {
        verify_cin_per_minute: 1,
        landing_per_minute: 1,
        ..Settings::default()
    })
    .await;
    let doc = document(&app).await;
    let fixtures = placeholder_fixtures();
    let mut checked = 0;
    for (i, op) in operations(&doc)
        .into_iter()
        .filter(|op| op.is_landing())
        .enumerate()
    {
        let address = format!("203.0.113.{}", i + 1);
        let path = op.concrete_path(&fixtures, None);
        let body = op
            .body_schema()
            .map(|schema| example(&doc, &schema, "", &fixtures));
        let mut answers = Vec::new();
        let mut drafts = 0;
        for attempt in 0..2 {
            drafts = app.count("SELECT count(*) FROM drafts");
            let mut call = app
                .call(method(&op.method), &path)
                .peer(&format!("{address}:40000"))
                .header("idempotency-key", &format!("rate-{i}-{attempt}"));
            if let Some(body) = &body {
                call = call.json(body);
            }
            answers.push(send(call, &format!("{} call {attempt}", op.label())).await);
        }
        assert_ne!(answers[0].status, 429, "{}: first call limited", op.label());
        answers[1].assert_problem(429, "rate_limited");
        let retry: i64 = answers[1]
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{}: no numeric Retry-After", op.label()));
        assert!(
            (1..=60).contains(&retry),
            "{}: Retry-After {retry}",
            op.label()
        );
        // The limited call did nothing.
        assert_eq!(app.count("SELECT count(*) FROM drafts"), drafts);
        checked += 1;
    }
    assert!(checked > 0, "no landing operation found");
    // verify-cin has its own budget: another address is not affected.
    let other = send(
        app.post("/landing/clients/verify-cin")
            .peer("198.51.100.200:40000")
            .json(&json!({"cin": "ZZ999999"})),
        "verify-cin from a fresh address",
    )
    .await;
    other.assert_problem(404, "client_not_found");
    report("429 with Retry-After", checked);
}

/// Settings where only the budget under test is small.
fn limits(verify_cin_per_minute: i64, landing_per_minute: i64) -> Settings {
    Settings {
        verify_cin_per_minute,
        landing_per_minute,
        ..Settings::default()
    }
}

#[actix_web::test]
async fn confirming_a_code_counts_in_the_verify_budget_and_nothing_else_does() {
    let app = TestApp::with_settings(limits(1, 1_000)).await;
    let peer = "198.51.100.10:40000";
    app.post("/landing/clients/verify-cin")
        .peer(peer)
        .json(&json!({"cin": "ZZ999999"}))
        .send()
        .await
        .assert_problem(404, "client_not_found");
    app.post("/landing/clients/verify-cin/confirm")
        .peer(peer)
        .json(&json!({"challenge_id": "otp_01JD0000000000000000000000", "code": "123456"}))
        .send()
        .await
        .assert_problem(429, "rate_limited");
    // The other landing calls have their own budget.
    app.get("/landing/bootstrap")
        .peer(peer)
        .send()
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_malformed_landing_call_is_counted_before_its_body_is_read() {
    let app = TestApp::with_settings(limits(1_000, 1)).await;
    let peer = "198.51.100.11:40000";
    let drafts = app.count("SELECT count(*) FROM drafts");
    let first = app
        .post("/landing/drafts")
        .peer(peer)
        .raw("application/json", "{not json")
        .send()
        .await;
    assert_eq!(first.status, 400, "first malformed call");
    let second = app
        .post("/landing/drafts")
        .peer(peer)
        .raw("application/json", "{not json")
        .send()
        .await;
    second.assert_problem(429, "rate_limited");
    assert!(second.header("retry-after").is_some());
    assert_eq!(app.count("SELECT count(*) FROM drafts"), drafts);
}

#[actix_web::test]
async fn an_unknown_landing_path_is_404_and_spends_no_budget() {
    let app = TestApp::with_settings(limits(1_000, 1)).await;
    let peer = "198.51.100.12:40000";
    for _ in 0..3 {
        app.get("/landing/nowhere")
            .peer(peer)
            .send()
            .await
            .assert_problem(404, "not_found");
    }
    app.get("/landing/bootstrap")
        .peer(peer)
        .send()
        .await
        .assert_status(200);
}
