//! Webhooks (issue #16): endpoints, signed deliveries to a real local receiver, retries,
//! rotation, disabling and the host rules.

mod delivery;
mod endpoints;
mod failures;
mod receiver;

use std::time::Duration;

use actix_web::web;
use app::webhooks::{SenderSettings, WorkerSettings};
use domain::webhooks::WebhookService;
use serde_json::{json, Value};
use tokio::task::JoinHandle;

use crate::catalog::client_body;
use crate::support::TestApp;

/// Longest wait for a delivery in these tests (polled, never slept through).
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Worker settings of the tests: quick polling, loopback allowed unless `strict`.
pub fn worker_settings(strict: bool) -> WorkerSettings {
    WorkerSettings {
        batch: 64,
        poll: Duration::from_millis(20),
        dispatch_batch: 1_000,
        sender: SenderSettings {
            timeout: Duration::from_secs(5),
            allow_private: !strict,
        },
    }
}

/// Runs the dispatcher and a sender over `webhooks` until the handles are dropped.
pub struct Worker(Vec<JoinHandle<()>>);

impl Worker {
    pub fn start(webhooks: &web::Data<WebhookService>, settings: WorkerSettings) -> Worker {
        Worker(app::webhooks::worker::spawn(
            webhooks.get_ref().clone(),
            settings,
        ))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Creates an endpoint for `url` and `types`; returns its id and secret.
pub async fn endpoint(app: &TestApp, url: &str, types: Value) -> (String, String) {
    let answer = app
        .post("/webhooks/endpoints")
        .admin()
        .json(&json!({"url": url, "event_types": types}))
        .send()
        .await;
    answer.assert_status(201);
    let body = answer.json();
    (
        body["id"].as_str().unwrap().to_owned(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

/// A business change that emits `client.created`: creates a client with CIN `WH<n>`.
pub async fn create_client(app: &TestApp, n: u32) -> String {
    let answer = app
        .post("/customers")
        .admin()
        .json(&client_body(&format!("WH{n:06}")))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()["id"].as_str().unwrap().to_owned()
}

/// The endpoint's delivery log.
pub async fn deliveries(app: &TestApp, endpoint: &str) -> Value {
    let answer = app
        .get(&format!("/webhooks/endpoints/{endpoint}/deliveries"))
        .admin()
        .send()
        .await;
    answer.assert_status(200);
    answer.json()
}

/// Polls the endpoint's delivery log until `done` holds for it.
pub async fn wait_for_log(app: &TestApp, endpoint: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = std::time::Instant::now();
    loop {
        let log = deliveries(app, endpoint).await;
        if done(&log) {
            return log;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "delivery log still not there: {log}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the dispatcher's cursor is at the last event of the outbox.
pub async fn wait_until_dispatched(app: &TestApp) {
    let start = std::time::Instant::now();
    let at_last = "SELECT count(*) FROM webhook_dispatch_cursor c \
         WHERE c.position = (SELECT lpad(to_hex(tx_id::text::bigint), 16, '0') \
                                    || lpad(to_hex(seq), 16, '0') \
                             FROM events ORDER BY tx_id DESC, seq DESC LIMIT 1)";
    while app.count(at_last) == 0 {
        assert!(
            start.elapsed() < DEADLINE,
            "the dispatcher did not reach the last event"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
