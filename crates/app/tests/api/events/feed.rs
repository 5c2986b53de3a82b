//! `GET /events`: envelope, paging, type filter, roles and bad queries.

use serde_json::json;

use super::support::{events_when, types_of};
use crate::support::TestApp;

fn client_body(cin: &str) -> serde_json::Value {
    json!({"cin": cin, "first_name": "Hajar", "last_name": "Benkirane"})
}

#[actix_web::test]
async fn a_created_client_is_published_as_the_api_returns_it() {
    let app = TestApp::new().await;
    let created = app
        .post("/customers")
        .admin()
        .json(&client_body("AB123456"))
        .send()
        .await;
    created.assert_status(201);
    let events = events_when(&app, "", 1).await;
    assert_eq!(types_of(&events), ["client.created"]);
    let event = &events[0];
    assert_eq!(event["data"], created.json());
    assert!(event["id"].as_str().unwrap().starts_with("evt_"));
    assert!(event["occurred_at"].is_string());
    assert!(event.as_object().unwrap().contains_key("actor_id"));
}
