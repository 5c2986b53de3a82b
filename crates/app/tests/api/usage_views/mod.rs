//! Issue #21, seeing usage: a contract's usage by month and the client's on the landing.
//! Records are inserted with SQL and offers get their usage terms by SQL, so these tests stand
//! on the usage schema alone, not on the ingestion endpoint or the catalog's new fields.

mod contract;
mod landing;

use serde_json::{json, Value};
use time::Date;

use crate::support::{seed, TestApp};

/// 10 h of calls, 200 SMS, unlimited data; 1,50 MAD a started minute, 0,50 MAD an SMS,
/// 0,10 MAD a started MB beyond.
pub const BIG: Terms = Terms {
    voice_seconds: Some(36_000),
    sms: Some(200),
    data_bytes: None,
    voice_per_minute: 150,
};

/// 1 h of calls, 50 SMS, unlimited data; 2,00 MAD a started minute beyond.
pub const SMALL: Terms = Terms {
    voice_seconds: Some(3_600),
    sms: Some(50),
    data_bytes: None,
    voice_per_minute: 200,
};

/// Usage terms of an offer.
pub struct Terms {
    pub voice_seconds: Option<i64>,
    pub sms: Option<i64>,
    pub data_bytes: Option<i64>,
    pub voice_per_minute: i64,
}

fn sql_value(value: Option<i64>) -> String {
    value.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
}

/// An active mobile offer with these usage terms (set by SQL, as the catalog's API fields are
/// another part of the issue).
pub fn offer_with(app: &TestApp, code: &str, terms: &Terms) -> String {
    let id = seed::offer(app, code, "mobile", 9_900);
    app.sql(&format!(
        "UPDATE offers SET usage_terms = true, allowance_voice_seconds = {}, \
         allowance_sms = {}, allowance_data_bytes = {}, rate_voice_per_minute = {}, \
         rate_sms_each = 50, rate_data_per_mb = 10 WHERE id = '{id}'",
        sql_value(terms.voice_seconds),
        sql_value(terms.sms),
        sql_value(terms.data_bytes),
        terms.voice_per_minute
    ));
    id
}

/// Provisions `line` on `offer_id` for `client_id` from `start`, over HTTP (the period then
/// snapshots the offer's usage terms); returns the contract id.
pub async fn provision(
    app: &TestApp,
    client_id: &str,
    offer_id: &str,
    line: &str,
    start: &str,
) -> String {
    let answer = app
        .post("/contracts/provision")
        .admin()
        .json(&json!({
            "offer_id": offer_id,
            "client_id": client_id,
            "contract_start_date": start,
            "commitment_months": 12,
            "subscriber": {"service_identifier": line},
            "provisioning_intent": "auto"
        }))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()["id"].as_str().unwrap().to_owned()
}

/// Moves the contract to `offer_id` from `effective`, over HTTP.
pub async fn change_plan(app: &TestApp, contract_id: &str, offer_id: &str, effective: &str) {
    app.put(&format!("/contracts/{contract_id}/offer"))
        .admin()
        .json(&json!({"offer_id": offer_id, "effective_date": effective}))
        .send()
        .await
        .assert_status(200);
}

/// One usage record of the contract on `date` (its Moroccan day), as ingestion stores it.
pub fn record(app: &TestApp, contract_id: &str, kind: &str, date: Date, quantity: i64) {
    let id = format!("rec-{}", ulid::Ulid::new());
    app.sql(&format!(
        "INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, \
         started_at, usage_date, quantity, received_at) \
         SELECT '{id}', c.id, s.service_identifier, '{kind}', \
         (DATE '{date}' + TIME '12:00') AT TIME ZONE 'Africa/Casablanca', DATE '{date}', \
         {quantity}, now() \
         FROM contracts c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = '{contract_id}'"
    ));
}

/// The entry of `kind` in a usage answer.
pub fn kind<'a>(usage: &'a Value, kind: &str) -> &'a Value {
    usage["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {usage}"))
}
