//! P5: `POST /contracts` — the manual path from explicit ids.

use serde_json::{json, Value};

use super::Setup;
use crate::support::{seed, Answer};

fn body(s: &Setup, subscriber_id: &str, status: Option<&str>) -> Value {
    let mut body = json!({
        "client_id": s.client_id,
        "subscriber_id": subscriber_id,
        "offer_id": s.offer_id,
        "contract_start_date": "2026-04-01",
        "commitment_months": 24
    });
    if let Some(status) = status {
        body["status"] = json!(status);
    }
    body
}

async fn create(s: &Setup, body: &Value) -> Answer {
    s.app
        .post("/contracts")
        .token(&s.agent)
        .json(body)
        .send()
        .await
}

#[actix_web::test]
async fn the_manual_path_creates_a_contract_on_the_clients_line() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let answer = create(&s, &body(&s, &line, None)).await;
    answer.assert_status(201);
    let contract = answer.json();
    assert_eq!(contract["status"], "active");
    assert_eq!(contract["subscriber_id"], line.as_str());
    assert_eq!(contract["commitment_months"], 24);
    assert_eq!(contract["commitment_end_date"], "2028-04-01");
    assert_eq!(contract["contract_number"], "CTR-2026-000001");
    assert_eq!(contract["document_version"], 1);
    assert!(contract.get("subscriber").is_none());
    let id = contract["id"].as_str().unwrap();
    let actions: Vec<Value> = s
        .audit(id)
        .await
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(actions, [json!("created"), json!("document_generated")]);
}

#[actix_web::test]
async fn the_manual_path_may_create_a_pending_contract_only_besides_active() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    for status in ["suspended", "terminated", "cancelled", "draft"] {
        let answer = create(&s, &body(&s, &line, Some(status))).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["status"]);
    }
    let answer = create(&s, &body(&s, &line, Some("pending"))).await;
    answer.assert_status(201);
    assert_eq!(answer.json()["status"], "pending");
}

#[actix_web::test]
async fn the_subscriber_must_belong_to_the_client_and_match_the_offer() {
    let s = Setup::new().await;
    let other = seed::client(&s.app, "K98765");
    let foreign = seed::subscriber(&s.app, &other, "mobile", "+212612300000");
    create(&s, &body(&s, &foreign, None))
        .await
        .assert_problem(422, "subscriber_not_owned");
    let internet = seed::subscriber(&s.app, &s.client_id, "internet", "ADSL-0001");
    create(&s, &body(&s, &internet, None))
        .await
        .assert_problem(422, "service_type_mismatch");
    let mut unknown = body(&s, "sub_01JD0000000000000000000000", None);
    create(&s, &unknown)
        .await
        .assert_problem(404, "subscriber_not_found");
    unknown["subscriber_id"] = json!("42");
    create(&s, &unknown)
        .await
        .assert_problem(404, "subscriber_not_found");
    assert_eq!(s.rows("contracts"), 0);
}

#[actix_web::test]
async fn a_line_with_a_live_contract_cannot_get_a_second_one() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    create(&s, &body(&s, &line, Some("pending")))
        .await
        .assert_status(201);
    create(&s, &body(&s, &line, None))
        .await
        .assert_problem(409, "service_identifier_in_use");
    assert_eq!(s.rows("contracts"), 1);
}

#[actix_web::test]
async fn the_manual_path_checks_fields_roles_and_the_offer() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let mut bad = body(&s, &line, None);
    bad["contract_start_date"] = json!("2026-04-31");
    bad["commitment_months"] = json!(121);
    let answer = create(&s, &bad).await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        ["contract_start_date", "commitment_months"]
    );
    let mut missing = body(&s, &line, None);
    missing.as_object_mut().unwrap().remove("subscriber_id");
    let answer = create(&s, &missing).await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["subscriber_id"]);
    let viewer = s.app.actor_token(&["viewer"]).await;
    s.app
        .post("/contracts")
        .token(&viewer)
        .json(&body(&s, &line, None))
        .send()
        .await
        .assert_problem(403, "forbidden");
    s.app
        .post("/contracts")
        .json(&body(&s, &line, None))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    s.app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{}'",
        s.offer_id
    ));
    create(&s, &body(&s, &line, None))
        .await
        .assert_problem(422, "offer_retired");
    assert_eq!(s.rows("contracts"), 0);
}
