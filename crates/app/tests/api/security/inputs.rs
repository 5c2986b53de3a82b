//! Hostile inputs on every operation of the served document: oversized bodies, page sizes out
//! of range, malformed path ids, malformed dates and NUL characters are client mistakes
//! (4xx naming what is wrong), never server errors.

use serde_json::{json, Value};
use time::macros::date;

use crate::support::{seed, Answer, TestApp, ADMIN_TOKEN};

use super::operations::{
    date_fields, document, example, operations, placeholder_fixtures, set_path, Fixtures, Operation,
};
use super::{assert_none, describe, method, report, send, unlimited_app};

/// Sends `op` as the admin with `body` (when it takes one) and a fresh idempotency key.
async fn admin_call(
    app: &TestApp,
    op: &Operation,
    path: &str,
    body: Option<Value>,
    what: &str,
) -> Answer {
    let mut call = app.call(method(&op.method), path).admin();
    if op.needs_idempotency_key() {
        call = call.header("idempotency-key", &ulid::Ulid::new().to_string());
    }
    if let Some(body) = body {
        call = call.json(&body);
    }
    send(call, &format!("{} {what}", op.label())).await
}

#[actix_web::test]
async fn every_body_over_one_mebibyte_is_refused_with_413() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let fixtures = placeholder_fixtures();
    let huge = format!("{{\"payload\": \"{}\"}}", "x".repeat(1024 * 1024));
    let mut checked = 0;
    // The usage records' bulk endpoint takes up to 48 MiB; its own test sends more.
    let bulk = |op: &&super::operations::Operation| op.path == "/api/v1/usage/records";
    for op in operations(&doc)
        .iter()
        .filter(|op| op.has_body() && !bulk(op))
    {
        let mut call = app
            .call(method(&op.method), &op.concrete_path(&fixtures, None))
            .admin()
            .raw("application/json", huge.clone());
        if op.needs_idempotency_key() {
            call = call.header("idempotency-key", "oversized-1");
        }
        let answer = send(call, &format!("{} oversized", op.label())).await;
        answer.assert_problem(413, "payload_too_large");
        checked += 1;
    }
    report("413 on oversized bodies", checked);
}

#[actix_web::test]
async fn every_list_refuses_page_sizes_outside_one_to_five_hundred() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let mut fixtures = placeholder_fixtures();
    // The delivery log of an endpoint that does not exist is a 404, not an empty page.
    let endpoint = app
        .post("/webhooks/endpoints")
        .admin()
        .json(&json!({"url": "https://provisioning.example.ma/hooks", "event_types": ["*"]}))
        .send()
        .await
        .json()["id"]
        .as_str()
        .expect("endpoint id")
        .to_owned();
    fixtures.insert("endpoint_id".into(), endpoint);
    let mut checked = 0;
    for op in operations(&doc).iter().filter(|op| op.has_query("limit")) {
        for limit in [
            "0",
            "501",
            "100000000000000000000000",
            "-1",
            "abc",
            "1.5",
            "1e3",
        ] {
            let path = format!("{}?limit={limit}", op.concrete_path(&fixtures, None));
            let answer = admin_call(&app, op, &path, None, &format!("limit={limit}")).await;
            answer.assert_problem(400, "invalid_query");
            assert_eq!(answer.error_fields(), vec!["limit"], "{}", op.label());
            checked += 1;
        }
        let path = format!("{}?limit=500", op.concrete_path(&fixtures, None));
        let answer = admin_call(&app, op, &path, None, "limit=500").await;
        if op.is_landing() {
            // A landing list needs a lookup token: the accepted page size reaches that check.
            answer.assert_problem(403, "forbidden");
        } else {
            answer.assert_status(200);
        }
    }
    assert!(checked > 0, "no list operation found");
    report("400 on page sizes out of range", checked);
}

/// Malformed ids, percent-encoded for the path.
const MALFORMED_IDS: [&str; 8] = [
    "not-an-id",
    "ofr_123",
    "cli_01JD0000000000000000000000",
    "ctr_01JD000000000000000000000U",
    "%00",
    "%27%3B%20DROP%20TABLE%20offers%3B--",
    "%F0%9F%92%A5",
    "..%2F..%2Fetc%2Fpasswd",
];

#[actix_web::test]
async fn malformed_path_ids_are_not_found_never_a_server_error() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let fixtures = placeholder_fixtures();
    let long = "x".repeat(2000);
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&doc)
        .iter()
        .filter(|op| op.has_path_parameters())
    {
        for id in MALFORMED_IDS.iter().copied().chain([long.as_str()]) {
            let path = op.concrete_path(&fixtures, Some(id));
            let body = op
                .body_schema()
                .map(|schema| example(&doc, &schema, "", &fixtures));
            let answer = admin_call(&app, op, &path, body, &format!("id {id}")).await;
            // api-conventions: on the landing, a CIN that cannot have been verified is 403
            // and an unknown contract says no more than "not found".
            let expected: &[u16] = if op.is_landing() { &[403, 404] } else { &[404] };
            if !expected.contains(&answer.status) {
                let id = &id[..id.len().min(40)];
                failures.push(format!("{} id {id}: {}", op.label(), describe(&answer)));
            }
            checked += 1;
        }
    }
    assert_none(&failures);
    report("404 on malformed path ids", checked);
}

/// Real resources (and a lookup token) so that a body reaches its date validation.
async fn seeded_fixtures(app: &TestApp) -> Fixtures {
    let mut fixtures = placeholder_fixtures();
    let client = seed::client(app, "AB123456");
    let offer = seed::offer(app, "MOB-SEC", "mobile", 9_900);
    let other = seed::offer(app, "MOB-SEC-2", "mobile", 19_900);
    let contract = seed::contract(app, &client, &offer, date!(2026 - 02 - 01), "active");
    let subscriber = seed::subscriber(app, &client, "mobile", "+212611223344");
    let token = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": "AB123456"}))
        .send()
        .await
        .json()["lookup_token"]
        .as_str()
        .map(str::to_owned);
    for (name, value) in [
        ("client_id", Some(client)),
        ("offer_id", Some(offer)),
        ("target_offer_id", Some(other)),
        ("contract_id", Some(contract)),
        ("subscriber_id", Some(subscriber)),
        ("cin", Some("AB123456".to_owned())),
        ("lookup_token", token),
    ] {
        if let Some(value) = value {
            fixtures.insert(name.into(), value);
        }
    }
    fixtures
}

const BAD_DATES: [&str; 6] = [
    "2026-02-30",
    "2026-13-01",
    "31/12/2026",
    "yesterday",
    "2026-03-10T09:00:00Z",
    "+002026-03-10",
];

#[actix_web::test]
async fn malformed_dates_in_bodies_and_queries_are_refused_naming_the_field() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let fixtures = seeded_fixtures(&app).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&doc) {
        let path = op.concrete_path(&fixtures, None);
        if let Some(schema) = op.body_schema() {
            let mut fields = Vec::new();
            date_fields(&doc, &schema, "", &mut fields);
            for field in fields {
                for bad in BAD_DATES {
                    let mut body = example(&doc, &schema, "", &fixtures);
                    set_path(&mut body, &field, json!(bad));
                    let what = format!("{field}={bad}");
                    let answer = admin_call(&app, &op, &path, Some(body), &what).await;
                    let refused = answer.status == 400 || answer.status == 422;
                    if !refused || !answer.error_fields().contains(&field) {
                        failures.push(format!("{} {what}: {}", op.label(), describe(&answer)));
                    }
                    checked += 1;
                }
            }
        }
        for parameter in op.parameters() {
            let schema = &parameter["schema"];
            let is_date = schema["format"] == "date"
                || schema["anyOf"][0]["format"] == "date"
                || schema["oneOf"][0]["format"] == "date"
                || parameter["name"] == "period";
            if parameter["in"] != "query" || !is_date {
                continue;
            }
            let name = parameter["name"].as_str().unwrap_or_default().to_owned();
            for bad in BAD_DATES {
                let url = format!("{path}?{name}={}", bad.replace('+', "%2B"));
                let answer = admin_call(&app, &op, &url, None, &format!("{name}={bad}")).await;
                // A usage view's month is its subject too (issue #21, decision 0371).
                if op.is_export() || op.path.ends_with("/usage") {
                    // The exports' dates are their subject, required: 422 naming each field
                    // missing or invalid (issue #22).
                    answer.assert_problem(422, "validation_failed");
                    assert!(answer.error_fields().contains(&name), "{}", op.label());
                } else {
                    answer.assert_problem(400, "invalid_query");
                    assert_eq!(answer.error_fields(), vec![name.clone()], "{}", op.label());
                }
                checked += 1;
            }
        }
    }
    assert_none(&failures);
    assert!(checked > 0, "no date field found");
    report("400/422 on malformed dates", checked);
}

#[actix_web::test]
async fn nul_characters_are_refused_in_every_body_and_query() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let fixtures = placeholder_fixtures();
    let mut checked = 0;
    for op in operations(&doc) {
        let path = op.concrete_path(&fixtures, None);
        if let Some(schema) = op.body_schema() {
            let mut body = example(&doc, &schema, "", &fixtures);
            let Some(field) = body.as_object().and_then(|o| {
                o.iter()
                    .find(|(_, v)| v.is_string())
                    .map(|(k, _)| k.clone())
            }) else {
                continue;
            };
            body[&field] = json!("a\u{0}b");
            let answer = admin_call(&app, &op, &path, Some(body), "NUL in the body").await;
            answer.assert_problem(400, "invalid_body");
            assert_eq!(answer.error_fields(), vec![field], "{}", op.label());
            checked += 1;
        }
        let query = op
            .parameters()
            .into_iter()
            .find(|p| p["in"] == "query")
            .and_then(|p| p["name"].as_str().map(str::to_owned));
        if let (Some(name), false) = (query, op.is_write()) {
            let url = format!("{path}?{name}=a%00b");
            let answer = admin_call(&app, &op, &url, None, "NUL in the query").await;
            assert_eq!(
                answer.status,
                400,
                "{} NUL in {name}: {}",
                op.label(),
                describe(&answer)
            );
            checked += 1;
        }
    }
    report("400 on NUL characters", checked);
}

#[actix_web::test]
async fn the_admin_token_is_never_echoed() {
    // A refused or failed call must not reflect credentials back (they would end up in logs
    // and caches of whatever shows the answer).
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let fixtures = placeholder_fixtures();
    let mut checked = 0;
    for op in operations(&doc) {
        let path = op.concrete_path(&fixtures, None);
        let body = op
            .body_schema()
            .map(|schema| example(&doc, &schema, "", &fixtures));
        let answer = admin_call(&app, &op, &path, body, "as admin").await;
        assert!(
            !String::from_utf8_lossy(&answer.body).contains(ADMIN_TOKEN),
            "{} echoed the token",
            op.label()
        );
        checked += 1;
    }
    report("no credential echoed", checked);
}
