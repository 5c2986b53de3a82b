//! P7–P10: the public landing, step by step in the process map's order, and its security
//! (tokens, rate limits, masking).

mod bootstrap;
mod document_links;
mod documents;
mod drafts;
mod journey;
mod lookup;
mod plan_change;
mod plan_change_targets;
mod security;
mod submit_new;

use serde_json::{json, Value};

use crate::support::{Answer, TestApp};

/// The CIN of the seeded client (`support::seed::client`).
pub const CIN: &str = "AB123456";

/// Verifies `cin` and returns its lookup token.
pub async fn lookup_token(app: &TestApp, cin: &str) -> String {
    let answer = app
        .post("/landing/clients/verify-cin")
        .json(&json!({ "cin": cin }))
        .send()
        .await;
    answer.assert_status(200);
    answer.json()["lookup_token"].as_str().unwrap().to_owned()
}

/// The subscriptions of `cin` with a fresh token.
pub async fn subscriptions(app: &TestApp, cin: &str) -> Value {
    let token = lookup_token(app, cin).await;
    let answer = app
        .get(&format!(
            "/landing/clients/{cin}/subscriptions?lookup_token={token}"
        ))
        .send()
        .await;
    answer.assert_status(200);
    answer.json()
}

/// `GET` of an absolute URL returned by the API.
pub async fn get_url(app: &TestApp, url: &str) -> Answer {
    app.get(url).send().await
}

/// The query value `token` of a document URL.
pub fn token_of(url: &str) -> String {
    url.split("token=").nth(1).unwrap().to_owned()
}

/// A valid `submit/new` body for `offer_id` (mobile line +212661234567, start 2026-03-15).
pub fn new_subscription(offer_id: &str) -> Value {
    json!({
        "client": {
            "cin": CIN, "first_name": "Hajar", "last_name": "Benkirane",
            "email": "hajar@example.ma", "phone": "0612345678",
            "address": "12 rue Talaa", "city": "Fès", "birth_date": "1990-05-17"
        },
        "offer_id": offer_id,
        "contract_start_date": "2026-03-15",
        "subscriber": {"service_identifier": "0661234567"}
    })
}

/// `body` with the lookup token of its `client.cin` when that CIN is already a client (as
/// the portal does after `verify-cin`).
pub async fn with_lookup_token(app: &TestApp, mut body: Value) -> Value {
    let cin = body["client"]["cin"]
        .as_str()
        .unwrap_or_default()
        .to_uppercase();
    if app.count(&format!("SELECT count(*) FROM clients WHERE cin = '{cin}'")) > 0 {
        body["lookup_token"] = json!(lookup_token(app, &cin).await);
    }
    body
}

/// `POST /landing/submit/new` with an idempotency key.
pub async fn submit_new(app: &TestApp, key: &str, body: &Value) -> Answer {
    app.post("/landing/submit/new")
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
}

/// `POST /landing/submit/plan-change` with an idempotency key.
pub async fn plan_change(app: &TestApp, key: &str, body: &Value) -> Answer {
    app.post("/landing/submit/plan-change")
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
}

/// Holds the idempotency lock of (scope, key) in another transaction, as a first attempt
/// still running would; call the returned function to let it finish.
pub fn hold_key(app: &TestApp, scope: &str, key: &str) -> impl FnOnce() {
    use domain::tx::TransactionRunner;
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let store = app.store.clone();
    let (scope, key) = (scope.to_owned(), key.to_owned());
    let holder = std::thread::spawn(move || {
        store.run(&mut |uow| {
            assert!(uow.idempotency().try_lock(&scope, &key)?);
            held_tx.send(()).ok();
            release_rx.recv().ok();
            Ok(())
        })
    });
    held_rx.recv().unwrap();
    move || {
        release_tx.send(()).unwrap();
        holder.join().unwrap().unwrap();
    }
}
