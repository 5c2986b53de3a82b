//! Rate limits of the public endpoints: per client address (the TCP peer here; forwarded
//! headers are covered in `security::forwarded`), shared through PostgreSQL.

use serde_json::json;
use time::Duration;

use domain::settings::Settings;

use crate::support::TestApp;

async fn verify_from(app: &TestApp, address: &str) -> crate::support::Answer {
    app.post("/landing/clients/verify-cin")
        .peer(&format!("{address}:40000"))
        .json(&json!({"cin": "ZZ999999"}))
        .send()
        .await
}

#[actix_web::test]
async fn verify_cin_is_limited_per_address_with_retry_after() {
    let app = TestApp::with_settings(Settings {
        verify_cin_per_minute: 3,
        ..Settings::default()
    })
    .await;
    app.clock.advance(Duration::seconds(20)); // 09:00:20, 40 s before the window ends
    for _ in 0..3 {
        verify_from(&app, "203.0.113.7")
            .await
            .assert_problem(404, "client_not_found");
    }
    let limited = verify_from(&app, "203.0.113.7").await;
    limited.assert_problem(429, "rate_limited");
    assert_eq!(limited.header("retry-after").as_deref(), Some("40"));
    // Another address has its own budget.
    verify_from(&app, "198.51.100.9")
        .await
        .assert_problem(404, "client_not_found");
    // The next minute starts a new window.
    app.clock.advance(Duration::seconds(40));
    verify_from(&app, "203.0.113.7")
        .await
        .assert_problem(404, "client_not_found");
}

#[actix_web::test]
async fn other_landing_calls_share_their_own_limit() {
    let app = TestApp::with_settings(Settings {
        landing_per_minute: 2,
        verify_cin_per_minute: 1,
        ..Settings::default()
    })
    .await;
    app.get("/landing/bootstrap")
        .send()
        .await
        .assert_status(200);
    app.post("/landing/drafts")
        .json(&json!({"payload": {}}))
        .send()
        .await
        .assert_status(201);
    let limited = app.get("/landing/bootstrap").send().await;
    limited.assert_problem(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    app.get("/landing/drafts/drf_01JD0000000000000000000000")
        .send()
        .await
        .assert_problem(429, "rate_limited");
    // verify-cin counts separately.
    app.post("/landing/clients/verify-cin")
        .json(&json!({"cin": "ZZ999999"}))
        .send()
        .await
        .assert_problem(404, "client_not_found");
    // A limited call did nothing.
    assert_eq!(app.count("SELECT count(*) FROM drafts"), 1);
}

#[actix_web::test]
async fn invoice_self_service_calls_are_rate_limited_too() {
    let app = TestApp::with_settings(Settings {
        landing_per_minute: 1,
        ..Settings::default()
    })
    .await;
    app.get("/landing/clients/AB123456/invoices?lookup_token=x")
        .send()
        .await
        .assert_problem(403, "forbidden");
    let limited = app
        .get("/landing/invoices/inv_01JD0000000000000000000000/document?token=x")
        .send()
        .await;
    limited.assert_problem(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
}
