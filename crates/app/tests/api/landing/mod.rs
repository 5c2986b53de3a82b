//! P7–P10: the public landing, step by step in the process map's order, and its security
//! (tokens, rate limits, masking).

mod bootstrap;
mod documents;
mod drafts;
mod lookup;
mod security;

use serde_json::{json, Value};

use crate::support::TestApp;

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
