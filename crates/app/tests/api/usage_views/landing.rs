//! `GET /landing/clients/{cin}/usage`: the verified client's usage this month, with the
//! subscriptions list's token check, rate limit and masking.

use domain::settings::Settings;
use time::macros::date;

use super::{kind, offer_with, provision, record, BIG};
use crate::landing::{lookup_token, subscriptions, CIN};
use crate::support::{seed, TestApp};

fn usage_path(cin: &str, token: &str) -> String {
    format!("/landing/clients/{cin}/usage?lookup_token={token}")
}

#[actix_web::test]
async fn the_client_sees_this_months_usage_of_each_contract_in_service_with_lines_masked() {
    let app = TestApp::new().await;
    let client = seed::client(&app, CIN);
    let offer = offer_with(&app, "MOB-L", &BIG);
    let id = provision(&app, &client, &offer, "0612345678", "2026-03-05").await;
    record(&app, &id, "sms", date!(2026 - 03 - 06), 250);
    record(&app, &id, "voice", date!(2026 - 03 - 07), 125);
    // Not shown: a pending contract (no day of service yet), one ended in February, and
    // another client's contract.
    seed::contract(&app, &client, &offer, date!(2026 - 03 - 20), "pending");
    let ended = seed::contract(&app, &client, &offer, date!(2026 - 01 - 01), "active");
    seed::terminate(&app, &ended, date!(2026 - 02 - 10));
    let other = seed::client(&app, "CD654321");
    let theirs = provision(&app, &other, &offer, "0612300099", "2026-03-01").await;
    record(&app, &theirs, "sms", date!(2026 - 03 - 06), 999);

    let token = lookup_token(&app, CIN).await;
    let answer = app.get(&usage_path(CIN, &token)).send().await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["period"], "2026-03");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{body}");
    let usage = &items[0];
    assert_eq!(usage["contract_id"], id.as_str());
    assert_eq!(usage["period"], "2026-03");
    assert_eq!(usage["rated"], true);
    // 27 days of 31: floor(200 × 27 / 31) = 174 SMS included, 76 beyond at 0,50 MAD.
    let sms = kind(usage, "sms");
    assert_eq!(
        (sms["used"].as_i64(), sms["included"].as_i64()),
        (Some(250), Some(174))
    );
    assert_eq!(
        (sms["remaining"].as_i64(), sms["overage_units"].as_i64()),
        (Some(0), Some(76))
    );
    assert_eq!(kind(usage, "voice")["used"], 125);
    assert!(kind(usage, "data")["included"].is_null());
    assert_eq!(usage["overage_excl_tax"], 76 * 50);
    // The line is masked exactly as the subscriptions list masks it.
    let listed = subscriptions(&app, CIN).await;
    let listed = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["contract_id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        usage["service_identifier_masked"],
        listed["service_identifier_masked"]
    );
    assert_eq!(usage["service_identifier_masked"], "+2126••••••78");
    assert_eq!(usage["contract_number"], listed["contract_number"]);
    let text = String::from_utf8(answer.body.clone()).unwrap();
    for secret in ["612345678", "cli_", "Benkirane", &theirs] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

#[actix_web::test]
async fn a_client_without_a_contract_in_service_gets_an_empty_list() {
    let app = TestApp::new().await;
    seed::client(&app, CIN);
    let token = lookup_token(&app, CIN).await;
    let body = app.get(&usage_path(CIN, &token)).send().await.json();
    assert_eq!(body["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(body["period"], "2026-03");
}

#[actix_web::test]
async fn the_usage_needs_a_lookup_token_of_that_cin() {
    let app = TestApp::new().await;
    let client = seed::client(&app, CIN);
    seed::client(&app, "CD654321");
    let offer = offer_with(&app, "MOB-L", &BIG);
    provision(&app, &client, &offer, "0612345678", "2026-03-05").await;
    let mine = lookup_token(&app, CIN).await;
    let theirs = lookup_token(&app, "CD654321").await;
    let tampered = format!("{}x", &mine[..mine.len() - 1]);
    for path in [
        format!("/landing/clients/{CIN}/usage"),
        usage_path(CIN, ""),
        usage_path(CIN, &theirs),
        usage_path(CIN, &tampered),
        usage_path("CD654321", &mine),
        usage_path("not-a-cin", &mine),
    ] {
        let answer = app.get(&path).send().await;
        answer.assert_problem(403, "forbidden");
        assert!(answer.json().get("items").is_none(), "{path}");
    }
    // Fifteen minutes later the token is spent.
    app.clock.advance(time::Duration::minutes(16));
    app.get(&usage_path(CIN, &mine))
        .send()
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn the_usage_counts_against_the_landing_rate_limit() {
    let app = TestApp::with_settings(Settings {
        landing_per_minute: 2,
        ..Settings::default()
    })
    .await;
    seed::client(&app, CIN);
    let token = lookup_token(&app, CIN).await;
    for _ in 0..2 {
        app.get(&usage_path(CIN, &token))
            .send()
            .await
            .assert_status(200);
    }
    let limited = app.get(&usage_path(CIN, &token)).send().await;
    limited.assert_problem(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
}
