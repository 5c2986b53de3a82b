//! `GET /contracts/{contract_id}/usage`: the month's usage of one contract, rated as the
//! invoice rates it.

use serde_json::json;
use time::macros::date;

use super::{change_plan, kind, offer_with, provision, record, Terms, BIG, SMALL};
use crate::support::{seed, TestApp};

fn usage_path(contract_id: &str, query: &str) -> String {
    format!("/contracts/{contract_id}/usage{query}")
}

#[actix_web::test]
async fn a_contract_started_mid_month_then_moved_to_another_plan_sees_both_allowances() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let small = offer_with(&app, "MOB-S", &SMALL);
    let big = offer_with(&app, "MOB-L", &BIG);
    let id = provision(&app, &client, &small, "0612300000", "2026-03-03").await;
    change_plan(&app, &id, &big, "2026-03-16").await;
    // On the small plan (3–15 March, 13 days): 31 min of calls, data (unlimited on both).
    record(&app, &id, "voice", date!(2026 - 03 - 05), 1_800);
    record(&app, &id, "voice", date!(2026 - 03 - 09), 60);
    record(&app, &id, "data", date!(2026 - 03 - 06), 5_000_000);
    // On the big plan (16–31 March, 16 days).
    record(&app, &id, "voice", date!(2026 - 03 - 20), 600);
    record(&app, &id, "sms", date!(2026 - 03 - 20), 30);
    // Another month's record is not this month's usage.
    record(&app, &id, "voice", date!(2026 - 02 - 27), 50_000);

    let answer = app.get(&usage_path(&id, "")).admin().send().await;
    answer.assert_status(200);
    let usage = answer.json();
    assert_eq!(usage["contract_id"], id.as_str());
    assert_eq!(usage["period"], "2026-03");
    assert_eq!(usage["rated"], true);
    let kinds: Vec<_> = usage["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("voice"), json!("sms"), json!("data")]);
    // Included: floor(3600 × 13/31) + floor(36000 × 16/31) seconds. The small plan's 1860 s
    // exceed its 1509 s by 351 s: 6 started minutes at 2,00 MAD.
    assert_eq!(
        kind(&usage, "voice"),
        &json!({"kind": "voice", "unit": "second", "used": 2_460, "included": 1_509 + 18_580,
                "remaining": 1_509 + 18_580 - 2_460, "overage_units": 6, "overage_excl_tax": 1_200})
    );
    assert_eq!(
        kind(&usage, "sms"),
        &json!({"kind": "sms", "unit": "message", "used": 30, "included": 20 + 103,
                "remaining": 93, "overage_units": 0, "overage_excl_tax": 0})
    );
    assert_eq!(
        kind(&usage, "data"),
        &json!({"kind": "data", "unit": "byte", "used": 5_000_000, "included": null,
                "remaining": null, "overage_units": 0, "overage_excl_tax": 0})
    );
    assert_eq!(usage["overage_excl_tax"], 1_200);
    // Explicitly asking for the current month gives the same answer.
    let same = app
        .get(&usage_path(&id, "?period=2026-03"))
        .admin()
        .send()
        .await;
    assert_eq!(same.json(), usage);
}

#[actix_web::test]
async fn a_past_month_shows_that_months_usage_and_allowance() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let big = offer_with(&app, "MOB-L", &BIG);
    let id = provision(&app, &client, &big, "0612300000", "2026-02-20").await;
    record(&app, &id, "sms", date!(2026 - 02 - 25), 10);
    record(&app, &id, "sms", date!(2026 - 03 - 02), 7);
    let february = app
        .get(&usage_path(&id, "?period=2026-02"))
        .admin()
        .send()
        .await;
    february.assert_status(200);
    let february = february.json();
    assert_eq!(february["period"], "2026-02");
    // 9 days of 28: floor(200 × 9 / 28).
    assert_eq!(kind(&february, "sms")["used"], 10);
    assert_eq!(kind(&february, "sms")["included"], 64);
    let march = app.get(&usage_path(&id, "")).admin().send().await.json();
    assert_eq!(kind(&march, "sms")["used"], 7);
    assert_eq!(kind(&march, "sms")["included"], 200);
}

#[actix_web::test]
async fn unlimited_allowances_have_no_included_amount_nor_overage() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let unlimited = Terms {
        voice_seconds: None,
        sms: None,
        data_bytes: None,
        voice_per_minute: 150,
    };
    let offer = offer_with(&app, "MOB-ILL", &unlimited);
    let id = provision(&app, &client, &offer, "0612300000", "2026-03-01").await;
    record(&app, &id, "voice", date!(2026 - 03 - 02), 10_000_000);
    record(&app, &id, "sms", date!(2026 - 03 - 02), 100_000);
    record(&app, &id, "data", date!(2026 - 03 - 02), 900_000_000_000);
    let usage = app.get(&usage_path(&id, "")).admin().send().await.json();
    assert_eq!(usage["rated"], true);
    for (name, used) in [
        ("voice", 10_000_000_i64),
        ("sms", 100_000),
        ("data", 900_000_000_000),
    ] {
        let k = kind(&usage, name);
        assert_eq!(k["used"], used, "{name}");
        assert!(
            k["included"].is_null() && k["remaining"].is_null(),
            "{name}: {k}"
        );
        assert_eq!(
            (k["overage_units"].as_i64(), k["overage_excl_tax"].as_i64()),
            (Some(0), Some(0))
        );
    }
    assert_eq!(usage["overage_excl_tax"], 0);
}

#[actix_web::test]
async fn a_plan_without_usage_terms_shows_usage_but_rates_none() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let plain = seed::offer(&app, "MOB-99", "mobile", 9_900);
    let id = provision(&app, &client, &plain, "0612300000", "2026-03-01").await;
    record(&app, &id, "voice", date!(2026 - 03 - 04), 5_000);
    let usage = app.get(&usage_path(&id, "")).admin().send().await.json();
    assert_eq!(usage["rated"], false);
    let voice = kind(&usage, "voice");
    assert_eq!(voice["used"], 5_000);
    assert!(voice["included"].is_null());
    assert_eq!(voice["overage_units"], 0);
    assert_eq!(usage["overage_excl_tax"], 0);
}

#[actix_web::test]
async fn every_role_may_read_a_contracts_usage_but_not_without_credentials() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let offer = offer_with(&app, "MOB-L", &BIG);
    let id = provision(&app, &client, &offer, "0612300000", "2026-03-01").await;
    for role in ["agent", "billing", "collections", "viewer"] {
        let token = app.actor_token(&[role]).await;
        app.get(&usage_path(&id, ""))
            .token(&token)
            .send()
            .await
            .assert_status(200);
    }
    app.get(&usage_path(&id, ""))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get(&usage_path(&id, ""))
        .token("not-a-token")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn an_unknown_or_malformed_contract_is_not_found() {
    let app = TestApp::new().await;
    for id in [
        "ctr_01JD0000000000000000000000",
        "not-a-contract",
        "inv_01JD0000000000000000000000",
    ] {
        app.get(&usage_path(id, ""))
            .admin()
            .send()
            .await
            .assert_problem(404, "contract_not_found");
    }
}

#[actix_web::test]
async fn a_period_that_is_not_a_month_of_the_contracts_service_is_refused_on_period() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let offer = offer_with(&app, "MOB-L", &BIG);
    let id = provision(&app, &client, &offer, "0612300000", "2026-02-20").await;
    let pending = seed::contract(&app, &client, &offer, date!(2026 - 03 - 01), "pending");
    let cases = [
        (&id, "2026-3", "YYYY-MM"),
        (&id, "mars", "YYYY-MM"),
        (&id, "2026-13", "YYYY-MM"),
        (&id, "2026-04", "not started yet"),
        (&id, "2026-01", "no day of service"),
        (&pending, "2026-03", "no day of service"),
    ];
    for (contract, period, message) in cases {
        let answer = app
            .get(&usage_path(contract, &format!("?period={period}")))
            .admin()
            .send()
            .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["period"], "{period}");
        assert!(
            answer.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(message),
            "{period}: {}",
            answer.json()
        );
    }
    // The pending contract has no current month either.
    app.get(&usage_path(&pending, ""))
        .admin()
        .send()
        .await
        .assert_problem(422, "validation_failed");
}

#[actix_web::test]
async fn unknown_or_repeated_parameters_are_refused() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let offer = offer_with(&app, "MOB-L", &BIG);
    let id = provision(&app, &client, &offer, "0612300000", "2026-03-01").await;
    for query in ["?month=2026-03", "?period=2026-03&period=2026-02"] {
        app.get(&usage_path(&id, query))
            .admin()
            .send()
            .await
            .assert_problem(400, "invalid_query");
    }
}
