//! Reading the feed from tests.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::TestApp;

/// Every event of the feed (types `types`, comma-separated, or all when empty) once at least
/// `n` are visible. The feed waits for every older transaction of the PostgreSQL cluster,
/// and other tests share the cluster, so a few milliseconds may pass before an event shows.
pub async fn events_when(app: &TestApp, types: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let events = read_all(app, types).await;
        if events.len() >= n || Instant::now() > deadline {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every visible event, following `next_cursor` page after page.
pub async fn read_all(app: &TestApp, types: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("/events?limit=100&type={types}");
        if let Some(cursor) = &after {
            path.push_str(&format!("&after={cursor}"));
        }
        let answer = app.get(&path).admin().send().await;
        answer.assert_status(200);
        let body = answer.json();
        let page = body["items"].as_array().cloned().unwrap_or_default();
        if page.is_empty() {
            return events;
        }
        events.extend(page);
        after = body["next_cursor"].as_str().map(str::to_owned);
    }
}

/// The types of `events`, in order.
pub fn types_of(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}
