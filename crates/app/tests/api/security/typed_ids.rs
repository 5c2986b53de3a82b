//! Ids are parsed into their typed form once (issue 13): a malformed id still answers what it
//! answered when each use case checked it, in the same order. A body that fails validation is
//! a 422 before a malformed path or body id is a 404, and a landing document link is judged
//! by its token (403) before its id.

use serde_json::json;

use crate::support::TestApp;

#[actix_web::test]
async fn a_malformed_contract_path_id_is_judged_after_the_body() {
    let app = TestApp::new().await;
    app.put("/contracts/nope/status")
        .admin()
        .json(&json!({"status": "paused"}))
        .send()
        .await
        .assert_problem(422, "validation_failed");
    app.put("/contracts/nope/status")
        .admin()
        .json(&json!({"status": "suspended"}))
        .send()
        .await
        .assert_problem(404, "contract_not_found");
    let answer = app
        .put("/contracts/nope/offer")
        .admin()
        .json(&json!({"offer_id": "ofr_x", "effective_date": "2026-13-01"}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["effective_date"]);
    app.put("/contracts/nope/offer")
        .admin()
        .json(&json!({"offer_id": "ofr_x"}))
        .send()
        .await
        .assert_problem(404, "contract_not_found");
}

#[actix_web::test]
async fn a_malformed_actor_id_is_judged_after_the_roles() {
    let app = TestApp::new().await;
    let answer = app
        .patch("/admin/actors/nope")
        .admin()
        .json(&json!({"roles": ["wizard"]}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["roles[0]"]);
    app.patch("/admin/actors/nope")
        .admin()
        .json(&json!({"roles": ["viewer"]}))
        .send()
        .await
        .assert_problem(404, "actor_not_found");
    app.post("/admin/actors/nope/tokens")
        .admin()
        .send()
        .await
        .assert_problem(404, "actor_not_found");
}

#[actix_web::test]
async fn a_malformed_client_id_in_a_line_body_is_judged_after_its_fields() {
    let app = TestApp::new().await;
    let body = |identifier: &str| json!({"client_id": "nope", "service_type": "mobile", "service_identifier": identifier});
    let answer = app
        .post("/subscribers")
        .admin()
        .json(&body("12"))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["service_identifier"]);
    app.post("/subscribers")
        .admin()
        .json(&body("0612345678"))
        .send()
        .await
        .assert_problem(404, "client_not_found");
}

#[actix_web::test]
async fn a_malformed_landing_contract_id_is_judged_after_the_token_and_the_cin() {
    let app = TestApp::new().await;
    app.get("/landing/contracts/nope/document?token=forged")
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get("/landing/contracts/nope/document")
        .send()
        .await
        .assert_problem(403, "forbidden");
    let answer = app
        .post("/landing/contracts/nope/document-link")
        .json(&json!({"cin": "???"}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["cin"]);
}
