//! P3: service lines (subscribers) — the manual path beside provisioning.

use serde_json::{json, Value};

use super::{client_body, create_client, id, ids};
use crate::support::TestApp;

fn line(client_id: &str, service_type: &str, identifier: &str) -> Value {
    json!({"client_id": client_id, "service_type": service_type,
           "service_identifier": identifier})
}

async fn create_line(app: &TestApp, body: &Value) -> Value {
    let answer = app.post("/subscribers").admin().json(body).send().await;
    answer.assert_status(201);
    answer.json()
}

#[actix_web::test]
async fn an_agent_adds_a_line_with_its_identifier_normalised() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let client = id(&create_client(&app, &client_body("AB123456")).await);
    let answer = app
        .post("/subscribers")
        .token(&agent)
        .json(&line(&client, "mobile", "06 12 34 56 78"))
        .send()
        .await;
    answer.assert_status(201);
    let created = answer.json();
    let line_id = id(&created);
    assert!(line_id.starts_with("sub_"));
    assert_eq!(
        answer.header("location"),
        Some(format!("/api/v1/subscribers/{line_id}"))
    );
    assert_eq!(created["client_id"], client.as_str());
    assert_eq!(created["service_type"], "mobile");
    assert_eq!(created["service_identifier"], "+212612345678");
    let internet = create_line(&app, &line(&client, "internet", " fibre-casa-001 ")).await;
    assert_eq!(internet["service_identifier"], "FIBRE-CASA-001");
    let read = app
        .get(&format!("/subscribers/{line_id}"))
        .token(&agent)
        .send()
        .await;
    read.assert_status(200);
    assert_eq!(read.json(), created);
}

#[actix_web::test]
async fn a_line_is_validated_for_its_service_type() {
    let app = TestApp::new().await;
    let client = id(&create_client(&app, &client_body("AB123456")).await);
    let cases = [
        (line(&client, "mobile", "0522123456"), "service_identifier"),
        (
            line(&client, "landline", "0612345678"),
            "service_identifier",
        ),
        (line(&client, "internet", "a b"), "service_identifier"),
        (line(&client, "tv", "0612345678"), "service_type"),
    ];
    for (body, field) in cases {
        let answer = app.post("/subscribers").admin().json(&body).send().await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), [field], "{body}");
    }
    let answer = app
        .post("/subscribers")
        .admin()
        .json(&json!({"client_id": client, "service_type": "mobile"}))
        .send()
        .await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["service_identifier"]);
    assert_eq!(app.count("SELECT count(*) FROM subscribers"), 0);
}

#[actix_web::test]
async fn a_line_needs_a_known_active_client() {
    let app = TestApp::new().await;
    for client in ["cli_01JD0000000000000000000000", "someone"] {
        app.post("/subscribers")
            .admin()
            .json(&line(client, "mobile", "0612345678"))
            .send()
            .await
            .assert_problem(404, "client_not_found");
    }
    let mut former = client_body("AB123456");
    former["status"] = json!("inactive");
    let former = id(&create_client(&app, &former).await);
    app.post("/subscribers")
        .admin()
        .json(&line(&former, "mobile", "0612345678"))
        .send()
        .await
        .assert_problem(422, "client_inactive");
    assert_eq!(app.count("SELECT count(*) FROM subscribers"), 0);
}

#[actix_web::test]
async fn an_identifier_already_used_by_a_line_of_the_same_type_is_a_conflict() {
    let app = TestApp::new().await;
    let first = id(&create_client(&app, &client_body("AB123456")).await);
    let second = id(&create_client(&app, &client_body("K98765")).await);
    create_line(&app, &line(&first, "mobile", "+212612345678")).await;
    app.post("/subscribers")
        .admin()
        .json(&line(&second, "mobile", "0612345678"))
        .send()
        .await
        .assert_problem(409, "service_identifier_exists");
    // The same characters as an internet line id are another line.
    create_line(&app, &line(&second, "internet", "0612345678")).await;
    assert_eq!(app.count("SELECT count(*) FROM subscribers"), 2);
}

#[actix_web::test]
async fn a_number_change_updates_only_the_identifier() {
    let app = TestApp::new().await;
    let client = id(&create_client(&app, &client_body("AB123456")).await);
    let created = create_line(&app, &line(&client, "mobile", "0612345678")).await;
    let taken = create_line(&app, &line(&client, "mobile", "0611111111")).await;
    let path = format!("/subscribers/{}", id(&created));
    app.clock.advance(time::Duration::minutes(5));
    let answer = app
        .put(&path)
        .admin()
        .json(&json!({"service_identifier": "07 98 76 54 32"}))
        .send()
        .await;
    answer.assert_status(200);
    let changed = answer.json();
    assert_eq!(changed["service_identifier"], "+212798765432");
    assert_eq!(changed["service_type"], "mobile");
    assert_eq!(changed["client_id"], client.as_str());
    assert_eq!(changed["updated_at"], "2026-03-10T09:05:00Z");
    assert_eq!(changed["created_at"], created["created_at"]);

    app.put(&path)
        .admin()
        .json(&json!({"service_identifier": taken["service_identifier"]}))
        .send()
        .await
        .assert_problem(409, "service_identifier_exists");
    let wrong_range = app
        .put(&path)
        .admin()
        .json(&json!({"service_identifier": "0522123456"}))
        .send()
        .await;
    wrong_range.assert_problem(422, "validation_failed");
    assert_eq!(wrong_range.error_fields(), ["service_identifier"]);
    let retyped = app
        .put(&path)
        .admin()
        .json(&json!({"service_identifier": "0522123456", "service_type": "landline"}))
        .send()
        .await;
    retyped.assert_problem(400, "invalid_body");
    assert_eq!(retyped.error_fields(), ["service_type"]);
    assert_eq!(app.get(&path).admin().send().await.json(), changed);
}

#[actix_web::test]
async fn lines_are_listed_by_client_and_by_identifier_in_any_form() {
    let app = TestApp::new().await;
    let hajar = id(&create_client(&app, &client_body("AB123456")).await);
    let omar = id(&create_client(&app, &client_body("K98765")).await);
    let mobile = id(&create_line(&app, &line(&hajar, "mobile", "0612345678")).await);
    let fixe = id(&create_line(&app, &line(&hajar, "landline", "0522123456")).await);
    let box_ = id(&create_line(&app, &line(&omar, "internet", "ADSL-0042")).await);
    let list = |query: String| {
        let app = &app;
        async move {
            let answer = app
                .get(&format!("/subscribers{query}"))
                .admin()
                .send()
                .await;
            answer.assert_status(200);
            answer.json()
        }
    };
    assert_eq!(
        ids(&list(String::new()).await),
        [mobile.clone(), fixe.clone(), box_.clone()]
    );
    assert_eq!(
        ids(&list(format!("?client_id={hajar}")).await),
        [mobile.clone(), fixe.clone()]
    );
    assert_eq!(
        ids(&list("?service_identifier=%2B212%206%2012%2034%2056%2078".into()).await),
        [mobile.as_str()]
    );
    assert_eq!(
        ids(&list("?service_identifier=adsl-0042".into()).await),
        [box_.as_str()]
    );
    assert_eq!(
        ids(&list(format!("?client_id={omar}&service_identifier=0612345678")).await).len(),
        0
    );
    assert_eq!(
        ids(&list("?service_type=landline".into()).await),
        [fixe.as_str()]
    );
    assert!(ids(&list("?service_identifier=%21%21".into()).await).is_empty());
    let page = list("?limit=2".into()).await;
    assert_eq!(ids(&page), [mobile, fixe.clone()]);
    assert_eq!(page["next_cursor"], fixe.as_str());
    for (query, field) in [
        ("client_id=hajar", "client_id"),
        ("service_type=tv", "service_type"),
        ("cursor=cli_01JD0000000000000000000000", "cursor"),
        ("msisdn=0612345678", "msisdn"),
    ] {
        let answer = app
            .get(&format!("/subscribers?{query}"))
            .admin()
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}

#[actix_web::test]
async fn unknown_lines_roles_and_credentials_are_enforced() {
    let app = TestApp::new().await;
    let client = id(&create_client(&app, &client_body("AB123456")).await);
    let created = create_line(&app, &line(&client, "mobile", "0612345678")).await;
    let path = format!("/subscribers/{}", id(&created));
    for unknown in [
        "/subscribers/sub_01JD0000000000000000000000",
        "/subscribers/x",
    ] {
        app.get(unknown)
            .admin()
            .send()
            .await
            .assert_problem(404, "subscriber_not_found");
        app.put(unknown)
            .admin()
            .json(&json!({"service_identifier": "0698765432"}))
            .send()
            .await
            .assert_problem(404, "subscriber_not_found");
    }
    let viewer = app.actor_token(&["viewer"]).await;
    app.post("/subscribers")
        .token(&viewer)
        .json(&line(&client, "mobile", "0698765432"))
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.put(&path)
        .token(&viewer)
        .json(&json!({"service_identifier": "0698765432"}))
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get(&path)
        .token(&viewer)
        .send()
        .await
        .assert_status(200);
    app.get("/subscribers")
        .token(&viewer)
        .send()
        .await
        .assert_status(200);
    let anonymous = [
        app.get("/subscribers").send().await,
        app.get(&path).send().await,
        app.post("/subscribers")
            .json(&line(&client, "mobile", "0698765432"))
            .send()
            .await,
        app.put(&path)
            .json(&json!({"service_identifier": "0698765432"}))
            .send()
            .await,
    ];
    for answer in anonymous {
        answer.assert_problem(401, "unauthenticated");
    }
    assert_eq!(app.get(&path).admin().send().await.json(), created);
}
