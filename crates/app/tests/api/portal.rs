//! Issue 9: the client portal's page and assets — content types, caching, security headers,
//! and that pages stay out of the API's OpenAPI document and 404/405 answers.

use actix_web::http::Method;
use actix_web::test::{self, TestRequest};

use crate::support::{Answer, TestApp};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Sends a request to an absolute path (the support helpers prefix most paths with /api/v1).
async fn send(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> Answer {
    let service =
        test::init_service(http_actix::app(app.services.clone(), app.network.clone())).await;
    let mut request = TestRequest::default().method(method).uri(path);
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let response = test::call_service(&service, request.to_request()).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = test::read_body(response).await.to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

#[track_caller]
fn assert_security_headers(answer: &Answer) {
    assert_eq!(
        answer.header("content-security-policy").as_deref(),
        Some(CSP)
    );
    assert_eq!(
        answer.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        answer.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(answer.header("x-frame-options").as_deref(), Some("DENY"));
}

#[actix_web::test]
async fn the_root_serves_the_portal_page_with_security_headers() {
    let app = TestApp::new().await;
    let answer = send(&app, Method::GET, "/", &[]).await;
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_security_headers(&answer);
    assert_eq!(answer.header("cache-control").as_deref(), Some("no-cache"));
    let html = String::from_utf8(answer.body.clone()).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains(r#"<script type="module" src="/assets/app.js"></script>"#));
    // The CSP forbids inline code: every script has a src, no style element or attribute.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script type=\"module\" src=").count()
    );
    assert!(!html.contains("<style") && !html.contains(" style="));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from another host"
    );
}

#[actix_web::test]
async fn every_asset_is_served_with_its_content_type_and_security_headers() {
    let app = TestApp::new().await;
    let cases = [
        ("/assets/app.js", "text/javascript; charset=utf-8", "import"),
        (
            "/assets/api.js",
            "text/javascript; charset=utf-8",
            "Idempotency-Key",
        ),
        (
            "/assets/subscribe.js",
            "text/javascript; charset=utf-8",
            "submitNew",
        ),
        (
            "/assets/account.js",
            "text/javascript; charset=utf-8",
            "planChange",
        ),
        (
            "/assets/styles.css",
            "text/css; charset=utf-8",
            ":focus-visible",
        ),
        ("/assets/favicon.svg", "image/svg+xml", "<svg"),
    ];
    for (path, content_type, marker) in cases {
        let answer = send(&app, Method::GET, path, &[]).await;
        answer.assert_status(200);
        assert_eq!(
            answer.header("content-type").as_deref(),
            Some(content_type),
            "{path}"
        );
        assert_security_headers(&answer);
        assert!(answer.header("etag").is_some(), "{path} has an ETag");
        assert!(
            String::from_utf8_lossy(&answer.body).contains(marker),
            "{path} holds {marker}"
        );
    }
}

#[actix_web::test]
async fn an_unchanged_asset_is_revalidated_with_a_304_and_no_body() {
    let app = TestApp::new().await;
    let first = send(&app, Method::GET, "/assets/app.js", &[]).await;
    let etag = first.header("etag").unwrap();
    let again = send(
        &app,
        Method::GET,
        "/assets/app.js",
        &[("if-none-match", &etag)],
    )
    .await;
    again.assert_status(304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag));
    let stale = send(
        &app,
        Method::GET,
        "/assets/app.js",
        &[("if-none-match", "\"old\"")],
    )
    .await;
    stale.assert_status(200);
    assert_eq!(stale.body, first.body);
}

#[actix_web::test]
async fn an_unknown_asset_is_a_404_problem() {
    let app = TestApp::new().await;
    for path in ["/assets/nope.js", "/assets/../Cargo.toml", "/assets/a/b.js"] {
        let answer = send(&app, Method::GET, path, &[]).await;
        answer.assert_problem(404, "not_found");
    }
    let answer = send(&app, Method::GET, "/assets/nope.js", &[]).await;
    assert_security_headers(&answer);
}

#[actix_web::test]
async fn other_methods_on_pages_are_405_and_unknown_paths_still_404() {
    let app = TestApp::new().await;
    let posted = send(&app, Method::POST, "/", &[]).await;
    posted.assert_problem(405, "method_not_allowed");
    assert_eq!(posted.header("allow").as_deref(), Some("GET, HEAD"));
    send(&app, Method::DELETE, "/assets/app.js", &[])
        .await
        .assert_problem(405, "method_not_allowed");
    send(&app, Method::GET, "/nowhere", &[])
        .await
        .assert_problem(404, "not_found");
    send(&app, Method::GET, "/api/v1/nowhere", &[])
        .await
        .assert_problem(404, "not_found");
    send(&app, Method::DELETE, "/api/v1/health", &[])
        .await
        .assert_problem(405, "method_not_allowed");
}

#[actix_web::test]
async fn the_portal_pages_are_not_api_operations() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").send().await.json();
    let paths = doc["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    assert!(paths.keys().all(|p| p.starts_with("/api/v1/")), "{paths:?}");
    // The API's own answers carry no page policy (the docs page needs its own scripts).
    let health = app.get("/health").send().await;
    assert!(health.header("content-security-policy").is_none());
}
