//! P15 schedule (decision 0195): the last completed run in the overview, the start-up
//! catch-up when it is more than a day old, and the next run at 02:00 Morocco time computed
//! over the database's tz data (UTC+0 during Ramadan, UTC+1 otherwise).

use domain::collections::schedule::DailyAt;
use serde_json::{json, Value};
use time::macros::{date, datetime};
use time::Duration;

use super::fixtures::{debtor, invoice_due};
use crate::support::TestApp;

async fn overview(app: &TestApp) -> Value {
    let answer = app.get("/collections/overview").admin().send().await;
    answer.assert_status(200);
    answer.json()
}

#[actix_web::test]
async fn the_overview_shows_when_the_last_run_for_today_completed() {
    let app = TestApp::new().await;
    assert_eq!(overview(&app).await["last_dunning_run_at"], Value::Null);
    app.post("/collections/dunning/runs")
        .admin()
        .json(&json!({"as_of": "2026-03-01"}))
        .send()
        .await
        .assert_status(200);
    assert_eq!(
        overview(&app).await["last_dunning_run_at"],
        Value::Null,
        "a run for a past date is not today's run"
    );
    app.clock.advance(Duration::minutes(7));
    app.post("/collections/dunning/runs")
        .admin()
        .json(&json!({}))
        .send()
        .await
        .assert_status(200);
    assert_eq!(
        overview(&app).await["last_dunning_run_at"],
        "2026-03-10T09:07:00Z"
    );
    let viewer = app.actor_token(&["viewer"]).await;
    let seen = app.get("/collections/overview").token(&viewer).send().await;
    seen.assert_status(200);
    assert_eq!(seen.json()["last_dunning_run_at"], "2026-03-10T09:07:00Z");
    app.get("/collections/overview")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn a_start_catches_up_only_when_the_last_run_is_more_than_a_day_old() {
    let app = TestApp::new().await;
    let d = debtor(&app, "400021");
    invoice_due(&app, &d, date!(2026 - 03 - 01), 6_000);
    let dunning = app.services.dunning.clone();
    assert!(app::scheduler::catch_up(dunning.clone()).await, "never run");
    assert_eq!(app.count("SELECT count(*) FROM collection_cases"), 1);
    assert_eq!(
        overview(&app).await["last_dunning_run_at"],
        "2026-03-10T09:00:00Z"
    );
    // A restart the same day, or 23 hours later: the last run is recent enough.
    assert!(!app::scheduler::catch_up(dunning.clone()).await);
    app.clock.advance(Duration::hours(23));
    assert!(!app::scheduler::catch_up(dunning.clone()).await);
    // Down for more than a day: caught up at start.
    app.clock.advance(Duration::hours(2));
    assert!(app::scheduler::catch_up(dunning.clone()).await);
    assert_eq!(
        overview(&app).await["last_dunning_run_at"],
        "2026-03-11T10:00:00Z"
    );
}

#[actix_web::test]
async fn the_next_run_is_at_two_in_the_morning_morocco_time_ramadan_included() {
    let app = TestApp::new().await;
    let dunning = app.services.dunning.clone();
    let next = |dunning: domain::collections::DunningService| {
        actix_web::rt::task::spawn_blocking(move || {
            dunning.next_scheduled_run(DailyAt::DEFAULT).unwrap()
        })
    };
    // 10 March 2026, Ramadan: Morocco is on UTC+0, so 02:00 there is 02:00 UTC.
    assert_eq!(
        next(dunning.clone()).await.unwrap(),
        datetime!(2026-03-11 02:00 UTC)
    );
    // April: back on UTC+1, so 02:00 there is 01:00 UTC.
    app.clock.set(datetime!(2026-04-10 12:00 UTC));
    assert_eq!(
        next(dunning.clone()).await.unwrap(),
        datetime!(2026-04-11 01:00 UTC)
    );
    let late = DailyAt::parse("23:30").unwrap();
    let service = dunning.clone();
    let evening =
        actix_web::rt::task::spawn_blocking(move || service.next_scheduled_run(late).unwrap())
            .await
            .unwrap();
    assert_eq!(evening, datetime!(2026-04-10 22:30 UTC));
}
