//! P8: a new subscription from the landing, then its contract PDF.

use serde_json::{json, Value};

use super::{
    get_url, hold_key, lookup_token, new_subscription, submit_new, with_lookup_token, CIN,
};
use crate::support::{seed, TestApp};

#[actix_web::test]
async fn a_new_subscription_creates_the_client_and_an_active_contract_with_its_pdf() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let answer = submit_new(&app, "sub-1", &new_subscription(&offer)).await;
    answer.assert_status(201);
    let body = answer.json();
    let contract_id = body["contract_id"].as_str().unwrap();
    assert!(body["client_id"].as_str().unwrap().starts_with("cli_"));
    assert!(contract_id.starts_with("ctr_"));
    assert!(body["contract_number"]
        .as_str()
        .unwrap()
        .starts_with("CTR-2026-"));
    assert_eq!(body["status"], "active");
    assert_eq!(body["document_expires_at"], "2026-03-17T09:00:00Z");
    let url = body["document_download_url"].as_str().unwrap();
    assert!(url.starts_with(&format!(
        "/api/v1/landing/contracts/{contract_id}/document?token="
    )));
    // Nothing personal comes back.
    let text = String::from_utf8(answer.body.clone()).unwrap();
    assert!(!text.contains("Benkirane") && !text.contains("612"));

    let pdf = get_url(&app, url).await;
    pdf.assert_status(200);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(pdf.header("cache-control").as_deref(), Some("no-store"));
    assert!(pdf.body.starts_with(b"%PDF"));

    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM clients WHERE cin = '{CIN}' AND first_name = 'Hajar' \
             AND email = 'hajar@example.ma' AND phone = '+212612345678'"
        )),
        1
    );
    // The client's history says the landing created it (decision 0212).
    let client_id = body["client_id"].as_str().unwrap();
    let history = app
        .get(&format!("/customers/{client_id}/audit"))
        .admin()
        .send()
        .await;
    history.assert_status(200);
    let created = &history.json()["items"][0];
    assert_eq!(created["action"], "created");
    assert_eq!(created["actor_id"], format!("landing:{CIN}"));
    assert_eq!(created["after"]["cin"], CIN);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contracts c JOIN subscribers s ON s.id = c.subscriber_id \
             WHERE c.id = '{contract_id}' AND c.offer_id = '{offer}' AND c.status = 'active' \
             AND c.commitment_months = 12 AND c.contract_start_date = DATE '2026-03-15' \
             AND s.service_identifier = '+212661234567' AND c.document_version = 1"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contract_audit WHERE contract_id = '{contract_id}' \
             AND action = 'created' AND actor_id = 'landing:{CIN}'"
        )),
        1
    );
}

#[actix_web::test]
async fn an_existing_cin_with_its_lookup_token_subscribes_on_the_stored_details() {
    let app = TestApp::new().await;
    let existing = seed::client(&app, CIN);
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let mut request = new_subscription(&offer);
    request["client"] = json!({
        "cin": "ab123456", "first_name": "Someone", "last_name": "Else",
        "email": "new@example.ma", "city": "Tanger"
    });
    request["lookup_token"] = json!(lookup_token(&app, CIN).await);
    let answer = submit_new(&app, "sub-1", &request).await;
    answer.assert_status(201);
    assert_eq!(answer.json()["client_id"], existing.as_str());
    let contract = answer.json()["contract_id"].as_str().unwrap().to_owned();
    // Nothing stored changes; the differences wait for an agent on the contract's audit.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM clients WHERE id = '{existing}' AND first_name = 'Hajar' \
             AND last_name = 'Benkirane' AND email = 'hajar@example.ma' AND city = 'Fès' \
             AND phone = '+212612345678' AND address = '12 rue Talaa'"
        )),
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM clients"), 1);
    let audit = app
        .get(&format!("/contracts/{contract}/audit"))
        .admin()
        .send()
        .await;
    audit.assert_status(200);
    let audit = audit.json();
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "landing_client_details")
        .unwrap_or_else(|| panic!("no landing_client_details entry: {audit}"))
        .clone();
    assert_eq!(entry["actor_id"], format!("landing:{CIN}"));
    assert_eq!(entry["after"]["details_used"], "stored");
    assert_eq!(entry["after"]["submitted_first_name"], "Someone");
    assert_eq!(entry["after"]["submitted_city"], "Tanger");
    assert_eq!(entry["before"]["first_name"], "Hajar");
    assert_eq!(entry["after"]["submitted_email"], "new@example.ma");
}

#[actix_web::test]
async fn the_draft_used_is_marked_submitted_and_cannot_be_used_again() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let draft = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"offer_id": offer}}))
        .send()
        .await
        .json()["draft_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut request = new_subscription(&offer);
    request["draft_id"] = json!(draft);
    submit_new(&app, "sub-1", &request).await.assert_status(201);
    assert_eq!(
        app.get(&format!("/landing/drafts/{draft}"))
            .send()
            .await
            .json()["status"],
        "submitted"
    );
    request["subscriber"]["service_identifier"] = json!("0661111111");
    let mut request = with_lookup_token(&app, request).await;
    submit_new(&app, "sub-2", &request)
        .await
        .assert_problem(409, "draft_already_submitted");
    request["draft_id"] = json!("drf_01JD0000000000000000000000");
    submit_new(&app, "sub-3", &request)
        .await
        .assert_problem(404, "draft_not_found");
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 1);
}

#[actix_web::test]
async fn a_retired_or_unknown_offer_creates_nothing() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-OLD", "mobile", 10_000);
    app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{offer}'"
    ));
    let draft = app
        .post("/landing/drafts")
        .json(&json!({"payload": {}}))
        .send()
        .await
        .json()["draft_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut request = new_subscription(&offer);
    request["draft_id"] = json!(draft);
    submit_new(&app, "sub-1", &request)
        .await
        .assert_problem(422, "offer_retired");
    // The draft stays open: the failed submission rolled back whole.
    assert_eq!(
        app.get(&format!("/landing/drafts/{draft}"))
            .send()
            .await
            .json()["status"],
        "open"
    );
    submit_new(
        &app,
        "sub-2",
        &new_subscription("ofr_01JD0000000000000000000000"),
    )
    .await
    .assert_problem(404, "offer_not_found");
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 0);
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 0);
}

#[actix_web::test]
async fn invalid_values_are_all_named_at_once() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let request = json!({
        "client": {"cin": "123", "first_name": " ", "last_name": "Benkirane",
                   "email": "not-an-email", "birth_date": "2090-01-01"},
        "offer_id": offer,
        "contract_start_date": "2026-02-30",
        "commitment_months": 6,
        "subscriber": {"service_identifier": "0612345678"}
    });
    let answer = submit_new(&app, "sub-1", &request).await;
    answer.assert_problem(422, "validation_failed");
    let mut fields = answer.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "client.birth_date",
            "client.cin",
            "client.email",
            "client.first_name",
            "commitment_months",
            "contract_start_date"
        ]
    );
    // The date's format is checked with the landing's fields; its range and the line (against
    // the offer's service type) by provisioning, once the landing's own fields are right.
    let mut wrong_line = new_subscription(&offer);
    wrong_line["subscriber"]["service_identifier"] = json!("0522123456");
    wrong_line["contract_start_date"] = json!("2030-01-01");
    let answer = submit_new(&app, "sub-2", &wrong_line).await;
    answer.assert_problem(422, "validation_failed");
    let mut fields = answer.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["contract_start_date", "subscriber.service_identifier"]
    );
    let missing = submit_new(&app, "sub-3", &json!({"offer_id": offer})).await;
    missing.assert_problem(400, "invalid_body");
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);
}

#[actix_web::test]
async fn a_line_held_by_a_live_contract_is_a_conflict() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    submit_new(&app, "sub-1", &new_subscription(&offer))
        .await
        .assert_status(201);
    let again = with_lookup_token(&app, new_subscription(&offer)).await;
    submit_new(&app, "sub-2", &again)
        .await
        .assert_problem(409, "service_identifier_in_use");
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 1);
}

#[actix_web::test]
async fn submit_new_is_idempotent_per_cin_and_key() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let request = new_subscription(&offer);
    let first = submit_new(&app, "sub-1", &request).await;
    first.assert_status(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let replay = submit_new(&app, "sub-1", &request).await;
    replay.assert_status(201);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, first.body);
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 1);

    let mut other: Value = request.clone();
    other["commitment_months"] = json!(24);
    submit_new(&app, "sub-1", &other)
        .await
        .assert_problem(422, "idempotency_key_reused");

    app.post("/landing/submit/new")
        .json(&request)
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");

    let release = hold_key(&app, &format!("cin:{CIN}"), "sub-busy");
    submit_new(&app, "sub-busy", &other)
        .await
        .assert_problem(409, "idempotency_key_in_use");
    release();
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 1);
}
