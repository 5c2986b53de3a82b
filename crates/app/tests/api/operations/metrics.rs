//! The Prometheus listener: every metric the runbook lists is scraped, labelled with route
//! templates, never with a raw path.

use std::sync::Arc;
use std::time::Duration;

use domain::settings::Settings;
use http_actix::blocking::Gate;
use serde_json::json;
use time::macros::date;

use crate::billing::{World, FEBRUARY_INVOICES};
use crate::support::{Answer, TestApp};

/// Scrapes `GET /metrics` of a listener over `app`'s pool, over real HTTP.
async fn scrape(app: &TestApp) -> String {
    let (server, addrs) =
        app::metrics::serve("127.0.0.1:0", app::metrics::install(), app.store.clone())
            .expect("metrics listener");
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let url = format!("http://{}/metrics", addrs[0]);
    let text = actix_web::web::block(move || {
        let answer = ureq::get(&url).call().expect("scrape");
        assert!(answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")));
        answer.into_string().expect("text")
    })
    .await
    .expect("scrape task");
    handle.stop(false).await;
    text
}

/// The value of the sample `series` (name and labels, exactly as rendered).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

async fn landing_invoices(app: &TestApp, cin: &str) -> Answer {
    app.get(&format!("/landing/clients/{cin}/invoices"))
        .peer("198.51.100.7:40000")
        .send()
        .await
}

#[actix_web::test]
async fn every_listed_metric_is_scraped_with_route_templates_only() {
    app::metrics::install();
    // A billing run, a dunning run, and a landing call over its rate limit.
    let world = World::new().await;
    let run = world
        .run(
            "metrics-feb",
            json!({"period": "2026-02", "issue_date": "2026-03-01"}),
        )
        .await;
    run.assert_status(201);
    let collections = world.app.actor_token(&["collections"]).await;
    world
        .app
        .post("/collections/dunning/runs")
        .token(&collections)
        .json(&json!({"as_of": date!(2026 - 03 - 10).to_string()}))
        .send()
        .await
        .assert_status(200);
    let limited = TestApp::with_settings(Settings {
        landing_per_minute: 1,
        ..Settings::default()
    })
    .await;
    landing_invoices(&limited, "AB123456").await;
    landing_invoices(&limited, "AB123456")
        .await
        .assert_problem(429, "rate_limited");

    let text = scrape(&world.app).await;
    for name in [
        "mtf_http_requests_total",
        "mtf_http_request_duration_seconds_bucket",
        "mtf_http_request_duration_seconds_count",
        "mtf_db_pool_connections_in_use",
        "mtf_db_pool_connections_idle",
        "mtf_db_pool_connections_max",
        "mtf_db_pool_wait_seconds_bucket",
        "mtf_db_pool_timeouts_total",
        "mtf_admission_waiting_requests",
        "mtf_billing_run_duration_seconds_bucket",
        "mtf_invoices_issued_total",
        "mtf_dunning_run_duration_seconds_bucket",
        "mtf_dunning_steps_total",
        "mtf_dunning_last_success_timestamp_seconds",
        "mtf_landing_rate_limited_total",
        "mtf_build_info",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} missing from:\n{text}"
        );
    }
    assert!(text.contains(r#"route="/api/v1/billing/runs",status="201""#));
    assert!(text.contains(
        r#"mtf_landing_rate_limited_total{route="/api/v1/landing/clients/{cin}/invoices"}"#
    ));
    assert!(text.contains(&format!(
        r#"mtf_build_info{{version="{}"}} 1"#,
        env!("CARGO_PKG_VERSION")
    )));
    assert!(
        value(&text, "mtf_invoices_issued_total").is_some_and(|n| n >= FEBRUARY_INVOICES as f64),
        "invoices issued counted"
    );
    assert!(value(
        &text,
        r#"mtf_billing_run_duration_seconds_count{outcome="ok"}"#
    )
    .is_some_and(|n| n >= 1.0));
    assert!(value(
        &text,
        r#"mtf_dunning_run_duration_seconds_count{outcome="ok"}"#
    )
    .is_some_and(|n| n >= 1.0));
    assert!(value(&text, "mtf_db_pool_connections_max").is_some_and(|n| n == 8.0));
    // Paths of this test held CINs; the labels hold their templates only.
    assert!(!text.contains("AB123456"), "a raw path leaked into a label");
    assert!(
        !text.contains("/landing/clients/AB"),
        "a raw path leaked into a label"
    );
}

#[actix_web::test]
async fn requests_waiting_at_the_admission_gate_are_counted_while_they_wait() {
    let app = TestApp::new().await;
    app::metrics::install();
    let gate = Arc::new(Gate::new(1));
    let (release, held) = tokio::sync::oneshot::channel::<()>();
    let first = {
        let gate = gate.clone();
        actix_web::rt::spawn(async move { gate.run(held).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let second = {
        let gate = gate.clone();
        actix_web::rt::spawn(async move { gate.run(async {}).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let waiting = scrape(&app).await;
    release.send(()).expect("first task waits");
    first.await.expect("first").expect("released");
    second.await.expect("second");
    let after = scrape(&app).await;
    assert_eq!(value(&waiting, "mtf_admission_waiting_requests"), Some(1.0));
    assert_eq!(value(&after, "mtf_admission_waiting_requests"), Some(0.0));
}
