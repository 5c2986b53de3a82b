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
