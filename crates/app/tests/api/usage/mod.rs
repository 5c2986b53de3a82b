//! Usage records (issue #21): ingestion over HTTP, its rejections, duplicates, late records,
//! thresholds and access.

mod access;
mod ingest;
mod late_billing;
mod rejections;
mod thresholds;

use serde_json::{json, Value};
use time::macros::date;

use crate::support::{seed, Answer, TestApp};

/// A contract (from 1 Feb 2026) whose line is `line`, on a plan with 1 h of calls, 100 SMS
/// and unlimited data; returns its id.
pub(super) fn usage_contract(app: &TestApp, cin: &str, line: &str) -> String {
    usage_contract_of(app, cin, line).1
}

/// Same; returns the client's id and the contract's.
pub(super) fn usage_contract_of(app: &TestApp, cin: &str, line: &str) -> (String, String) {
    let client = seed::client(app, cin);
    let offer = seed::offer(app, &format!("MOB-{cin}"), "mobile", 9_900);
    let contract = seed::contract(app, &client, &offer, date!(2026 - 02 - 01), "active");
    app.sql(&format!(
        "UPDATE subscribers SET service_identifier = '{line}' \
         WHERE id = (SELECT subscriber_id FROM contracts WHERE id = '{contract}')"
    ));
    app.sql(&format!(
        "UPDATE contract_offer_periods SET usage_terms = true, allowance_voice_seconds = 3600, \
         allowance_sms = 100, allowance_data_bytes = NULL, rate_voice_per_minute = 150, \
         rate_sms_each = 50, rate_data_per_mb = 10 WHERE contract_id = '{contract}'"
    ));
    (client, contract)
}

/// A record object.
pub(super) fn record(id: &str, line: &str, kind: &str, started_at: &str, quantity: i64) -> Value {
    json!({
        "record_id": id,
        "service_identifier": line,
        "kind": kind,
        "started_at": started_at,
        "quantity": quantity,
    })
}

/// The records as NDJSON.
pub(super) fn ndjson(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// Sends NDJSON as the admin.
pub(super) async fn send_ndjson(app: &TestApp, body: impl Into<Vec<u8>>) -> Answer {
    app.post("/usage/records")
        .admin()
        .raw("application/x-ndjson", body)
        .send()
        .await
}

/// The answer's counts `(accepted, duplicates, late)`.
pub(super) fn counts(answer: &Answer) -> (u64, u64, u64) {
    let body = answer.json();
    (
        body["accepted"].as_u64().unwrap(),
        body["duplicates"].as_u64().unwrap(),
        body["late"].as_u64().unwrap(),
    )
}

/// The answer's rejections as `(line, code)`.
pub(super) fn rejected(answer: &Answer) -> Vec<(u64, String)> {
    answer.json()["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
