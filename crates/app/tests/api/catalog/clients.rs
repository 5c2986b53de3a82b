//! P3: creating, reading, replacing clients; CIN uniqueness, also under concurrency.

use serde_json::json;
use time::Duration;

use super::{client_body, create_client, id};
use crate::support::TestApp;

#[actix_web::test]
async fn an_agent_creates_a_client_with_normalised_identity_and_contact() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let mut body = client_body(" ab123456 ");
    body["first_name"] = json!("  Hajar ");
    let answer = app
        .post("/customers")
        .token(&agent)
        .json(&body)
        .send()
        .await;
    answer.assert_status(201);
    let client = answer.json();
    let client_id = id(&client);
    assert!(client_id.starts_with("cli_"));
    assert_eq!(
        answer.header("location"),
        Some(format!("/api/v1/customers/{client_id}"))
    );
    assert_eq!(client["cin"], "AB123456");
    assert_eq!(client["first_name"], "Hajar");
    assert_eq!(client["email"], "hajar.benkirane@example.ma");
    assert_eq!(client["phone"], "+212612345678");
    assert_eq!(client["city"], "Fès");
    assert_eq!(client["birth_date"], "1990-05-17");
    assert_eq!(client["status"], "active");
    assert_eq!(client["created_at"], "2026-03-10T09:00:00Z");
    let read = app
        .get(&format!("/customers/{client_id}"))
        .token(&agent)
        .send()
        .await;
    read.assert_status(200);
    assert_eq!(read.json(), client);
}

#[actix_web::test]
async fn a_client_needs_only_cin_and_names() {
    let app = TestApp::new().await;
    let answer = app
        .post("/customers")
        .admin()
        .json(
            &json!({"cin": "K98765", "first_name": "Omar", "last_name": "Alaoui",
                      "email": " ", "phone": null}),
        )
        .send()
        .await;
    answer.assert_status(201);
    let client = answer.json();
    for field in ["email", "phone", "address", "city", "birth_date"] {
        assert_eq!(client[field], serde_json::Value::Null, "{field}");
    }
}

#[actix_web::test]
async fn client_creation_names_every_invalid_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let answer = app
        .post("/customers")
        .admin()
        .json(&json!({
            "cin": "123456",
            "first_name": " ",
            "last_name": "x".repeat(101),
            "email": "hajar@",
            "phone": "+33612345678",
            "address": "a".repeat(301),
            "city": "c".repeat(101),
            "birth_date": "2026-03-11",
            "status": "gone"
        }))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        [
            "cin",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "city",
            "birth_date",
            "status"
        ]
    );
    for bad_date in ["17/05/1990", "1990-02-30", "1899-12-31"] {
        let mut body = client_body("AB123456");
        body["birth_date"] = json!(bad_date);
        let answer = app.post("/customers").admin().json(&body).send().await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["birth_date"], "{bad_date}");
    }
    let mut unknown = client_body("AB123456");
    unknown["nationality"] = json!("MA");
    let answer = app.post("/customers").admin().json(&unknown).send().await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["nationality"]);
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);
}

#[actix_web::test]
async fn a_duplicate_cin_is_a_conflict_whatever_its_case_or_spacing() {
    let app = TestApp::new().await;
    create_client(&app, &client_body("AB123456")).await;
    app.post("/customers")
        .admin()
        .json(&client_body(" ab123456"))
        .send()
        .await
        .assert_problem(409, "cin_already_exists");
    assert_eq!(app.count("SELECT count(*) FROM clients"), 1);
}

#[actix_web::test]
async fn two_concurrent_creates_with_the_same_cin_make_one_client() {
    let app = TestApp::new().await;
    for n in 0..5 {
        let cin = format!("CC{n}00000");
        let body = client_body(&cin);
        let (first, second) = tokio::join!(
            app.post("/customers").admin().json(&body).send(),
            app.post("/customers").admin().json(&body).send()
        );
        let mut statuses = [first.status, second.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "round {n}");
        let loser = if first.status == 409 { &first } else { &second };
        loser.assert_problem(409, "cin_already_exists");
        assert_eq!(
            app.count(&format!("SELECT count(*) FROM clients WHERE cin = '{cin}'")),
            1
        );
    }
}

#[actix_web::test]
async fn a_put_replaces_the_client_and_clears_null_optional_fields() {
    let app = TestApp::new().await;
    let client = create_client(&app, &client_body("AB123456")).await;
    app.clock.advance(Duration::days(1));
    let answer = app
        .put(&format!("/customers/{}", id(&client)))
        .admin()
        .json(&json!({
            "cin": "ab123456",
            "first_name": "Hajar",
            "last_name": "El Fassi",
            "email": null,
            "phone": "+212 7 12 34 56 78",
            "address": null,
            "city": null,
            "birth_date": null,
            "status": "inactive"
        }))
        .send()
        .await;
    answer.assert_status(200);
    let updated = answer.json();
    assert_eq!(updated["last_name"], "El Fassi");
    assert_eq!(updated["phone"], "+212712345678");
    assert_eq!(updated["status"], "inactive");
    assert_eq!(updated["email"], serde_json::Value::Null);
    assert_eq!(updated["address"], serde_json::Value::Null);
    assert_eq!(updated["created_at"], client["created_at"]);
    assert_eq!(updated["updated_at"], "2026-03-11T09:00:00Z");
    let read = app
        .get(&format!("/customers/{}", id(&client)))
        .admin()
        .send()
        .await;
    assert_eq!(read.json(), updated);
}

#[actix_web::test]
async fn a_put_to_another_clients_cin_or_with_bad_fields_changes_nothing() {
    let app = TestApp::new().await;
    create_client(&app, &client_body("AB123456")).await;
    let mine = create_client(&app, &client_body("K98765")).await;
    let path = format!("/customers/{}", id(&mine));
    app.put(&path)
        .admin()
        .json(&client_body("ab123456"))
        .send()
        .await
        .assert_problem(409, "cin_already_exists");
    let mut bad = client_body("K98765");
    bad["email"] = json!("not-an-email");
    let answer = app.put(&path).admin().json(&bad).send().await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["email"]);
    assert_eq!(app.get(&path).admin().send().await.json(), mine);
}

#[actix_web::test]
async fn unknown_and_malformed_client_ids_are_not_found() {
    let app = TestApp::new().await;
    for client_id in [
        "cli_01JD0000000000000000000000",
        "42",
        "ofr_01JD0000000000000000000000",
    ] {
        let path = format!("/customers/{client_id}");
        app.get(&path)
            .admin()
            .send()
            .await
            .assert_problem(404, "client_not_found");
        app.put(&path)
            .admin()
            .json(&client_body("AB123456"))
            .send()
            .await
            .assert_problem(404, "client_not_found");
        app.delete(&path)
            .admin()
            .send()
            .await
            .assert_problem(404, "client_not_found");
    }
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);
}

#[actix_web::test]
async fn only_agents_and_admins_write_clients_and_every_call_needs_credentials() {
    let app = TestApp::new().await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let path = format!("/customers/{}", id(&client));
    for role in ["viewer", "billing", "collections"] {
        let token = app.actor_token(&[role]).await;
        app.post("/customers")
            .token(&token)
            .json(&client_body("K98765"))
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.put(&path)
            .token(&token)
            .json(&client_body("K98765"))
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.delete(&path)
            .token(&token)
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.get(&path).token(&token).send().await.assert_status(200);
        app.get("/customers")
            .token(&token)
            .send()
            .await
            .assert_status(200);
    }
    let anonymous = [
        app.post("/customers")
            .json(&client_body("K98765"))
            .send()
            .await,
        app.get("/customers").send().await,
        app.get(&path).send().await,
        app.put(&path).json(&client_body("K98765")).send().await,
        app.delete(&path).send().await,
    ];
    for answer in anonymous {
        answer.assert_problem(401, "unauthenticated");
    }
    assert_eq!(app.get(&path).admin().send().await.json(), client);
}
