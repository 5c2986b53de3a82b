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

async fn create_clients(app: &TestApp, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let answer = app
            .post("/customers")
            .admin()
            .json(&client_body(&format!("AB{:06}", 100_000 + i)))
            .send()
            .await;
        answer.assert_status(201);
        ids.push(answer.json()["id"].as_str().unwrap().to_owned());
    }
    ids
}

#[actix_web::test]
async fn pages_follow_the_cursor_to_every_event_once_and_an_empty_page_keeps_it() {
    let app = TestApp::new().await;
    let clients = create_clients(&app, 5).await;
    events_when(&app, "", 5).await;
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..3 {
        let path = match &after {
            Some(cursor) => format!("/events?limit=2&after={cursor}"),
            None => "/events?limit=2".to_owned(),
        };
        let page = app.get(&path).admin().send().await;
        page.assert_status(200);
        let body = page.json();
        for event in body["items"].as_array().unwrap() {
            seen.push(event["data"]["id"].as_str().unwrap().to_owned());
        }
        after = body["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(
        seen, clients,
        "every client once, in the order they were created"
    );
    // Nothing new: no item, and the same cursor to poll with again.
    let cursor = after.expect("a cursor after the last page");
    let empty = app
        .get(&format!("/events?after={cursor}"))
        .admin()
        .send()
        .await;
    empty.assert_status(200);
    assert_eq!(empty.json()["items"], json!([]));
    assert_eq!(empty.json()["next_cursor"], json!(cursor));
    // And what comes next is found from it.
    let later = create_clients_from(&app, 7).await;
    let next = events_after(&app, &cursor, 1).await;
    assert_eq!(next, [later]);
}

async fn create_clients_from(app: &TestApp, n: usize) -> String {
    let answer = app
        .post("/customers")
        .admin()
        .json(&client_body(&format!("ZZ{:06}", n)))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()["id"].as_str().unwrap().to_owned()
}

/// The resource ids of the events after `cursor`, once at least `n` are visible.
async fn events_after(app: &TestApp, cursor: &str, n: usize) -> Vec<String> {
    for _ in 0..1000 {
        let body = app
            .get(&format!("/events?after={cursor}"))
            .admin()
            .send()
            .await
            .json();
        let ids: Vec<String> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["data"]["id"].as_str().unwrap().to_owned())
            .collect();
        if ids.len() >= n {
            return ids;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Vec::new()
}

#[actix_web::test]
async fn the_type_filter_keeps_only_the_types_named() {
    let app = TestApp::new().await;
    let id = create_clients(&app, 1).await.remove(0);
    app.patch(&format!("/customers/{id}"))
        .admin()
        .raw(
            "application/merge-patch+json",
            json!({"last_name": "Alaoui"}).to_string(),
        )
        .send()
        .await
        .assert_status(200);
    let both = events_when(&app, "client.created,client.updated", 2).await;
    assert_eq!(types_of(&both), ["client.created", "client.updated"]);
    let updates = events_when(&app, "client.updated", 1).await;
    assert_eq!(types_of(&updates), ["client.updated"]);
    assert_eq!(updates[0]["data"]["last_name"], "Alaoui");
    assert_eq!(
        events_when(&app, "contract.suspended", 0).await,
        Vec::<serde_json::Value>::new()
    );
}

#[actix_web::test]
async fn viewers_and_admins_read_the_feed_other_roles_and_strangers_do_not() {
    let app = TestApp::new().await;
    let viewer = app.actor_token(&["viewer"]).await;
    app.get("/events")
        .token(&viewer)
        .send()
        .await
        .assert_status(200);
    app.get("/events").admin().send().await.assert_status(200);
    for role in ["agent", "billing", "collections"] {
        let token = app.actor_token(&[role]).await;
        app.get("/events")
            .token(&token)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    app.get("/events")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn an_unknown_type_or_a_foreign_cursor_is_422_naming_the_parameter() {
    let app = TestApp::new().await;
    for (query, field) in [
        ("type=client.created,invoice.exploded", "type"),
        ("type=Client.Created", "type"),
        ("after=cli_01JD0000000000000000000000", "after"),
        ("after=0000000000000000000000000000000g", "after"),
        ("after=ffffffffffffffffffffffffffffffff", "after"),
    ] {
        let answer = app.get(&format!("/events?{query}")).admin().send().await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
    for query in ["limit=0", "limit=501", "limit=ten", "since=1"] {
        app.get(&format!("/events?{query}"))
            .admin()
            .send()
            .await
            .assert_problem(400, "invalid_query");
    }
}
