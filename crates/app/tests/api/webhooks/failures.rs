//! Failing deliveries: the schedule's end, manual retries, disabling, and internal
//! addresses refused at delivery time.

use std::time::Duration;

use domain::webhooks::{RetrySchedule, WebhookSettings};
use serde_json::json;

use super::receiver::Receiver;
use super::{create_client, endpoint, wait_for_log, worker_settings, Worker, DEADLINE};
use crate::support::{test_webhook_settings, TestApp};

#[actix_web::test]
async fn a_delivery_fails_after_its_last_attempt_and_a_manual_retry_sends_it_again() {
    let app = TestApp::new().await;
    let once = app.webhooks_with(WebhookSettings {
        retry_schedule: RetrySchedule::new(vec![]),
        ..test_webhook_settings()
    });
    let receiver = Receiver::start(1);
    let (endpoint_id, _) = endpoint(&app, &receiver.url, json!(["*"])).await;
    let worker = Worker::start(&once, worker_settings(false));
    create_client(&app, 1).await;
    let log = wait_for_log(&app, &endpoint_id, |log| {
        log["items"][0]["status"] == "failed"
    })
    .await;
    let delivery_id = log["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(log["items"][0]["attempt_count"], 1);

    let answer = app
        .post(&format!("/webhooks/deliveries/{delivery_id}/retry"))
        .admin()
        .send()
        .await;
    answer.assert_status(202);
    assert_eq!(answer.json()["status"], "pending");
    let log = wait_for_log(&app, &endpoint_id, |log| {
        log["items"][0]["status"] == "succeeded"
    })
    .await;
    assert_eq!(log["items"][0]["attempt_count"], 2);
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].id, received[1].id);
    drop(worker);

    app.post("/webhooks/deliveries/whd_01JD0000000000000000000000/retry")
        .admin()
        .send()
        .await
        .assert_problem(404, "webhook_delivery_not_found");
    app.post("/webhooks/deliveries/nope/retry")
        .admin()
        .send()
        .await
        .assert_problem(404, "webhook_delivery_not_found");
    receiver.stop().await;
}

#[actix_web::test]
async fn an_endpoint_that_keeps_failing_is_disabled_and_gets_nothing_more() {
    let app = TestApp::new().await;
    let quick = app.webhooks_with(WebhookSettings {
        disable_after: Duration::from_millis(150),
        retry_schedule: RetrySchedule::parse("100ms,100ms,100ms,100ms,100ms").unwrap(),
        ..test_webhook_settings()
    });
    let receiver = Receiver::start(usize::MAX);
    let (endpoint_id, _) = endpoint(&app, &receiver.url, json!(["*"])).await;
    let _worker = Worker::start(&quick, worker_settings(false));
    create_client(&app, 1).await;

    let start = std::time::Instant::now();
    loop {
        let read = app
            .get(&format!("/webhooks/endpoints/{endpoint_id}"))
            .admin()
            .send()
            .await
            .json();
        if read["enabled"] == false {
            assert!(!read["disabled_at"].is_null());
            assert!(!read["failing_since"].is_null());
            break;
        }
        assert!(start.elapsed() < DEADLINE, "endpoint never disabled");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let log = super::deliveries(&app, &endpoint_id).await;
    let delivery_id = log["items"][0]["id"].as_str().unwrap().to_owned();
    let sent = receiver.received().len();

    // A new event makes no delivery for it, and its pending one is not sent.
    create_client(&app, 2).await;
    super::wait_until_dispatched(&app).await;
    assert_eq!(app.count("SELECT count(*) FROM webhook_deliveries"), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), sent);
    app.post(&format!("/webhooks/deliveries/{delivery_id}/retry"))
        .admin()
        .send()
        .await
        .assert_problem(409, "webhook_endpoint_disabled");
    receiver.stop().await;
}

#[actix_web::test]
async fn a_name_resolving_to_an_internal_address_is_refused_at_delivery() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(0);
    // Created where private addresses are allowed, delivered by a strict worker: the check
    // after resolution is what stops it.
    let url = receiver.url.replace("127.0.0.1", "localhost");
    let (endpoint_id, _) = endpoint(&app, &url, json!(["*"])).await;
    let strict = app.webhooks_with(WebhookSettings {
        allow_private: false,
        ..test_webhook_settings()
    });
    let _worker = Worker::start(&strict, worker_settings(true));
    create_client(&app, 1).await;
    let log = wait_for_log(&app, &endpoint_id, |log| {
        log["items"][0]["attempt_count"].as_i64() >= Some(1)
            && !log["items"][0]["attempts"].as_array().unwrap().is_empty()
    })
    .await;
    let attempt = &log["items"][0]["attempts"][0];
    assert!(attempt["status_code"].is_null());
    assert!(
        attempt["error"]
            .as_str()
            .unwrap()
            .starts_with("address refused"),
        "{attempt}"
    );
    assert!(receiver.received().is_empty());
    receiver.stop().await;
}
