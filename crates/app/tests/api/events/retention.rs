//! Events are purged by the retention purge after `event_retention_days`, never before 30.

use serde_json::json;
use time::Duration;

use super::support::events_when;
use crate::support::TestApp;

#[actix_web::test]
async fn events_are_kept_thirty_days_then_purged() {
    let app = TestApp::new().await;
    app.post("/customers")
        .admin()
        .json(&json!({"cin": "AB600001", "first_name": "Hajar", "last_name": "Benkirane"}))
        .send()
        .await
        .assert_status(201);
    events_when(&app, "", 1).await;
    app.clock.advance(Duration::days(29));
    assert_eq!(app.services.retention.purge().unwrap().events, 0);
    assert_eq!(events_when(&app, "", 1).await.len(), 1);
    app.clock.advance(Duration::days(2));
    assert_eq!(app.services.retention.purge().unwrap().events, 1);
    assert_eq!(app.count("SELECT count(*) FROM events"), 0);
}
