//! Every rejection code, malformed lines, and the whole-body refusals (400, 413, 415, 422).

use serde_json::json;
use time::macros::date;

use super::{counts, ndjson, record, rejected, send_ndjson, usage_contract};
use crate::support::{seed, TestApp};

const LINE: &str = "+212611000002";

#[actix_web::test]
async fn each_bad_record_is_rejected_with_its_code_and_the_batch_goes_on() {
    let app = TestApp::new().await;
    let contract = usage_contract(&app, "AB200001", LINE);
    // A second line whose contract ended on 31 March.
    let ended = usage_contract(&app, "AB200002", "+212611000003");
    seed::terminate(&app, &ended, date!(2026 - 03 - 31));
    let body = [
        ndjson(&[
            record("ok-1", LINE, "voice", "2026-04-10T08:00:00Z", 60),
            record("r-unknown", "+212699999999", "voice", "2026-04-10T08:00:00Z", 60),
            // Before the contract started (1 Feb).
            record("r-early", LINE, "voice", "2026-01-20T08:00:00Z", 60),
            // After the other line's service ended.
            record("r-ended", "+212611000003", "sms", "2026-04-02T08:00:00Z", 1),
            record("r-zero", LINE, "voice", "2026-04-10T08:00:00Z", 0),
            record("r-huge", LINE, "voice", "2026-04-10T08:00:00Z", 2_678_401),
        ]),
        "{\"record_id\":\"r-frac\",\"service_identifier\":\"+212611000002\",\"kind\":\"sms\",\"started_at\":\"2026-04-10T08:00:00Z\",\"quantity\":1.5}\n".into(),
        "{\"record_id\":\"r-kind\",\"service_identifier\":\"+212611000002\",\"kind\":\"mms\",\"started_at\":\"2026-04-10T08:00:00Z\",\"quantity\":1}\n".into(),
        "{\"record_id\":\"r-date\",\"service_identifier\":\"+212611000002\",\"kind\":\"sms\",\"started_at\":\"10/04/2026\",\"quantity\":1}\n".into(),
        "{\"record_id\":\"r-missing\",\"kind\":\"sms\",\"started_at\":\"2026-04-10T08:00:00Z\",\"quantity\":1}\n".into(),
        "this is not json\n".into(),
        "{\"service_identifier\":\"+212611000002\",\"kind\":\"sms\",\"started_at\":\"2026-04-10T08:00:00Z\",\"quantity\":1}\n".into(),
        "{\"record_id\":\"r-extra\",\"service_identifier\":\"+212611000002\",\"kind\":\"sms\",\"started_at\":\"2026-04-10T08:00:00Z\",\"quantity\":1,\"cost\":3}\n".into(),
        ndjson(&[record("ok-2", LINE, "sms", "2026-04-11T08:00:00Z", 3)]),
    ]
    .concat();
    let answer = send_ndjson(&app, body).await;
    answer.assert_status(200);
    assert_eq!(counts(&answer), (2, 0, 0));
    let code = |c: &str| c.to_owned();
    assert_eq!(
        rejected(&answer),
        vec![
            (2, code("unknown_line")),
            (3, code("no_contract_at_time")),
            (4, code("no_contract_at_time")),
            (5, code("invalid_quantity")),
            (6, code("invalid_quantity")),
            (7, code("invalid_quantity")),
            (8, code("invalid_record")),
            (9, code("invalid_record")),
            (10, code("invalid_record")),
            (11, code("invalid_record")),
            (12, code("invalid_record")),
            (13, code("invalid_record")),
        ]
    );
    let body = answer.json();
    let message = |i: usize| body["rejected"][i]["message"].as_str().unwrap().to_owned();
    assert!(message(5).starts_with("quantity"), "{}", message(5));
    assert!(message(6).starts_with("kind"), "{}", message(6));
    assert!(message(7).starts_with("started_at"), "{}", message(7));
    assert!(
        message(8).starts_with("service_identifier"),
        "{}",
        message(8)
    );
    assert!(message(10).starts_with("record_id"), "{}", message(10));
    assert!(message(11).contains("cost"), "{}", message(11));
    assert_eq!(body["rejected"][1]["record_id"], json!("r-early"));
    assert_eq!(body["rejected"][9]["record_id"], json!(null));
    assert_eq!(body["rejected"][6]["record_id"], json!("r-kind"));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM usage_records WHERE contract_id = '{contract}'"
        )),
        2
    );
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 2);
}

#[actix_web::test]
async fn a_body_that_cannot_be_read_as_a_whole_is_refused_and_stores_nothing() {
    let app = TestApp::new().await;
    usage_contract(&app, "AB200003", LINE);
    let post = || app.post("/usage/records").admin();
    post()
        .raw("application/json", "[{\"record_id\": ")
        .send()
        .await
        .assert_problem(400, "malformed_json");
    post()
        .raw("application/json", "{\"record_id\": \"x\"}")
        .send()
        .await
        .assert_problem(400, "invalid_body");
    post()
        .raw("application/x-ndjson", vec![0xff, 0xfe, b'\n'])
        .send()
        .await
        .assert_problem(400, "invalid_body");
    post()
        .raw("text/csv", "record_id;kind\n")
        .send()
        .await
        .assert_problem(415, "unsupported_media_type");
    let empty = post().raw("application/x-ndjson", "\n\n").send().await;
    empty.assert_problem(422, "validation_failed");
    assert_eq!(empty.error_fields(), vec!["body".to_owned()]);
    let too_many = "{}\n".repeat(100_001);
    let answer = post().raw("application/x-ndjson", too_many).send().await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), vec!["body".to_owned()]);
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 0);
}

#[actix_web::test]
async fn a_body_over_48_mib_is_413() {
    let app = TestApp::new().await;
    let line = ndjson(&[record("x", LINE, "sms", "2026-04-10T08:00:00Z", 1)]);
    let mut body = line.repeat(48 * 1024 * 1024 / line.len() + 1).into_bytes();
    body.truncate(48 * 1024 * 1024 + 1);
    app.post("/usage/records")
        .admin()
        .raw("application/x-ndjson", body)
        .send()
        .await
        .assert_problem(413, "payload_too_large");
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 0);
}
