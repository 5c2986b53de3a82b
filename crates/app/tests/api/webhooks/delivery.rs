//! Signed deliveries to a real receiver: the happy path, retries with the same `webhook-id`,
//! a rotated secret, several workers at once, and nothing of a rolled-back change.

use serde_json::json;

use super::receiver::{verify, Receiver};
use super::{
    create_client, deliveries, endpoint, wait_for_log, wait_until_dispatched, worker_settings,
    Worker, DEADLINE,
};
use crate::catalog::client_body;
use crate::support::TestApp;

#[actix_web::test]
async fn an_event_reaches_the_receiver_signed_with_the_endpoints_secret() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(0);
    let (endpoint_id, secret) = endpoint(&app, &receiver.url, json!(["client.created"])).await;
    let _worker = Worker::start(&app.webhooks, worker_settings(false));
    let client_id = create_client(&app, 1).await;

    let received = receiver.wait_for(DEADLINE, |r| !r.is_empty()).await;
    let message = &received[0];
    assert!(verify(&secret, message), "signature: {}", message.signature);
    assert!(!verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", message));
    let envelope = message.json();
    assert_eq!(envelope["id"], message.id.as_str());
    assert!(message.id.starts_with("evt_"));
    assert_eq!(envelope["type"], "client.created");
    assert_eq!(envelope["data"]["id"], client_id.as_str());

    let log = wait_for_log(&app, &endpoint_id, |log| {
        log["items"][0]["status"] == "succeeded"
    })
    .await;
    let delivery = &log["items"][0];
    assert_eq!(delivery["event_id"], message.id.as_str());
    assert_eq!(delivery["event_type"], "client.created");
    assert_eq!(delivery["attempt_count"], 1);
    assert!(delivery["next_attempt_at"].is_null());
    let attempt = &delivery["attempts"][0];
    assert_eq!(attempt["status_code"], 204);
    assert!(attempt["latency_ms"].as_i64().unwrap() >= 0);
    assert!(attempt["error"].is_null());
    receiver.stop().await;
}

#[actix_web::test]
async fn a_receiver_that_fails_three_times_gets_the_event_again_with_the_same_id() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(3);
    let (endpoint_id, secret) = endpoint(&app, &receiver.url, json!(["*"])).await;
    let _worker = Worker::start(&app.webhooks, worker_settings(false));
    create_client(&app, 1).await;

    let received = receiver.wait_for(DEADLINE, |r| r.len() >= 4).await;
    assert!(received.iter().all(|m| m.id == received[0].id));
    assert!(received.iter().all(|m| m.body == received[0].body));
    assert!(received.iter().all(|m| verify(&secret, m)));

    let log = wait_for_log(&app, &endpoint_id, |log| {
        log["items"][0]["status"] == "succeeded"
    })
    .await;
    let attempts = log["items"][0]["attempts"].as_array().unwrap().clone();
    let codes: Vec<i64> = attempts
        .iter()
        .map(|a| a["status_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [503, 503, 503, 204]);
    assert!(attempts[..3].iter().all(|a| a["error"] == "answered 503"));
    assert!(attempts[..3].iter().all(|a| !a["next_retry_at"].is_null()));
    assert!(attempts[3]["next_retry_at"].is_null());
    // Received once more after success? Never: exactly four requests.
    assert_eq!(receiver.received().len(), 4);
    receiver.stop().await;
}

#[actix_web::test]
async fn after_a_rotation_deliveries_verify_with_the_new_secret_and_for_a_day_the_old() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(0);
    let (endpoint_id, old) = endpoint(&app, &receiver.url, json!(["*"])).await;
    let rotated = app
        .post(&format!("/webhooks/endpoints/{endpoint_id}/rotate-secret"))
        .admin()
        .send()
        .await
        .json();
    let new = rotated["secret"].as_str().unwrap().to_owned();
    let _worker = Worker::start(&app.webhooks, worker_settings(false));
    create_client(&app, 1).await;

    let message = receiver.wait_for(DEADLINE, |r| !r.is_empty()).await[0].clone();
    assert!(verify(&new, &message));
    assert!(
        verify(&old, &message),
        "the old secret signs during the grace"
    );
    assert_eq!(message.signature.split(' ').count(), 2);

    // Once the grace is over, only the new secret signs.
    app.sql("UPDATE webhook_endpoints SET previous_secret_until = now() - interval '1 second'");
    create_client(&app, 2).await;
    let later = receiver.wait_for(DEADLINE, |r| r.len() >= 2).await[1].clone();
    assert!(verify(&new, &later));
    assert!(!verify(&old, &later));
    receiver.stop().await;
}

#[actix_web::test]
async fn an_endpoint_gets_only_the_types_it_asked_for() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(0);
    let (endpoint_id, _) = endpoint(&app, &receiver.url, json!(["invoice.paid"])).await;
    let _worker = Worker::start(&app.webhooks, worker_settings(false));
    create_client(&app, 1).await;
    wait_until_dispatched(&app).await;
    assert_eq!(deliveries(&app, &endpoint_id).await["items"], json!([]));
    assert!(receiver.received().is_empty());
    receiver.stop().await;
}

#[actix_web::test]
async fn two_workers_deliver_each_event_once() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(0);
    let (_, secret) = endpoint(&app, &receiver.url, json!(["client.created"])).await;
    for n in 0..40 {
        create_client(&app, n).await;
    }
    let other = app.webhooks_with(crate::support::test_webhook_settings());
    let _one = Worker::start(&app.webhooks, worker_settings(false));
    let _two = Worker::start(&other, worker_settings(false));

    let received = receiver.wait_for(DEADLINE, |r| r.len() >= 40).await;
    let mut ids: Vec<&str> = received.iter().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    assert!(received.iter().all(|m| verify(&secret, m)));
    let start = std::time::Instant::now();
    while app.count("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'") < 40 {
        assert!(start.elapsed() < DEADLINE, "not every delivery recorded");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.count("SELECT count(*) FROM webhook_attempts"),
        40,
        "one attempt each"
    );
    assert_eq!(receiver.received().len(), 40, "no event sent twice");
    receiver.stop().await;
}

#[actix_web::test]
async fn a_change_that_rolled_back_is_never_delivered() {
    let app = TestApp::new().await;
    let receiver = Receiver::start(0);
    endpoint(&app, &receiver.url, json!(["*"])).await;
    let _worker = Worker::start(&app.webhooks, worker_settings(false));
    create_client(&app, 1).await;
    // The same CIN again: refused, its transaction rolled back.
    app.post("/customers")
        .admin()
        .json(&client_body("WH000001"))
        .send()
        .await
        .assert_status(409);
    create_client(&app, 2).await;
    let received = receiver.wait_for(DEADLINE, |r| r.len() >= 2).await;
    let cins: Vec<String> = received
        .iter()
        .map(|m| {
            m.json()["data"]["cin"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(cins, ["WH000001", "WH000002"]);
    receiver.stop().await;
}
