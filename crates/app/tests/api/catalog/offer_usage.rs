//! Issue #21: offers carry `allowances` and `overage_rates` (both or neither), through POST,
//! PUT, PATCH, the catalog and the landing; a contract's offer period keeps the terms it was
//! signed with.

use serde_json::{json, Value};

use super::{create_offer, id, offer_body};
use crate::contracts::Setup;
use crate::support::{Answer, TestApp};

const MERGE_PATCH: &str = "application/merge-patch+json";

fn with_terms(code: &str) -> Value {
    let mut body = offer_body(code, "mobile");
    body["allowances"] =
        json!({"voice_seconds": 36000, "sms": null, "data_bytes": 21474836480_i64});
    body["overage_rates"] = json!({"voice_per_minute": 150, "sms_each": 50, "data_per_mb": 10});
    body
}

async fn patch(app: &TestApp, path: &str, body: &Value) -> Answer {
    app.patch(path)
        .admin()
        .raw(MERGE_PATCH, body.to_string())
        .send()
        .await
}

#[actix_web::test]
async fn an_offer_with_terms_answers_them_everywhere_and_one_without_answers_null() {
    let app = TestApp::new().await;
    let offer = create_offer(&app, &with_terms("FORFAIT-10H")).await;
    assert_eq!(
        offer["allowances"],
        json!({"voice_seconds": 36000, "sms": null, "data_bytes": 21474836480_i64})
    );
    assert_eq!(
        offer["overage_rates"],
        json!({"voice_per_minute": 150, "sms_each": 50, "data_per_mb": 10})
    );
    let plain = create_offer(&app, &offer_body("PLAIN", "mobile")).await;
    assert_eq!(plain["allowances"], Value::Null);
    assert_eq!(plain["overage_rates"], Value::Null);
    assert_eq!(
        app.count("SELECT count(*) FROM offers WHERE usage_terms"),
        1,
        "an offer without the fields stores no terms"
    );
    let read = app
        .get(&format!("/offers/{}", id(&offer)))
        .admin()
        .send()
        .await;
    assert_eq!(read.json(), offer);
    let categories = app.get("/offer-categories").admin().send().await.json();
    let listed: Vec<&Value> = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["offers"].as_array().unwrap())
        .filter(|o| o["id"] == offer["id"])
        .collect();
    assert_eq!(listed[0]["allowances"], offer["allowances"]);
    let landing = app.get("/landing/bootstrap").send().await;
    landing.assert_status(200);
    let text = landing.json().to_string();
    assert!(
        text.contains("\"voice_per_minute\":150") && text.contains("\"voice_seconds\":36000"),
        "the landing catalog shows what the plan includes: {text}"
    );
}

#[actix_web::test]
async fn terms_without_their_other_half_or_out_of_bounds_are_named_and_store_nothing() {
    let app = TestApp::new().await;
    let mut only_allowances = with_terms("HALF-A");
    only_allowances["overage_rates"] = Value::Null;
    let mut only_rates = with_terms("HALF-R");
    only_rates.as_object_mut().unwrap().remove("allowances");
    let mut bad = with_terms("BAD");
    bad["allowances"] = json!({"voice_seconds": -1, "sms": 1_000_000_000_000_001_i64});
    bad["overage_rates"] = json!({"sms_each": -1, "data_per_mb": 10_000_001});
    let cases = [
        (only_allowances, vec!["overage_rates"]),
        (only_rates, vec!["allowances"]),
        (
            bad,
            vec![
                "allowances.voice_seconds",
                "allowances.sms",
                "overage_rates.voice_per_minute",
                "overage_rates.sms_each",
                "overage_rates.data_per_mb",
            ],
        ),
    ];
    for (body, fields) in cases {
        let answer = app.post("/offers").admin().json(&body).send().await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), fields);
    }
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
}

#[actix_web::test]
async fn put_sets_and_removes_the_terms_and_patch_merges_them() {
    let app = TestApp::new().await;
    let offer = create_offer(&app, &offer_body("MOB-20", "mobile")).await;
    let path = format!("/offers/{}", id(&offer));
    let put = app
        .put(&path)
        .admin()
        .json(&with_terms("MOB-20"))
        .send()
        .await;
    put.assert_status(200);
    assert_eq!(put.json()["overage_rates"]["sms_each"], 50);
    assert_eq!(app.get(&path).admin().send().await.json(), put.json());

    let merged = patch(&app, &path, &json!({"allowances": {"sms": 500}})).await;
    merged.assert_status(200);
    assert_eq!(
        merged.json()["allowances"],
        json!({"voice_seconds": 36000, "sms": 500, "data_bytes": 21474836480_i64})
    );
    let unlimited = patch(&app, &path, &json!({"allowances": {"voice_seconds": null}})).await;
    unlimited.assert_status(200);
    assert_eq!(unlimited.json()["allowances"]["voice_seconds"], Value::Null);

    let half = patch(&app, &path, &json!({"allowances": null})).await;
    half.assert_problem(422, "validation_failed");
    assert_eq!(half.error_fields(), ["allowances"]);
    let rate = patch(&app, &path, &json!({"overage_rates": {"data_per_mb": -3}})).await;
    assert_eq!(rate.error_fields(), ["overage_rates.data_per_mb"]);
    assert_eq!(app.get(&path).admin().send().await.json(), unlimited.json());

    let removed = patch(
        &app,
        &path,
        &json!({"allowances": null, "overage_rates": null}),
    )
    .await;
    removed.assert_status(200);
    assert_eq!(removed.json()["allowances"], Value::Null);
    let again = app
        .put(&path)
        .admin()
        .json(&with_terms("MOB-20"))
        .send()
        .await;
    again.assert_status(200);
    let cleared = app
        .put(&path)
        .admin()
        .json(&offer_body("MOB-20", "mobile"))
        .send()
        .await;
    cleared.assert_status(200);
    assert_eq!(cleared.json()["overage_rates"], Value::Null);
    assert_eq!(
        app.count("SELECT count(*) FROM offers WHERE usage_terms OR rate_sms_each IS NOT NULL"),
        0
    );
}

#[actix_web::test]
async fn a_signed_period_keeps_its_terms_and_a_plan_change_takes_the_new_offers() {
    let s = Setup::new().await;
    let offer_path = format!("/offers/{}", s.offer_id);
    s.app
        .put(&offer_path)
        .admin()
        .json(&with_terms("MOB-99"))
        .send()
        .await
        .assert_status(200);
    let contract = s.contract_on("0612300000").await;
    let snapshot = |voice: &str, sms: &str| {
        format!(
            "SELECT count(*) FROM contract_offer_periods WHERE contract_id = '{contract}' \
               AND offer_id = '{}' AND usage_terms AND allowance_voice_seconds {voice} \
               AND rate_sms_each {sms}",
            s.offer_id
        )
    };
    assert_eq!(s.app.count(&snapshot("= 36000", "= 50")), 1);
    patch(
        &s.app,
        &offer_path,
        &json!({"allowances": {"voice_seconds": 60}, "overage_rates": {"sms_each": 99}}),
    )
    .await
    .assert_status(200);
    assert_eq!(
        s.app.count(&snapshot("= 36000", "= 50")),
        1,
        "the signed period keeps the terms of its signature"
    );
    let mut bigger = with_terms("MOB-199");
    bigger["allowances"]["voice_seconds"] = json!(72000);
    bigger["overage_rates"]["sms_each"] = json!(20);
    let bigger = create_offer(&s.app, &bigger).await;
    s.app
        .put(&format!("/contracts/{contract}/offer"))
        .token(&s.agent)
        .json(&json!({"offer_id": id(&bigger), "effective_date": "2026-04-10"}))
        .send()
        .await
        .assert_status(200);
    assert_eq!(
        s.app.count(&format!(
            "SELECT count(*) FROM contract_offer_periods WHERE contract_id = '{contract}' \
               AND offer_id = '{}' AND start_date = '2026-04-10' \
               AND allowance_voice_seconds = 72000 AND rate_sms_each = 20",
            id(&bigger)
        )),
        1,
        "the plan change snapshots the new offer's terms"
    );
    assert_eq!(s.app.count(&snapshot("= 36000", "= 50")), 1);
}
