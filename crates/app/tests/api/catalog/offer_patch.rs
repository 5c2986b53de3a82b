//! P2: `PUT /offers/{id}` takes the complete offer and names what it was not sent; `PATCH`
//! takes a JSON Merge Patch (RFC 7396) validated as a `PUT` (decision 0191).

use serde_json::{json, Value};

use super::{create_offer, id, offer_body};
use crate::support::{Answer, TestApp};

const MERGE_PATCH: &str = "application/merge-patch+json";

/// A retired offer with a 24-month commitment and a description: what a reset would lose.
async fn retired_offer(app: &TestApp) -> Value {
    let mut body = offer_body("MOB-24", "mobile");
    body["description"] = json!("Engagement deux ans");
    body["commitment_months"] = json!(24);
    body["status"] = json!("retired");
    create_offer(app, &body).await
}

async fn patch(app: &TestApp, path: &str, body: &Value) -> Answer {
    app.patch(path)
        .admin()
        .raw(MERGE_PATCH, body.to_string())
        .send()
        .await
}

#[actix_web::test]
async fn a_put_without_status_or_commitment_names_them_and_changes_nothing() {
    let app = TestApp::new().await;
    let offer = retired_offer(&app).await;
    let path = format!("/offers/{}", id(&offer));
    let answer = app
        .put(&path)
        .admin()
        .json(
            &json!({"code": "MOB-24", "name": "Renamed", "service_type": "mobile",
                      "monthly_price": 9900, "description": "x", "currency": "MAD",
                      "tax_rate_bp": 2000}),
        )
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        ["commitment_months", "status", "allowances", "overage_rates"]
    );
    assert_eq!(app.get(&path).admin().send().await.json(), offer);
}

#[actix_web::test]
async fn a_patch_changes_what_it_names_and_keeps_the_rest() {
    let app = TestApp::new().await;
    let offer = retired_offer(&app).await;
    let path = format!("/offers/{}", id(&offer));
    app.clock.advance(time::Duration::minutes(3));
    let answer = patch(
        &app,
        &path,
        &json!({"name": "Mobile 24 mois", "monthly_price": 8900}),
    )
    .await;
    answer.assert_status(200);
    let patched = answer.json();
    assert_eq!(patched["name"], "Mobile 24 mois");
    assert_eq!(patched["monthly_price"], 8900);
    assert_eq!(patched["status"], "retired", "absent: unchanged");
    assert_eq!(patched["commitment_months"], 24);
    assert_eq!(patched["description"], "Engagement deux ans");
    assert_eq!(patched["updated_at"], "2026-03-10T09:03:00Z");
    assert_eq!(app.get(&path).admin().send().await.json(), patched);
}

#[actix_web::test]
async fn null_in_a_patch_restores_an_optional_members_default() {
    let app = TestApp::new().await;
    let offer = retired_offer(&app).await;
    let path = format!("/offers/{}", id(&offer));
    let answer = patch(
        &app,
        &path,
        &json!({"description": null, "commitment_months": null}),
    )
    .await;
    answer.assert_status(200);
    let patched = answer.json();
    assert_eq!(patched["description"], "");
    assert_eq!(patched["commitment_months"], 0);
    assert_eq!(patched["status"], "retired");
}

#[actix_web::test]
async fn a_patched_offer_is_validated_as_a_put_and_a_refusal_changes_nothing() {
    let app = TestApp::new().await;
    let offer = retired_offer(&app).await;
    create_offer(&app, &offer_body("TAKEN", "mobile")).await;
    let path = format!("/offers/{}", id(&offer));
    for (body, fields) in [
        (json!({"name": null}), vec!["name"]),
        (
            json!({"commitment_months": 61, "tax_rate_bp": -1}),
            vec!["tax_rate_bp", "commitment_months"],
        ),
        (json!({"monthly_price": "cheap"}), vec!["monthly_price"]),
        (json!({"colour": "red"}), vec!["colour"]),
    ] {
        let answer = patch(&app, &path, &body).await;
        answer.assert_problem(422, "validation_failed");
        let mut got = answer.error_fields();
        got.sort();
        let mut fields = fields;
        fields.sort();
        assert_eq!(got, fields, "{body}");
    }
    patch(&app, &path, &json!({"code": "taken"}))
        .await
        .assert_problem(409, "offer_code_exists");
    assert_eq!(app.get(&path).admin().send().await.json(), offer);
}

#[actix_web::test]
async fn a_patch_must_be_a_merge_patch_object() {
    let app = TestApp::new().await;
    let offer = retired_offer(&app).await;
    let path = format!("/offers/{}", id(&offer));
    let answer = app
        .patch(&path)
        .admin()
        .json(&json!({"name": "Plain JSON"}))
        .send()
        .await;
    answer.assert_problem(415, "unsupported_media_type");
    assert!(answer.json()["detail"]
        .as_str()
        .unwrap()
        .contains(MERGE_PATCH));
    patch(&app, &path, &json!(["name"]))
        .await
        .assert_problem(400, "invalid_body");
    app.patch(&path)
        .admin()
        .raw(MERGE_PATCH, "{\"name\": ")
        .send()
        .await
        .assert_problem(400, "malformed_json");
    assert_eq!(app.get(&path).admin().send().await.json(), offer);
}

#[actix_web::test]
async fn patching_offers_needs_an_agent_and_a_known_offer() {
    let app = TestApp::new().await;
    let offer = retired_offer(&app).await;
    let path = format!("/offers/{}", id(&offer));
    let body = json!({"name": "Nope"}).to_string();
    app.patch(&path)
        .raw(MERGE_PATCH, body.clone())
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    let viewer = app.actor_token(&["viewer"]).await;
    app.patch(&path)
        .token(&viewer)
        .raw(MERGE_PATCH, body.clone())
        .send()
        .await
        .assert_problem(403, "forbidden");
    let agent = app.actor_token(&["agent"]).await;
    app.patch(&path)
        .token(&agent)
        .raw(MERGE_PATCH, body.clone())
        .send()
        .await
        .assert_status(200);
    patch(
        &app,
        "/offers/ofr_01JD0000000000000000000000",
        &json!({"name": "x"}),
    )
    .await
    .assert_problem(404, "offer_not_found");
}

#[actix_web::test]
async fn the_openapi_document_shows_the_patch_and_the_complete_put() {
    let app = TestApp::new().await;
    let document = app.get("/openapi.json").send().await.json();
    let offer = &document["paths"]["/api/v1/offers/{offer_id}"];
    assert!(offer["patch"]["requestBody"]["content"][MERGE_PATCH].is_object());
    assert!(offer["patch"]["responses"]["415"].is_object());
    let replacement = &document["components"]["schemas"]["OfferReplacement"]["required"];
    for member in ["status", "commitment_months", "description"] {
        assert!(
            replacement.as_array().unwrap().iter().any(|m| m == member),
            "{member} required on PUT"
        );
    }
}
