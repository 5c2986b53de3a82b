//! P7 steps 2–4: drafts.

use serde_json::json;
use time::Duration;

use crate::support::TestApp;

#[actix_web::test]
async fn a_draft_is_saved_restored_and_updated() {
    let app = TestApp::new().await;
    let created = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"step": 1, "client": {"first_name": "Hajar"}}}))
        .send()
        .await;
    created.assert_status(201);
    let draft = created.json();
    let id = draft["draft_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("drf_") && id.len() == 30);
    assert_eq!(draft["status"], "open");
    assert_eq!(draft["payload"]["client"]["first_name"], "Hajar");
    assert_eq!(draft["expires_at"], "2026-04-09T09:00:00Z");

    let restored = app.get(&format!("/landing/drafts/{id}")).send().await;
    restored.assert_status(200);
    assert_eq!(restored.json()["payload"], draft["payload"]);

    app.clock.advance(Duration::days(10));
    let updated = app
        .put(&format!("/landing/drafts/{id}"))
        .json(&json!({"payload": {"step": 2}}))
        .send()
        .await;
    updated.assert_status(200);
    let updated = updated.json();
    assert_eq!(updated["payload"], json!({"step": 2}));
    assert_eq!(updated["expires_at"], "2026-04-19T09:00:00Z");
    assert_eq!(updated["created_at"], draft["created_at"]);
    assert_eq!(
        app.get(&format!("/landing/drafts/{id}"))
            .send()
            .await
            .json()["payload"],
        json!({"step": 2})
    );
}

#[actix_web::test]
async fn a_draft_expires_after_the_configured_days() {
    let app = TestApp::new().await;
    let id = app
        .post("/landing/drafts")
        .json(&json!({"payload": {}}))
        .send()
        .await
        .json()["draft_id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(Duration::days(30) - Duration::seconds(1));
    app.get(&format!("/landing/drafts/{id}"))
        .send()
        .await
        .assert_status(200);
    app.clock.advance(Duration::seconds(1));
    app.get(&format!("/landing/drafts/{id}"))
        .send()
        .await
        .assert_problem(404, "draft_not_found");
    app.put(&format!("/landing/drafts/{id}"))
        .json(&json!({"payload": {"late": true}}))
        .send()
        .await
        .assert_problem(404, "draft_not_found");
}

#[actix_web::test]
async fn unknown_and_malformed_draft_ids_are_not_found() {
    let app = TestApp::new().await;
    for id in [
        "drf_01JD0000000000000000000000",
        "drf_x",
        "ctr_01JD0000000000000000000000",
    ] {
        app.get(&format!("/landing/drafts/{id}"))
            .send()
            .await
            .assert_problem(404, "draft_not_found");
        app.put(&format!("/landing/drafts/{id}"))
            .json(&json!({"payload": {}}))
            .send()
            .await
            .assert_problem(404, "draft_not_found");
    }
}

#[actix_web::test]
async fn a_payload_must_be_an_object_of_at_most_16_kib() {
    let app = TestApp::new().await;
    for payload in [json!([1, 2]), json!("text"), json!(null), json!(3)] {
        let answer = app
            .post("/landing/drafts")
            .json(&json!({ "payload": payload }))
            .send()
            .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), vec!["payload"]);
    }
    // {"x":"…"} is 8 bytes plus the string: exactly 16 KiB passes, one more byte does not.
    let fits = "a".repeat(16 * 1024 - 8);
    app.post("/landing/drafts")
        .json(&json!({"payload": {"x": fits}}))
        .send()
        .await
        .assert_status(201);
    let too_big = "a".repeat(16 * 1024 - 7);
    app.post("/landing/drafts")
        .json(&json!({"payload": {"x": too_big}}))
        .send()
        .await
        .assert_problem(422, "draft_too_large");
    assert_eq!(app.count("SELECT count(*) FROM drafts"), 1);
}

#[actix_web::test]
async fn malformed_draft_requests_are_400_naming_the_field() {
    let app = TestApp::new().await;
    let missing = app.post("/landing/drafts").json(&json!({})).send().await;
    missing.assert_problem(400, "invalid_body");
    assert_eq!(missing.error_fields(), vec!["payload"]);
    let unknown = app
        .post("/landing/drafts")
        .json(&json!({"payload": {}, "extra": 1}))
        .send()
        .await;
    unknown.assert_problem(400, "invalid_body");
    assert_eq!(unknown.error_fields(), vec!["extra"]);
    app.post("/landing/drafts")
        .raw("application/json", "{not json")
        .send()
        .await
        .assert_problem(400, "malformed_json");
    assert_eq!(app.count("SELECT count(*) FROM drafts"), 0);
}

#[actix_web::test]
async fn a_submitted_draft_can_be_read_but_not_updated() {
    let app = TestApp::new().await;
    let id = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"step": 3}}))
        .send()
        .await
        .json()["draft_id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.sql(&format!(
        "UPDATE drafts SET status = 'submitted' WHERE id = '{id}'"
    ));
    let read = app.get(&format!("/landing/drafts/{id}")).send().await;
    read.assert_status(200);
    assert_eq!(read.json()["status"], "submitted");
    app.put(&format!("/landing/drafts/{id}"))
        .json(&json!({"payload": {"step": 4}}))
        .send()
        .await
        .assert_problem(409, "draft_already_submitted");
    assert_eq!(read.json()["payload"], json!({"step": 3}));
    assert_eq!(
        app.get(&format!("/landing/drafts/{id}"))
            .send()
            .await
            .json()["payload"],
        json!({"step": 3})
    );
}
