//! Issue #20, item 7: headers and edges. Answers with tokens or personal data are neither
//! cached nor sniffed, the docs page has a content security policy and cannot be framed, an
//! over-long URL is a 414 problem, a stalled body a 408 problem, and a JSON object naming a
//! key twice a 400 (decision 0117).

use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::test::{self, TestRequest};
use actix_web::web::{self, Bytes};
use futures_util::{stream, Stream, StreamExt};
use http_actix::network::HttpSettings;
use serde_json::json;

use crate::collections::fixtures::{collector, debtor};
use crate::support::{seed, Answer, TestApp, ADMIN_TOKEN};

#[track_caller]
fn assert_private(answer: &Answer, what: &str) {
    assert_eq!(
        answer.header("cache-control").as_deref(),
        Some("no-store"),
        "{what}"
    );
    assert_eq!(
        answer.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
}

#[actix_web::test]
async fn landing_answers_with_a_token_are_never_stored_or_sniffed() {
    let app = TestApp::new().await;
    seed::client(&app, "AB123456");
    let verified = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": "AB123456"}))
        .send()
        .await;
    verified.assert_status(200);
    assert_private(&verified, "verify-cin");
    let bootstrap = app.get("/landing/bootstrap").send().await;
    bootstrap.assert_status(200);
    assert_private(&bootstrap, "bootstrap");
    let refused = app.get("/landing/clients/AB123456/invoices").send().await;
    assert!(refused.status >= 400);
    assert_private(&refused, "refused landing call");
}

#[actix_web::test]
async fn customer_answers_are_never_stored_or_sniffed() {
    let app = TestApp::new().await;
    let id = seed::client(&app, "AB123456");
    let list = app.get("/customers").admin().send().await;
    list.assert_status(200);
    assert_private(&list, "customer list");
    let one = app.get(&format!("/customers/{id}")).admin().send().await;
    one.assert_status(200);
    assert_private(&one, "one customer");
    // Other answers keep their own caching rules.
    let offers = app.get("/offers").admin().send().await;
    assert_eq!(offers.header("cache-control"), None);
}

#[actix_web::test]
async fn the_docs_page_has_a_content_security_policy_and_cannot_be_framed() {
    let app = TestApp::new().await;
    let page = app.get("/docs/").send().await;
    page.assert_status(200);
    let policy = page.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-eval"), "{policy}");
    assert_eq!(page.header("x-frame-options").as_deref(), Some("DENY"));
    let initializer = app.get("/docs/swagger-initializer.js").send().await;
    initializer.assert_status(200);
    assert_eq!(
        initializer.header("x-frame-options").as_deref(),
        Some("DENY")
    );
}

#[actix_web::test]
async fn an_over_long_url_is_a_414_problem() {
    let app = TestApp::new().await;
    let long = format!("/customers?q={}", "a".repeat(9 * 1024));
    let answer = app.get(&long).admin().send().await;
    answer.assert_problem(414, "uri_too_long");
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    // Just under the limit is served.
    let fits = format!("/customers?q={}", "a".repeat(8 * 1024 - 32));
    app.get(&fits).admin().send().await.assert_status(200);
}

/// A body that sends `{` and then nothing more.
fn stalled_body() -> Payload {
    let trickle: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(stream::once(async { Ok(Bytes::from_static(b"{")) }).chain(stream::pending()));
    Payload::Stream { payload: trickle }
}

#[actix_web::test]
async fn a_body_that_stalls_is_a_408_problem_and_writes_nothing() {
    let app = TestApp::new().await;
    let network = web::Data::new(HttpSettings {
        body_read_timeout: Duration::from_millis(200),
        ..HttpSettings::default()
    });
    let service = test::init_service(http_actix::app(app.services.clone(), network)).await;
    let request = TestRequest::post()
        .uri("/api/v1/offers")
        .insert_header(("authorization", format!("Bearer {ADMIN_TOKEN}")))
        .insert_header(("content-type", "application/json"))
        .peer_addr("127.0.0.1:40000".parse().unwrap())
        .to_request();
    let (request, _) = request.replace_payload(stalled_body());
    let response = actix_web::rt::time::timeout(
        Duration::from_secs(10),
        test::call_service(&service, request),
    )
    .await
    .expect("the server answers instead of waiting for ever");
    assert_eq!(response.status().as_u16(), 408);
    let body: serde_json::Value = test::read_body_json(response).await;
    assert_eq!(body["code"], "request_timeout");
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
}

#[actix_web::test]
async fn duplicate_json_keys_are_refused_with_400_naming_the_key() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "520001");
    let body = format!(
        r#"{{"client_id": "{}", "amount": 100, "method": "cash", "amount": 9999999}}"#,
        d.client_id
    );
    let answer = app
        .post("/collections/payments")
        .token(&token)
        .header("idempotency-key", "dup-1")
        .raw("application/json", body)
        .send()
        .await;
    answer.assert_problem(400, "duplicate_key");
    assert_eq!(answer.error_fields(), ["amount"]);
    let nested = app
        .post("/contracts/provision")
        .admin()
        .raw(
            "application/json",
            r#"{"offer_id": "ofr_1", "client_id": "cli_1", "contract_start_date": "2026-03-10",
                "subscriber": {"service_identifier": "0612000000",
                               "service_identifier": "0612000001"}}"#,
        )
        .send()
        .await;
    nested.assert_problem(400, "duplicate_key");
    assert_eq!(nested.error_fields(), ["subscriber.service_identifier"]);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    // Only the debtor's seeded contract.
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 1);
}
