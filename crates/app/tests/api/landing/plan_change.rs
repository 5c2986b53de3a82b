//! P9 step 3: plan changes and every rule that refuses one. (The full P8 → P9 journey with
//! two document versions is in `journey.rs`.)

use serde_json::{json, Value};
use time::macros::date;
use time::Duration;

use super::{hold_key, lookup_token, new_subscription, plan_change, submit_new, CIN};
use crate::support::{seed, TestApp};

/// A client with a live mobile contract on MOB-100 (100.00 excl. tax) from 2026-03-15,
/// provisioned through the landing; returns (contract id, offer id).
async fn subscribed(app: &TestApp) -> (String, String) {
    let offer = seed::offer(app, "MOB-100", "mobile", 10_000);
    let answer = submit_new(app, "setup", &new_subscription(&offer)).await;
    answer.assert_status(201);
    (
        answer.json()["contract_id"].as_str().unwrap().to_owned(),
        offer,
    )
}

fn change(token: &str, contract: &str, target: &str, date: &str) -> Value {
    json!({
        "cin": CIN, "lookup_token": token, "contract_id": contract,
        "target_offer_id": target, "contract_start_date": date
    })
}

/// Fields a refused change must leave untouched.
fn state(app: &TestApp, contract: &str) -> (i64, i64, i64) {
    (
        app.count(&format!(
            "SELECT document_version FROM contracts WHERE id = '{contract}'"
        )),
        app.count(&format!(
            "SELECT count(*) FROM contract_offer_periods WHERE contract_id = '{contract}'"
        )),
        app.count(&format!(
            "SELECT count(*) FROM contract_documents WHERE contract_id = '{contract}'"
        )),
    )
}

#[actix_web::test]
async fn every_broken_rule_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let (contract, current) = subscribed(&app).await;
    let fibre = seed::offer(&app, "FIBRE", "internet", 30_000);
    let retired = seed::offer(&app, "MOB-OLD", "mobile", 20_000);
    app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{retired}'"
    ));
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let token = lookup_token(&app, CIN).await;
    let before = state(&app, &contract);

    let cases = [
        (current.as_str(), "2026-03-20", 422, "same_offer"),
        (fibre.as_str(), "2026-03-20", 422, "service_type_mismatch"),
        (retired.as_str(), "2026-03-20", 422, "offer_retired"),
        (dear.as_str(), "2026-03-14", 422, "effective_date_too_early"),
        (
            "ofr_01JD0000000000000000000000",
            "2026-03-20",
            404,
            "offer_not_found",
        ),
    ];
    for (i, (target, date, status, code)) in cases.into_iter().enumerate() {
        plan_change(
            &app,
            &format!("k{i}"),
            &change(&token, &contract, target, date),
        )
        .await
        .assert_problem(status, code);
    }
    let bad_date = plan_change(
        &app,
        "k-date",
        &change(&token, &contract, &dear, "20-03-2026"),
    )
    .await;
    bad_date.assert_problem(422, "validation_failed");
    assert_eq!(bad_date.error_fields(), vec!["contract_start_date"]);

    app.sql(&format!(
        "UPDATE contracts SET status = 'suspended' WHERE id = '{contract}'"
    ));
    plan_change(
        &app,
        "k-susp",
        &change(&token, &contract, &dear, "2026-03-20"),
    )
    .await
    .assert_problem(422, "contract_not_active");
    app.sql(&format!(
        "UPDATE contracts SET status = 'active' WHERE id = '{contract}'"
    ));

    assert_eq!(state(&app, &contract), before);
    assert_eq!(
        app.count("SELECT count(*) FROM idempotency_records WHERE idempotency_key LIKE 'k%'"),
        0
    );
}

#[actix_web::test]
async fn a_past_day_of_the_current_period_is_accepted_but_not_more_than_a_year_ahead() {
    let app = TestApp::new().await;
    let (contract, _) = subscribed(&app).await;
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    app.clock.advance(Duration::days(10)); // today 2026-03-20, period from 2026-03-15
    let token = lookup_token(&app, CIN).await;
    let far = plan_change(&app, "k1", &change(&token, &contract, &dear, "2027-03-22")).await;
    far.assert_problem(422, "validation_failed");
    assert_eq!(far.error_fields(), vec!["contract_start_date"]);
    let answer = plan_change(&app, "k2", &change(&token, &contract, &dear, "2026-03-16")).await;
    answer.assert_status(200);
    assert_eq!(answer.json()["contract_start_date"], "2026-03-16");
    assert_eq!(answer.json()["commitment_end_date"], "2027-03-16");
}

#[actix_web::test]
async fn another_cins_contract_or_token_is_refused() {
    let app = TestApp::new().await;
    let (contract, offer) = subscribed(&app).await;
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let other = seed::client(&app, "CD777777");
    let theirs = seed::contract(&app, &other, &offer, date!(2026 - 02 - 01), "active");
    let my_token = lookup_token(&app, CIN).await;
    let their_token = lookup_token(&app, "CD777777").await;

    // My token, their contract: not found (no leak that it exists).
    plan_change(&app, "k1", &change(&my_token, &theirs, &dear, "2026-03-20"))
        .await
        .assert_problem(404, "contract_not_found");
    // Their token with my CIN: forbidden.
    plan_change(
        &app,
        "k2",
        &change(&their_token, &contract, &dear, "2026-03-20"),
    )
    .await
    .assert_problem(403, "forbidden");
    // Tampered and expired tokens: forbidden.
    let tampered = format!("x{}", &my_token[1..]);
    plan_change(
        &app,
        "k3",
        &change(&tampered, &contract, &dear, "2026-03-20"),
    )
    .await
    .assert_problem(403, "forbidden");
    app.clock.advance(Duration::minutes(16));
    plan_change(
        &app,
        "k4",
        &change(&my_token, &contract, &dear, "2026-03-20"),
    )
    .await
    .assert_problem(403, "forbidden");
    assert_eq!(
        app.count(&format!(
            "SELECT document_version FROM contracts WHERE id = '{contract}'"
        )),
        1
    );
}

#[actix_web::test]
async fn plan_change_is_idempotent_per_cin_and_key() {
    let app = TestApp::new().await;
    let (contract, _) = subscribed(&app).await;
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let cheap = seed::offer(&app, "MOB-50", "mobile", 5_000);
    let token = lookup_token(&app, CIN).await;
    let body = change(&token, &contract, &dear, "2026-03-20");

    let first = plan_change(&app, "pc-1", &body).await;
    first.assert_status(200);
    assert_eq!(first.header("idempotent-replayed"), None);
    let replay = plan_change(&app, "pc-1", &body).await;
    replay.assert_status(200);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, first.body);
    assert_eq!(
        app.count(&format!(
            "SELECT document_version FROM contracts WHERE id = '{contract}'"
        )),
        2
    );

    plan_change(
        &app,
        "pc-1",
        &change(&token, &contract, &cheap, "2026-03-20"),
    )
    .await
    .assert_problem(422, "idempotency_key_reused");
    app.post("/landing/submit/plan-change")
        .json(&body)
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    let release = hold_key(&app, &format!("cin:{CIN}"), "pc-busy");
    plan_change(
        &app,
        "pc-busy",
        &change(&token, &contract, &cheap, "2026-03-20"),
    )
    .await
    .assert_problem(409, "idempotency_key_in_use");
    release();
    assert_eq!(
        app.count(&format!(
            "SELECT document_version FROM contracts WHERE id = '{contract}'"
        )),
        2
    );
}
