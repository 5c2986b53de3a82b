//! Database outages: with PostgreSQL gone, requests answer 503 `service_unavailable` with
//! `Retry-After` within the pool's checkout time-out, never 500, and nothing panics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use adapters_postgres::store::CHECKOUT_TIMEOUT;
use adapters_postgres::PgStore;
use domain::settings::Settings;

use super::proxy::Relay;
use super::{get_with_probe, DOWN_DATABASE};
use crate::support::{ManualClock, RecordingOtpSender, TestApp, ADMIN_TOKEN};

#[actix_web::test]
async fn with_the_database_down_requests_answer_503_with_retry_after_in_time() {
    let app = TestApp::new().await;
    let down = PgStore::connect_lazily(DOWN_DATABASE, 2);
    let services = app::wiring::services(
        down.clone(),
        Arc::new(ManualClock::new(app.clock_now())),
        b"test-secret-test-secret-test-secret",
        Settings::default(),
        Arc::new(RecordingOtpSender::default()),
    )
    .expect("services start without a database");
    let services = web::Data::new(services);
    for (path, token) in [
        ("/api/v1/offers", Some(ADMIN_TOKEN)),
        ("/api/v1/me", Some(ADMIN_TOKEN)),
        ("/api/v1/landing/bootstrap", None),
    ] {
        let started = Instant::now();
        let answer = get_with_probe(services.clone(), &down, path, token).await;
        answer.assert_problem(503, "service_unavailable");
        assert_eq!(answer.header("retry-after").as_deref(), Some("5"), "{path}");
        assert!(
            started.elapsed() < CHECKOUT_TIMEOUT + Duration::from_secs(2),
            "{path} answered after {:?}",
            started.elapsed()
        );
    }
    // Liveness still answers (the process runs); readiness says why it is not ready.
    let health = get_with_probe(services.clone(), &down, "/api/v1/health", None).await;
    health.assert_status(503);
    get_with_probe(services, &down, "/api/v1/health/ready", None)
        .await
        .assert_problem(503, "database_unavailable");
}

#[actix_web::test]
async fn after_an_outage_the_server_serves_again_within_5_s_without_a_restart() {
    let app = TestApp::new().await;
    let Some(relay) = Relay::to(&app.db.url) else {
        panic!(
            "the test cluster is reached over a Unix socket: {}",
            app.db.url
        );
    };
    let store = PgStore::connect(&relay.url(&app.db.url), 4).expect("pool through the relay");
    let services = web::Data::new(
        app::wiring::services(
            store.clone(),
            Arc::new(ManualClock::new(app.clock_now())),
            b"test-secret-test-secret-test-secret",
            Settings::default(),
            Arc::new(RecordingOtpSender::default()),
        )
        .expect("services"),
    );
    let offers = || {
        get_with_probe(
            services.clone(),
            &store,
            "/api/v1/offers",
            Some(ADMIN_TOKEN),
        )
    };
    for _ in 0..4 {
        offers().await.assert_status(200);
    }

    // PostgreSQL goes away: every pooled connection is broken, no new one can be made.
    relay.cut();
    for _ in 0..3 {
        let started = Instant::now();
        let answer = offers().await;
        answer.assert_problem(503, "service_unavailable");
        assert!(answer.header("retry-after").is_some());
        assert!(started.elapsed() < CHECKOUT_TIMEOUT + Duration::from_secs(2));
    }
    get_with_probe(services.clone(), &store, "/api/v1/health/ready", None)
        .await
        .assert_problem(503, "database_unavailable");

    // It comes back: the same pool serves again, never with a 500 on the way.
    relay.restore().expect("relay listens again");
    let back = Instant::now();
    loop {
        let answer = offers().await;
        if answer.status == 200 {
            break;
        }
        answer.assert_problem(503, "service_unavailable");
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "still unavailable 5 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    get_with_probe(services.clone(), &store, "/api/v1/health/ready", None)
        .await
        .assert_status(200);
    for _ in 0..8 {
        offers().await.assert_status(200);
    }
}

#[actix_web::test]
async fn after_a_restart_while_idle_one_request_at_most_meets_a_broken_connection() {
    let app = TestApp::new().await;
    let Some(relay) = Relay::to(&app.db.url) else {
        panic!(
            "the test cluster is reached over a Unix socket: {}",
            app.db.url
        );
    };
    let store = PgStore::connect(&relay.url(&app.db.url), 4).expect("pool through the relay");
    let services = web::Data::new(
        app::wiring::services(
            store.clone(),
            Arc::new(ManualClock::new(app.clock_now())),
            b"test-secret-test-secret-test-secret",
            Settings::default(),
            Arc::new(RecordingOtpSender::default()),
        )
        .expect("services"),
    );
    // Four idle connections in the pool, then a restart nobody sees: all four are broken.
    let held: Vec<_> = (0..4)
        .map(|_| store.pool().get().expect("connection"))
        .collect();
    drop(held);
    relay.cut();
    relay.restore().expect("relay listens again");
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let answer = get_with_probe(
            services.clone(),
            &store,
            "/api/v1/offers",
            Some(ADMIN_TOKEN),
        )
        .await;
        if answer.status != 200 {
            answer.assert_problem(503, "service_unavailable");
        }
        statuses.push(answer.status);
    }
    // The first failure makes the pool test the other connections before handing them out.
    assert!(
        statuses.iter().filter(|s| **s == 503).count() <= 1,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&200));
}

#[test]
fn a_lost_connection_is_unavailable_not_a_server_fault() {
    use adapters_postgres::errors::storage;
    use diesel::result::{DatabaseErrorKind, Error as DieselError};
    let closed = DieselError::DatabaseError(
        DatabaseErrorKind::ClosedConnection,
        Box::new("server closed the connection unexpectedly".to_owned()),
    );
    assert!(matches!(storage(closed), domain::Error::Unavailable(_)));
    assert!(matches!(
        storage(DieselError::BrokenTransactionManager),
        domain::Error::Unavailable(_)
    ));
    let shutdown = DieselError::DatabaseError(
        DatabaseErrorKind::Unknown,
        Box::new("terminating connection due to administrator command".to_owned()),
    );
    assert!(matches!(storage(shutdown), domain::Error::Unavailable(_)));
    let other = DieselError::DatabaseError(
        DatabaseErrorKind::Unknown,
        Box::new("division by zero".to_owned()),
    );
    assert!(matches!(storage(other), domain::Error::Storage(_)));
}
