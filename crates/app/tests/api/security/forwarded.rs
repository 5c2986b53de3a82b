//! Issue #20, item 2: the landing limits count the TCP peer, not a header the client writes.
//! Forwarded headers are believed only from `MTF_TRUSTED_PROXIES`, and then only their
//! right-most hop that is not itself a trusted proxy. `verify-cin` is also limited per CIN
//! from any address, and one address holds a bounded number of open drafts.

use actix_web::web;
use domain::settings::Settings;
use http_actix::network::{parse_cidrs, ForwardedHeader, HttpSettings};
use serde_json::json;
use time::Duration;

use crate::support::{seed, Answer, Call, TestApp};

use super::report;

const CIN: &str = "AB123456";

async fn verify(call: Call<'_>, cin: &str) -> Answer {
    call.json(&json!({ "cin": cin })).send().await
}

/// Three `verify-cin` calls a minute per address; nothing else gets in the way.
async fn three_a_minute() -> TestApp {
    TestApp::with_settings(Settings {
        verify_cin_per_minute: 3,
        ..Settings::default()
    })
    .await
}

/// The same application behind a reverse proxy in 10.0.0.0/8 writing `header`.
fn behind_proxy(app: &mut TestApp, header: ForwardedHeader) {
    app.network = web::Data::new(HttpSettings {
        trusted_proxies: parse_cidrs("10.0.0.0/8").unwrap(),
        forwarded_header: header,
        ..HttpSettings::default()
    });
}

#[actix_web::test]
async fn fake_forwarded_headers_from_an_untrusted_peer_do_not_reset_the_limit() {
    let app = three_a_minute().await;
    for i in 0..3 {
        let call = app
            .post("/landing/clients/verify-cin")
            .peer("203.0.113.7:40000")
            .header("x-forwarded-for", &format!("198.51.100.{i}"))
            .header("forwarded", &format!("for=192.0.2.{i}"));
        verify(call, "ZZ999999")
            .await
            .assert_problem(404, "client_not_found");
    }
    let call = app
        .post("/landing/clients/verify-cin")
        .peer("203.0.113.7:40000")
        .header("x-forwarded-for", "198.51.100.99")
        .header("forwarded", "for=192.0.2.99");
    let limited = verify(call, "ZZ999998").await;
    limited.assert_problem(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    // The counter is the peer's, under the peer's name.
    assert_eq!(
        app.count("SELECT count(*) FROM rate_limit_windows WHERE bucket = 'landing:verify-cin:203.0.113.7' AND hits = 4"),
        1
    );
    report("fake forwarded headers ignored", 2);
}

#[actix_web::test]
async fn a_trusted_proxy_counts_the_right_most_untrusted_forwarded_address() {
    let mut app = three_a_minute().await;
    behind_proxy(&mut app, ForwardedHeader::XForwardedFor);
    // The client prepends a different fake address each time; the proxies append the real
    // one (and, for the second hop, the first proxy's address).
    for i in 0..3 {
        let call = app
            .post("/landing/clients/verify-cin")
            .peer("10.0.0.1:40000")
            .header(
                "x-forwarded-for",
                &format!("198.51.100.{i}, 203.0.113.7, 10.0.0.2"),
            );
        verify(call, "ZZ999999")
            .await
            .assert_problem(404, "client_not_found");
    }
    let call = app
        .post("/landing/clients/verify-cin")
        .peer("10.0.0.1:40000")
        .header("x-forwarded-for", "198.51.100.99, 203.0.113.7");
    verify(call, "ZZ999999")
        .await
        .assert_problem(429, "rate_limited");
    // Another client behind the same proxy has its own budget.
    let call = app
        .post("/landing/clients/verify-cin")
        .peer("10.0.0.1:40000")
        .header("x-forwarded-for", "203.0.113.8");
    verify(call, "ZZ999999")
        .await
        .assert_problem(404, "client_not_found");
    report("trusted proxy: right-most untrusted hop", 3);
}

#[actix_web::test]
async fn only_the_configured_forwarded_header_is_read() {
    let mut app = three_a_minute().await;
    behind_proxy(&mut app, ForwardedHeader::Forwarded);
    for i in 0..3 {
        let call = app
            .post("/landing/clients/verify-cin")
            .peer("10.0.0.1:40000")
            .header("x-forwarded-for", &format!("198.51.100.{i}"))
            .header(
                "forwarded",
                &format!("for=192.0.2.{i};proto=https, for=\"[2001:db8:7::1]:4711\""),
            );
        verify(call, "ZZ999999")
            .await
            .assert_problem(404, "client_not_found");
    }
    // Another address in the same IPv6 /64 is the same client.
    let call = app
        .post("/landing/clients/verify-cin")
        .peer("10.0.0.1:40000")
        .header("forwarded", "for=\"[2001:db8:7::2]\"");
    verify(call, "ZZ999999")
        .await
        .assert_problem(429, "rate_limited");
    report("configured header only, IPv6 per /64", 2);
}

#[actix_web::test]
async fn verify_cin_is_limited_per_cin_from_any_address_known_or_not() {
    let app = TestApp::with_settings(Settings {
        verify_cin_per_cin_per_hour: 3,
        ..Settings::default()
    })
    .await;
    seed::client(&app, CIN);
    app.clock.advance(Duration::minutes(20)); // 09:20, 40 minutes before the hour ends
    let mut limited = Vec::new();
    for (cin, found) in [(CIN, 200), ("ZZ999999", 404)] {
        for i in 0..3 {
            let call = app
                .post("/landing/clients/verify-cin")
                .peer(&format!("203.0.113.{i}:40000"));
            verify(call, cin).await.assert_status(found);
        }
        let call = app
            .post("/landing/clients/verify-cin")
            .peer("198.51.100.50:40000");
        let answer = verify(call, cin).await;
        answer.assert_problem(429, "rate_limited");
        assert_eq!(answer.header("retry-after").as_deref(), Some("2400"));
        limited.push(answer);
    }
    // A known and an unknown CIN are refused alike: the limit says nothing of the CIN.
    let alike = |answer: &Answer| {
        let mut body = answer.json();
        body.as_object_mut().map(|o| o.remove("request_id"));
        body
    };
    assert_eq!(alike(&limited[0]), alike(&limited[1]));
    // Another CIN from the same addresses is not affected.
    let call = app
        .post("/landing/clients/verify-cin")
        .peer("198.51.100.50:40000");
    verify(call, "ZZ999990")
        .await
        .assert_problem(404, "client_not_found");
    // No CIN is stored in the counters.
    assert_eq!(
        app.count("SELECT count(*) FROM rate_limit_windows WHERE bucket ILIKE '%AB123456%' OR bucket ILIKE '%ZZ9999%'"),
        0
    );
    // The next hour starts afresh.
    app.clock.advance(Duration::minutes(40));
    let call = app
        .post("/landing/clients/verify-cin")
        .peer("198.51.100.50:40000");
    verify(call, CIN).await.assert_status(200);
    report("per-CIN verify-cin limit", 6);
}

async fn create_draft(app: &TestApp, peer: &str) -> Answer {
    app.post("/landing/drafts")
        .peer(peer)
        .header("x-forwarded-for", "198.51.100.77")
        .json(&json!({"payload": {"step": 1}}))
        .send()
        .await
}

#[actix_web::test]
async fn open_drafts_are_capped_per_address() {
    let app = TestApp::with_settings(Settings {
        drafts_per_address: 3,
        ..Settings::default()
    })
    .await;
    for _ in 0..3 {
        create_draft(&app, "203.0.113.7:40000")
            .await
            .assert_status(201);
    }
    let refused = create_draft(&app, "203.0.113.7:40001").await;
    refused.assert_problem(409, "too_many_open_drafts");
    assert_eq!(app.count("SELECT count(*) FROM drafts"), 3);
    // Another address has its own cap; an IPv6 client counts by its /64.
    create_draft(&app, "198.51.100.9:40000")
        .await
        .assert_status(201);
    for host in 1..=3 {
        create_draft(&app, &format!("[2001:db8:1:2::{host}]:40000"))
            .await
            .assert_status(201);
    }
    create_draft(&app, "[2001:db8:1:2::ffff]:40000")
        .await
        .assert_problem(409, "too_many_open_drafts");
    // Drafts keep a digest of the address, never the address.
    assert_eq!(
        app.count("SELECT count(*) FROM drafts WHERE created_by IS NULL OR created_by LIKE '%203.0.113%' OR created_by LIKE '%2001:db8%'"),
        0
    );
    // Expired drafts no longer count.
    app.clock.advance(Duration::days(30));
    create_draft(&app, "203.0.113.7:40000")
        .await
        .assert_status(201);
    report("open drafts per address", 5);
}
