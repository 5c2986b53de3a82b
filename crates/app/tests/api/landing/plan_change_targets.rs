//! P9: the target is `offer_id` (or its older name `target_offer_id`), a refused target is
//! explained with the eligible offers, and a same-price move in the family is `lateral`
//! (decision 0194).

use serde_json::{json, Value};

use super::{lookup_token, new_subscription, plan_change, submit_new, CIN};
use crate::support::{seed, TestApp};

/// A live mobile contract on MOB-100 (100.00 excl. tax) from 2026-03-15; (contract, offer).
async fn subscribed(app: &TestApp) -> (String, String) {
    let offer = seed::offer(app, "MOB-100", "mobile", 10_000);
    let answer = submit_new(app, "setup", &new_subscription(&offer)).await;
    answer.assert_status(201);
    (
        answer.json()["contract_id"].as_str().unwrap().to_owned(),
        offer,
    )
}

fn body(token: &str, contract: &str, target: Value) -> Value {
    let mut body = json!({
        "cin": CIN, "lookup_token": token, "contract_id": contract,
        "contract_start_date": "2026-03-20"
    });
    for (name, value) in target.as_object().unwrap() {
        body[name] = value.clone();
    }
    body
}

fn document_version(app: &TestApp, contract: &str) -> i64 {
    app.count(&format!(
        "SELECT document_version FROM contracts WHERE id = '{contract}'"
    ))
}

#[actix_web::test]
async fn the_target_is_accepted_as_offer_id() {
    let app = TestApp::new().await;
    let (contract, _) = subscribed(&app).await;
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let token = lookup_token(&app, CIN).await;
    let answer = plan_change(
        &app,
        "k1",
        &body(&token, &contract, json!({ "offer_id": dear })),
    )
    .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["offer_id"], dear.as_str());
    assert_eq!(answer.json()["direction"], "upgrade");
    assert_eq!(document_version(&app, &contract), 2);
}

#[actix_web::test]
async fn offer_id_and_target_offer_id_must_agree_and_one_is_required() {
    let app = TestApp::new().await;
    let (contract, _) = subscribed(&app).await;
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let cheap = seed::offer(&app, "MOB-50", "mobile", 5_000);
    let token = lookup_token(&app, CIN).await;
    let differ = plan_change(
        &app,
        "k1",
        &body(
            &token,
            &contract,
            json!({ "offer_id": dear, "target_offer_id": cheap }),
        ),
    )
    .await;
    differ.assert_problem(422, "validation_failed");
    assert_eq!(differ.error_fields(), ["offer_id", "target_offer_id"]);
    let neither = plan_change(&app, "k2", &body(&token, &contract, json!({}))).await;
    neither.assert_problem(422, "validation_failed");
    assert_eq!(neither.error_fields(), ["offer_id"]);
    assert_eq!(document_version(&app, &contract), 1);
    // The same id under both names is one target.
    plan_change(
        &app,
        "k3",
        &body(
            &token,
            &contract,
            json!({ "offer_id": dear, "target_offer_id": dear }),
        ),
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn a_same_price_offer_of_the_family_is_a_lateral_change() {
    let app = TestApp::new().await;
    let (contract, _) = subscribed(&app).await;
    let same = seed::offer(&app, "MOB-100B", "mobile", 10_000);
    let token = lookup_token(&app, CIN).await;
    let answer = plan_change(
        &app,
        "k1",
        &body(&token, &contract, json!({ "offer_id": same })),
    )
    .await;
    answer.assert_status(200);
    let changed = answer.json();
    assert_eq!(changed["direction"], "lateral");
    assert_eq!(changed["offer_id"], same.as_str());
    assert_eq!(changed["monthly_price"], 10_000);
    assert_eq!(document_version(&app, &contract), 2);
}

#[actix_web::test]
async fn a_refused_target_lists_the_eligible_offers_with_names_and_prices() {
    let app = TestApp::new().await;
    let (contract, current) = subscribed(&app).await;
    let cheap = seed::offer(&app, "MOB-50", "mobile", 5_000);
    let same = seed::offer(&app, "MOB-100B", "mobile", 10_000);
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let fibre = seed::offer(&app, "FIBRE", "internet", 30_000);
    let retired = seed::offer(&app, "MOB-OLD", "mobile", 15_000);
    app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{retired}'"
    ));
    let token = lookup_token(&app, CIN).await;
    let expected = json!([
        {"offer_id": cheap, "code": "MOB-50", "name": "Offre MOB-50", "monthly_price": 5_000,
         "monthly_price_incl_tax": 6_000, "currency": "MAD", "direction": "downgrade"},
        {"offer_id": same, "code": "MOB-100B", "name": "Offre MOB-100B", "monthly_price": 10_000,
         "monthly_price_incl_tax": 12_000, "currency": "MAD", "direction": "lateral"},
        {"offer_id": dear, "code": "MOB-200", "name": "Offre MOB-200", "monthly_price": 20_000,
         "monthly_price_incl_tax": 24_000, "currency": "MAD", "direction": "upgrade"}
    ]);
    for (i, (target, code)) in [
        (&fibre, "service_type_mismatch"),
        (&retired, "offer_retired"),
        (&current, "same_offer"),
    ]
    .into_iter()
    .enumerate()
    {
        let answer = plan_change(
            &app,
            &format!("k{i}"),
            &body(&token, &contract, json!({ "offer_id": target })),
        )
        .await;
        answer.assert_problem(422, code);
        assert_eq!(answer.json()["eligible_offers"], expected, "{code}");
    }
    assert_eq!(document_version(&app, &contract), 1);
    // Other refusals carry no list.
    let early = plan_change(
        &app,
        "k-early",
        &json!({"cin": CIN, "lookup_token": token, "contract_id": contract,
                "offer_id": dear, "contract_start_date": "2026-03-14"}),
    )
    .await;
    early.assert_problem(422, "effective_date_too_early");
    assert!(early.json().get("eligible_offers").is_none());
}

#[actix_web::test]
async fn the_openapi_document_shows_offer_id_lateral_and_the_eligible_offers() {
    let app = TestApp::new().await;
    let document = app.get("/openapi.json").send().await.json();
    let schemas = &document["components"]["schemas"];
    assert!(schemas["PlanChangeBody"]["properties"]["offer_id"].is_object());
    assert!(schemas["Problem"]["properties"]["eligible_offers"].is_object());
    assert!(schemas["EligibleOfferProblem"]["properties"]["direction"].is_object());
}
