//! The happy path in both body forms, duplicates, late records and a full-size batch.

use serde_json::json;
use time::macros::date;

use super::{counts, ndjson, record, rejected, send_ndjson, usage_contract, usage_contract_of};
use crate::support::{seed, TestApp};

const LINE: &str = "+212611000001";

#[actix_web::test]
async fn ndjson_records_are_stored_on_the_contract_live_on_their_line() {
    let app = TestApp::new().await;
    let contract = usage_contract(&app, "AB100001", LINE);
    let body = ndjson(&[
        // The line in its national spelling: normalised as subscribers store it.
        record(
            "cdr-1",
            "0611000001",
            "voice",
            "2026-04-10T08:00:00+01:00",
            125,
        ),
        record("cdr-2", LINE, "sms", "2026-04-10T09:00:00Z", 1),
        // 23:30 UTC on 30 April is 1 May in Morocco (UTC+1): the record is May's.
        record("cdr-3", LINE, "data", "2026-04-30T23:30:00Z", 5_000_000),
    ]);
    let answer = send_ndjson(&app, body).await;
    answer.assert_status(200);
    assert_eq!(counts(&answer), (3, 0, 0));
    assert!(rejected(&answer).is_empty());
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM usage_records WHERE contract_id = '{contract}' \
             AND service_identifier = '{LINE}' AND NOT late AND billed_invoice_id IS NULL"
        )),
        3
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM usage_records WHERE record_id = 'cdr-3' \
             AND usage_date = DATE '2026-05-01' AND kind = 'data' AND quantity = 5000000"
        ),
        1
    );
}

#[actix_web::test]
async fn a_json_array_is_read_like_ndjson_with_positions_as_lines() {
    let app = TestApp::new().await;
    usage_contract(&app, "AB100002", LINE);
    let answer = app
        .post("/usage/records")
        .admin()
        .json(&json!([
            record("a-1", LINE, "voice", "2026-04-10T08:00:00Z", 60),
            record("a-2", "+212699999999", "voice", "2026-04-10T08:00:00Z", 60),
            {"record_id": "a-3", "service_identifier": LINE, "kind": "sms",
             "started_at": "2026-04-10T08:00:00Z", "quantity": 2, "destination": "+212622222222"},
        ]))
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(counts(&answer), (2, 0, 0));
    assert_eq!(rejected(&answer), vec![(2, "unknown_line".to_owned())]);
    assert_eq!(
        answer.json()["rejected"][0]["record_id"],
        json!("a-2"),
        "{}",
        answer.json()
    );
    assert_eq!(
        app.count("SELECT count(*) FROM usage_records WHERE destination = '+212622222222'"),
        1
    );
}

#[actix_web::test]
async fn a_record_sent_twice_in_a_batch_or_again_later_is_stored_once_and_counted_duplicate() {
    let app = TestApp::new().await;
    usage_contract(&app, "AB100003", LINE);
    let first = record("dup-1", LINE, "voice", "2026-04-10T08:00:00Z", 60);
    let second = record("dup-2", LINE, "voice", "2026-04-11T08:00:00Z", 30);
    let changed = record("dup-1", LINE, "voice", "2026-04-12T08:00:00Z", 999);
    let answer = send_ndjson(&app, ndjson(&[first.clone(), second.clone(), changed])).await;
    answer.assert_status(200);
    assert_eq!(counts(&answer), (2, 1, 0));
    // The first line wins: its quantity is kept.
    assert_eq!(
        app.count("SELECT quantity FROM usage_records WHERE record_id = 'dup-1'"),
        60
    );
    // The whole file sent again: nothing stored twice.
    let again = send_ndjson(&app, ndjson(&[first, second])).await;
    again.assert_status(200);
    assert_eq!(counts(&again), (0, 2, 0));
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 2);
}

#[actix_web::test]
async fn a_record_of_a_month_already_invoiced_is_accepted_as_late() {
    let app = TestApp::new().await;
    let (client_id, contract) = usage_contract_of(&app, "AB100004", LINE);
    seed::invoice(
        &app,
        &client_id,
        &contract,
        "2026-03",
        date!(2026 - 04 - 01),
        date!(2026 - 04 - 16),
        12_000,
    );
    let answer = send_ndjson(
        &app,
        ndjson(&[
            record("l-1", LINE, "voice", "2026-03-30T10:00:00Z", 60),
            record("l-2", LINE, "voice", "2026-04-02T10:00:00Z", 60),
        ]),
    )
    .await;
    answer.assert_status(200);
    assert_eq!(counts(&answer), (2, 0, 1));
    assert_eq!(
        app.count("SELECT count(*) FROM usage_records WHERE late AND record_id = 'l-1'"),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) FROM usage_records WHERE NOT late AND record_id = 'l-2'"),
        1
    );
}

#[actix_web::test]
async fn one_request_carries_one_hundred_thousand_records() {
    let app = TestApp::new().await;
    usage_contract(&app, "AB100005", LINE);
    let mut body = String::with_capacity(100_000 * 130);
    for n in 0..100_000 {
        body.push_str(&format!(
            "{{\"record_id\":\"big-{n}\",\"service_identifier\":\"{LINE}\",\"kind\":\"sms\",\"started_at\":\"2026-04-{:02}T10:00:00Z\",\"quantity\":1}}\n",
            1 + n % 28
        ));
    }
    let answer = send_ndjson(&app, body).await;
    answer.assert_status(200);
    assert_eq!(counts(&answer), (100_000, 0, 0));
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 100_000);
}
