//! P4: `POST /contracts/provision` — intents, guards, validation, roles, concurrency.

use futures_util::future::join_all;
use serde_json::json;

use super::Setup;
use crate::support::seed;

#[actix_web::test]
async fn auto_provisioning_creates_the_line_and_an_active_contract_at_the_offers_price() {
    let s = Setup::new().await;
    let answer = s.provision(&s.provision_body("0612300000")).await;
    answer.assert_status(201);
    let body = answer.json();
    assert!(body["id"].as_str().unwrap().starts_with("ctr_"));
    assert_eq!(body["contract_number"], "CTR-2026-000001");
    assert_eq!(body["client_id"], s.client_id.as_str());
    assert_eq!(body["offer_id"], s.offer_id.as_str());
    assert_eq!(body["service_type"], "mobile");
    assert_eq!(body["status"], "active");
    assert_eq!(body["contract_start_date"], "2026-03-15");
    assert_eq!(body["commitment_months"], 12);
    assert_eq!(body["commitment_end_date"], "2027-03-15");
    assert_eq!(body["monthly_price"], 9_900);
    assert_eq!(body["monthly_price_incl_tax"], 11_880);
    assert_eq!(body["currency"], "MAD");
    assert_eq!(body["tax_rate_bp"], 2000);
    assert_eq!(body["termination_date"], serde_json::Value::Null);
    assert_eq!(body["document_version"], 1);
    assert!(body["created_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-03-10T09:00:00"));
    let line = &body["subscriber"];
    assert!(line["id"].as_str().unwrap().starts_with("sub_"));
    assert_eq!(body["subscriber_id"], line["id"]);
    assert_eq!(line["client_id"], s.client_id.as_str());
    assert_eq!(line["service_type"], "mobile");
    assert_eq!(
        line["service_identifier"], "+212612300000",
        "normalised to E.164"
    );
    assert_eq!(line["created"], true);
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        s.periods(id),
        [format!("2026-03-15 open 9900 {}", s.offer_id)]
    );
    assert_eq!(s.contract(id).await["contract_number"], "CTR-2026-000001");
}

#[actix_web::test]
async fn the_contract_keeps_its_price_when_the_offer_changes_later() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    s.app.sql(&format!(
        "UPDATE offers SET monthly_price = 15000, tax_rate_bp = 1000 WHERE id = '{}'",
        s.offer_id
    ));
    let contract = s.contract(&id).await;
    assert_eq!(contract["monthly_price"], 9_900);
    assert_eq!(contract["tax_rate_bp"], 2000);
}

#[actix_web::test]
async fn auto_provisioning_reuses_the_clients_free_line() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let answer = s.provision(&s.provision_body("+212 6 12 30 00 00")).await;
    answer.assert_status(201);
    assert_eq!(answer.json()["subscriber"]["id"], line.as_str());
    assert_eq!(answer.json()["subscriber"]["created"], false);
    assert_eq!(s.rows("subscribers"), 1);
}

#[actix_web::test]
async fn commitment_defaults_to_the_offers_and_intent_to_auto() {
    let s = Setup::new().await;
    let answer = s
        .provision(&json!({
            "offer_id": s.offer_id,
            "client_id": s.client_id,
            "contract_start_date": "2026-01-31",
            "subscriber": {"service_identifier": "0712300000"}
        }))
        .await;
    answer.assert_status(201);
    assert_eq!(answer.json()["commitment_months"], 12);
    assert_eq!(answer.json()["commitment_end_date"], "2027-01-31");
}

#[actix_web::test]
async fn new_subscriber_intent_creates_a_line_and_refuses_an_existing_one() {
    let s = Setup::new().await;
    let mut body = s.provision_body("0612300000");
    body["provisioning_intent"] = json!("new_subscriber");
    let answer = s.provision(&body).await;
    answer.assert_status(201);
    assert_eq!(answer.json()["subscriber"]["created"], true);

    seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300001");
    let mut body = s.provision_body("0612300001");
    body["provisioning_intent"] = json!("new_subscriber");
    s.provision(&body)
        .await
        .assert_problem(409, "service_identifier_exists");
    assert_eq!(s.rows("contracts"), 1);
}

#[actix_web::test]
async fn existing_subscriber_intent_needs_the_clients_own_line() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let mut body = s.provision_body("0612300000");
    body["provisioning_intent"] = json!("existing_subscriber");
    let answer = s.provision(&body).await;
    answer.assert_status(201);
    assert_eq!(answer.json()["subscriber_id"], line.as_str());

    let mut missing = s.provision_body("0612300009");
    missing["provisioning_intent"] = json!("existing_subscriber");
    s.provision(&missing)
        .await
        .assert_problem(422, "line_not_found_for_client");
    let other = seed::client(&s.app, "K98765");
    seed::subscriber(&s.app, &other, "mobile", "+212612300008");
    let mut foreign = s.provision_body("0612300008");
    foreign["provisioning_intent"] = json!("existing_subscriber");
    s.provision(&foreign)
        .await
        .assert_problem(422, "line_not_found_for_client");
    assert_eq!(s.rows("subscribers"), 2);
}

#[actix_web::test]
async fn a_line_held_by_a_live_contract_is_in_use_until_that_contract_ends() {
    let s = Setup::new().await;
    let first = s.contract_on("0612300000").await;
    for intent in ["auto", "existing_subscriber"] {
        let mut body = s.provision_body("0612300000");
        body["provisioning_intent"] = json!(intent);
        s.provision(&body)
            .await
            .assert_problem(409, "service_identifier_in_use");
    }
    // Another client cannot take it either.
    let other = seed::client(&s.app, "K98765");
    let mut body = s.provision_body("0612300000");
    body["client_id"] = json!(other);
    s.provision(&body)
        .await
        .assert_problem(409, "service_identifier_in_use");
    assert_eq!(s.rows("contracts"), 1);
    s.set_status(
        &first,
        json!({"status": "terminated", "effective_date": "2026-03-20"}),
    )
    .await
    .assert_status(200);
    // Once ended, the owner may sign again on the same line; another client still may not.
    s.provision(&body)
        .await
        .assert_problem(409, "service_identifier_exists");
    let answer = s.provision(&s.provision_body("0612300000")).await;
    answer.assert_status(201);
    assert_eq!(answer.json()["contract_number"], "CTR-2026-000002");
}

#[actix_web::test]
async fn retired_offers_inactive_clients_and_unknown_references_are_refused() {
    let s = Setup::new().await;
    s.app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{}'",
        s.offer_id
    ));
    s.provision(&s.provision_body("0612300000"))
        .await
        .assert_problem(422, "offer_retired");
    s.app.sql(&format!(
        "UPDATE offers SET status = 'active' WHERE id = '{}'",
        s.offer_id
    ));
    s.app.sql(&format!(
        "UPDATE clients SET status = 'inactive' WHERE id = '{}'",
        s.client_id
    ));
    s.provision(&s.provision_body("0612300000"))
        .await
        .assert_problem(422, "client_inactive");

    let mut body = s.provision_body("0612300000");
    body["offer_id"] = json!("ofr_01JD0000000000000000000000");
    s.provision(&body)
        .await
        .assert_problem(404, "offer_not_found");
    body["offer_id"] = json!("not-an-id");
    s.provision(&body)
        .await
        .assert_problem(404, "offer_not_found");
    let mut body = s.provision_body("0612300000");
    body["client_id"] = json!("cli_01JD0000000000000000000000");
    s.provision(&body)
        .await
        .assert_problem(404, "client_not_found");
    assert_eq!((s.rows("contracts"), s.rows("subscribers")), (0, 0));
}

#[actix_web::test]
async fn invalid_fields_are_all_named_and_nothing_is_written() {
    let s = Setup::new().await;
    let answer = s
        .provision(&json!({
            "offer_id": s.offer_id,
            "client_id": s.client_id,
            "contract_start_date": "15/03/2026",
            "commitment_months": -1,
            "subscriber": {"service_identifier": "0522123456"},
            "provisioning_intent": "reuse"
        }))
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        [
            "contract_start_date",
            "commitment_months",
            "provisioning_intent",
            "subscriber.service_identifier"
        ]
    );
    let mut far = s.provision_body("0612300000");
    far["contract_start_date"] = json!("2028-01-01");
    let answer = s.provision(&far).await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["contract_start_date"]);
    assert_eq!((s.rows("contracts"), s.rows("subscribers")), (0, 0));
    // No number was consumed by the failures: numbering stays gapless.
    let answer = s.provision(&s.provision_body("0612300000")).await;
    assert_eq!(answer.json()["contract_number"], "CTR-2026-000001");
}

#[actix_web::test]
async fn malformed_bodies_are_400_with_the_field_named() {
    let s = Setup::new().await;
    let mut unknown = s.provision_body("0612300000");
    unknown["subscriber"]["msisdn"] = json!("x");
    let answer = s.provision(&unknown).await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["subscriber.msisdn"]);
    let mut missing = s.provision_body("0612300000");
    missing["subscriber"] = json!({});
    let answer = s.provision(&missing).await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["subscriber.service_identifier"]);
    let mut mistyped = s.provision_body("0612300000");
    mistyped["commitment_months"] = json!("12");
    let answer = s.provision(&mistyped).await;
    assert_eq!(answer.error_fields(), ["commitment_months"]);
}

#[actix_web::test]
async fn provisioning_is_for_agents_and_admins() {
    let s = Setup::new().await;
    let body = s.provision_body("0612300000");
    s.app
        .post("/contracts/provision")
        .json(&body)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    for role in ["viewer", "billing", "collections"] {
        let token = s.app.actor_token(&[role]).await;
        s.app
            .post("/contracts/provision")
            .token(&token)
            .json(&body)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    assert_eq!(s.rows("contracts"), 0);
    s.app
        .post("/contracts/provision")
        .admin()
        .json(&body)
        .send()
        .await
        .assert_status(201);
}

/// Fires `n` identical provisions at once and returns their statuses and codes.
async fn race(s: &Setup, body: &serde_json::Value, n: usize) -> Vec<(u16, String)> {
    let calls = (0..n).map(|_| s.provision(body));
    join_all(calls)
        .await
        .into_iter()
        .map(|a| {
            let code = if a.status == 201 {
                String::new()
            } else {
                a.code()
            };
            (a.status, code)
        })
        .collect()
}

fn assert_one_winner(outcomes: &[(u16, String)]) {
    let created = outcomes.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(created, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .filter(|(status, _)| *status != 201)
            .all(|(status, code)| *status == 409 && code == "service_identifier_in_use"),
        "{outcomes:?}"
    );
}

#[actix_web::test]
async fn parallel_provisions_of_a_new_line_give_one_contract_and_conflicts() {
    let s = Setup::new().await;
    let outcomes = race(&s, &s.provision_body("0612300000"), 6).await;
    assert_one_winner(&outcomes);
    assert_eq!((s.rows("contracts"), s.rows("subscribers")), (1, 1));
}

#[actix_web::test]
async fn parallel_provisions_of_an_existing_line_give_one_contract_and_conflicts() {
    let s = Setup::new().await;
    seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let outcomes = race(&s, &s.provision_body("0612300000"), 6).await;
    assert_one_winner(&outcomes);
    assert_eq!(s.rows("contracts"), 1);
    // The losers gave their numbers back: the next contract follows without a gap.
    let answer = s.provision(&s.provision_body("0612300001")).await;
    assert_eq!(answer.json()["contract_number"], "CTR-2026-000002");
}
