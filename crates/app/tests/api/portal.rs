//! Issue 9: the client portal's page and assets — content types, caching, security headers,
//! and that pages stay out of the API's OpenAPI document and 404/405 answers.
//! Issue 23: content-hashed asset names cached as immutable, the module graph preloaded from
//! the page, and compressed answers.
//! Issue 21: Mon espace shows each contract's usage as bars.

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
    let entry = hashed_refs(&html)
        .into_iter()
        .find(|r| r.starts_with("/assets/app."))
        .expect("the page loads app.js under its hashed name");
    assert!(html.contains(&format!(r#"<script type="module" src="{entry}"></script>"#)));
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
            "/assets/usage.js",
            "text/javascript; charset=utf-8",
            "usagePanel",
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

/// Every `/assets/…` URL quoted in a page or a module (`"/assets/x"`, `'./x'` → `/assets/x`).
fn hashed_refs(text: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for (marker, prefix) in [("\"/assets/", "/assets/"), ("'./", "/assets/")] {
        for part in text.split(marker).skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .collect();
            refs.push(format!("{prefix}{name}"));
        }
    }
    refs.sort();
    refs.dedup();
    refs
}

/// `app.0123456789.js`: a stem, ten hex digits, an extension.
fn is_hashed(path: &str) -> bool {
    let name = path.trim_start_matches("/assets/");
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 3 && parts[1].len() == 10 && parts[1].chars().all(|c| c.is_ascii_hexdigit())
}

#[actix_web::test]
async fn the_page_names_its_files_by_content_hash_and_they_are_immutable() {
    let app = TestApp::new().await;
    let page = send(&app, Method::GET, "/", &[]).await;
    let html = String::from_utf8(page.body.clone()).unwrap();
    let refs = hashed_refs(&html);
    assert!(refs.len() >= 3, "{refs:?}");
    // Walk the whole graph from the page: every reference is hashed and served immutable.
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = refs.clone();
    while let Some(path) = todo.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        assert!(is_hashed(&path), "{path} is not content-hashed");
        let answer = send(&app, Method::GET, &path, &[]).await;
        answer.assert_status(200);
        assert_eq!(
            answer.header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        assert_security_headers(&answer);
        if path.ends_with(".js") {
            todo.extend(hashed_refs(&String::from_utf8_lossy(&answer.body)));
        }
    }
    let modules: Vec<&String> = seen.iter().filter(|p| p.ends_with(".js")).collect();
    assert!(modules.len() >= 10, "{modules:?}");
    // One round: the page itself asks for every module it will import, at any depth.
    for module in modules {
        let requested = html.contains(&format!(r#"<link rel="modulepreload" href="{module}">"#))
            || html.contains(&format!(r#"<script type="module" src="{module}">"#));
        assert!(requested, "the page does not request {module} up front");
    }
    // The page itself changes with each release and is revalidated.
    assert_eq!(page.header("cache-control").as_deref(), Some("no-cache"));
}

#[actix_web::test]
async fn a_hashed_name_serves_the_same_bytes_as_the_plain_name() {
    let app = TestApp::new().await;
    let page = send(&app, Method::GET, "/", &[]).await;
    let html = String::from_utf8(page.body).unwrap();
    let css = hashed_refs(&html)
        .into_iter()
        .find(|r| r.starts_with("/assets/styles."))
        .unwrap();
    let hashed = send(&app, Method::GET, &css, &[]).await;
    let plain = send(&app, Method::GET, "/assets/styles.css", &[]).await;
    assert_eq!(hashed.body, plain.body);
    assert_eq!(plain.header("cache-control").as_deref(), Some("no-cache"));
    // A name with a hash of no current file (an older release) is not found.
    send(&app, Method::GET, "/assets/styles.0000000000.css", &[])
        .await
        .assert_problem(404, "not_found");
}

#[actix_web::test]
async fn answers_are_compressed_for_clients_that_accept_gzip() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/assets/account.js",
        "/assets/styles.css",
        "/api/v1/openapi.json",
    ] {
        let plain = send(&app, Method::GET, path, &[]).await;
        plain.assert_status(200);
        assert!(plain.header("content-encoding").is_none(), "{path}");
        let gzip = send(&app, Method::GET, path, &[("accept-encoding", "gzip")]).await;
        gzip.assert_status(200);
        assert_eq!(
            gzip.header("content-encoding").as_deref(),
            Some("gzip"),
            "{path}"
        );
        assert!(
            gzip.header("vary")
                .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "{path}"
        );
        assert!(
            gzip.body.starts_with(&[0x1f, 0x8b]),
            "{path} body is a gzip stream"
        );
        assert!(
            gzip.body.len() * 2 < plain.body.len(),
            "{path}: {} compressed vs {} plain",
            gzip.body.len(),
            plain.body.len()
        );
        assert_eq!(
            gunzip(&gzip.body),
            plain.body,
            "{path} decompresses to the same bytes"
        );
        let refused = send(&app, Method::GET, path, &[("accept-encoding", "gzip;q=0")]).await;
        assert!(refused.header("content-encoding").is_none(), "{path}");
        assert_eq!(refused.body, plain.body);
    }
}

#[actix_web::test]
async fn answers_under_a_kilobyte_are_sent_as_they_are_to_clients_that_accept_gzip() {
    let app = TestApp::new().await;
    // A small JSON answer and a small problem: compressing them would cost more than it saves.
    for (path, status) in [("/api/v1/health", 200), ("/api/v1/no-such-thing", 404)] {
        let plain = send(&app, Method::GET, path, &[]).await;
        let gzip = send(&app, Method::GET, path, &[("accept-encoding", "gzip, br")]).await;
        gzip.assert_status(status);
        assert!(
            plain.body.len() < 1024,
            "{path}: {} bytes",
            plain.body.len()
        );
        assert!(gzip.header("content-encoding").is_none(), "{path}");
        assert_eq!(gzip.body, plain.body, "{path}");
    }
}

#[actix_web::test]
async fn a_gzipped_file_has_its_own_etag_and_is_revalidated_with_a_304() {
    let app = TestApp::new().await;
    let gzip = [("accept-encoding", "gzip, deflate")];
    let plain = send(&app, Method::GET, "/assets/app.js", &[]).await;
    let first = send(&app, Method::GET, "/assets/app.js", &gzip).await;
    let etag = first.header("etag").unwrap();
    assert_ne!(Some(etag.clone()), plain.header("etag"));
    let again = send(
        &app,
        Method::GET,
        "/assets/app.js",
        &[("accept-encoding", "gzip"), ("if-none-match", &etag)],
    )
    .await;
    again.assert_status(304);
    assert!(again.body.is_empty());
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[actix_web::test]
async fn mon_espace_shows_usage_as_progress_bars_in_french_without_inline_style() {
    let app = TestApp::new().await;
    let page = String::from_utf8(send(&app, Method::GET, "/", &[]).await.body).unwrap();
    let usage = hashed_refs(&page)
        .into_iter()
        .find(|r| r.starts_with("/assets/usage."))
        .expect("the page preloads usage.js under its hashed name");
    let answer = send(&app, Method::GET, &usage, &[]).await;
    answer.assert_status(200);
    assert_security_headers(&answer);
    let module = String::from_utf8(answer.body.clone()).unwrap();
    // Bars are <progress> elements sized by their value: no style attribute or property,
    // which the CSP would refuse, and no markup from strings.
    assert!(module.contains("h('progress'"));
    for forbidden in ["style=", ".style", "innerHTML", "insertAdjacentHTML"] {
        assert!(!module.contains(forbidden), "usage.js uses {forbidden}");
    }
    for french in [
        "Illimité",
        "Hors forfait à ce jour",
        "Consommation de",
        "Dépassement",
    ] {
        assert!(module.contains(french), "usage.js says {french}");
    }
    // The account view asks for the usage and fills each subscription card with it.
    let account = hashed_refs(&page)
        .into_iter()
        .find(|r| r.starts_with("/assets/account."))
        .expect("account.js is preloaded");
    let account = String::from_utf8(send(&app, Method::GET, &account, &[]).await.body).unwrap();
    assert!(account.contains("usagePanel(item)") && account.contains("api.usage("));
    let api = hashed_refs(&page)
        .into_iter()
        .find(|r| r.starts_with("/assets/api."))
        .expect("api.js is preloaded");
    let api = String::from_utf8(send(&app, Method::GET, &api, &[]).await.body).unwrap();
    assert!(api.contains("/usage?lookup_token="));
    // Human units: hours and minutes, SMS, Mo/Go.
    let format = hashed_refs(&page)
        .into_iter()
        .find(|r| r.starts_with("/assets/format."))
        .expect("format.js is preloaded");
    let format = String::from_utf8(send(&app, Method::GET, &format, &[]).await.body).unwrap();
    for unit in ["min`", "h`", "Go`", "Mo`", "SMS`"] {
        assert!(format.contains(unit), "format.js writes {unit}");
    }
}
