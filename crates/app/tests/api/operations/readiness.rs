//! `GET /api/v1/health/ready`: 200 only when the database answers within 1 s and its
//! migrations are current; otherwise 503 problem+json naming the failed check.

use std::time::{Duration, Instant};

use adapters_postgres::PgStore;

use super::{get_with_probe, DOWN_DATABASE};
use crate::support::TestApp;

#[actix_web::test]
async fn a_migrated_reachable_database_is_ready_without_credentials() {
    let app = TestApp::new().await;
    let answer = app.get("/health/ready").send().await;
    answer.assert_status(200);
    assert_eq!(answer.json()["status"], "ready");
}

#[actix_web::test]
async fn a_database_behind_the_binary_s_migrations_is_not_ready() {
    let app = TestApp::new().await;
    // As if the newest migration had not run yet (a new binary started on an old schema).
    app.sql(
        "DELETE FROM __diesel_schema_migrations WHERE version = \
         (SELECT max(version) FROM __diesel_schema_migrations)",
    );
    let answer = get_with_probe(
        app.services.clone(),
        &app.store,
        "/api/v1/health/ready",
        None,
    )
    .await;
    answer.assert_problem(503, "migrations_pending");
    assert_eq!(answer.json()["detail"], "migrations: 1 pending");
    assert!(answer.header("retry-after").is_some());
}

#[actix_web::test]
async fn an_unreachable_database_is_not_ready_within_about_a_second() {
    let app = TestApp::new().await;
    let down = PgStore::connect_lazily(DOWN_DATABASE, 2);
    let started = Instant::now();
    let answer = get_with_probe(app.services.clone(), &down, "/api/v1/health/ready", None).await;
    answer.assert_problem(503, "database_unavailable");
    assert!(answer.header("retry-after").is_some());
    assert!(
        started.elapsed() < Duration::from_millis(2_500),
        "answered after {:?}",
        started.elapsed()
    );
    // The driver's message (host, port, user) stays in the log.
    assert!(!String::from_utf8_lossy(&answer.body).contains("127.0.0.1"));
}

#[actix_web::test]
async fn readiness_is_in_the_served_document_as_public() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").send().await.json();
    let ready = &doc["paths"]["/api/v1/health/ready"]["get"];
    assert!(ready.is_object(), "documented");
    assert_eq!(ready["security"], serde_json::json!([{}]));
    assert!(ready["responses"]["503"].is_object());
}
