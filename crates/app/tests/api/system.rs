//! P0: health, identity, admin ping, actor creation, OpenAPI, and the error contract.

use serde_json::json;

use crate::support::TestApp;

#[actix_web::test]
async fn health_reports_server_and_database_up_without_credentials() {
    let app = TestApp::new().await;
    let answer = app.get("/health").send().await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[actix_web::test]
async fn every_response_carries_a_request_id_and_echoes_the_clients() {
    let app = TestApp::new().await;
    let generated = app.get("/health").send().await;
    assert!(generated
        .header("x-request-id")
        .is_some_and(|id| id.len() >= 10));
    let echoed = app
        .get("/nowhere")
        .header("x-request-id", "trace-42")
        .send()
        .await;
    assert_eq!(echoed.header("x-request-id").as_deref(), Some("trace-42"));
}

#[actix_web::test]
async fn me_returns_the_actor_for_a_bearer_token_and_for_an_actor_id() {
    let app = TestApp::new().await;
    let answer = app.get("/me").admin().send().await;
    answer.assert_status(200);
    let me = answer.json();
    assert_eq!(me["roles"], json!(["admin"]));
    let actor_id = me["actor_id"].as_str().unwrap().to_owned();
    assert!(actor_id.starts_with("act_"));
    let by_id = app.get("/me").header("x-actor-id", &actor_id).send().await;
    by_id.assert_status(200);
    assert_eq!(by_id.json()["actor_id"], actor_id.as_str());
}

#[actix_web::test]
async fn me_refuses_missing_unknown_and_malformed_credentials() {
    let app = TestApp::new().await;
    app.get("/me")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/me")
        .token("nope")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/me")
        .header("authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/me")
        .header("x-actor-id", "act_01JD0000000000000000000000")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/me")
        .header("x-actor-id", "'; drop table actors; --")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn admin_ping_is_for_admins_only() {
    let app = TestApp::new().await;
    let answer = app.get("/admin/ping").admin().send().await;
    answer.assert_status(200);
    assert_eq!(answer.json()["pong"], true);
    for role in ["agent", "billing", "collections", "viewer"] {
        let token = app.actor_token(&[role]).await;
        app.get("/admin/ping")
            .token(&token)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    app.get("/admin/ping")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn an_admin_creates_an_actor_whose_token_works_once_shown() {
    let app = TestApp::new().await;
    let answer = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"name": "Salma (billing)", "roles": ["billing", "viewer"]}))
        .send()
        .await;
    answer.assert_status(201);
    let created = answer.json();
    assert!(created["id"].as_str().unwrap().starts_with("act_"));
    assert_eq!(created["roles"], json!(["billing", "viewer"]));
    let token = created["token"].as_str().unwrap();
    let me = app.get("/me").token(token).send().await;
    me.assert_status(200);
    assert_eq!(me.json()["name"], "Salma (billing)");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM actors WHERE token_hash = '{token}'"
        )),
        0,
        "tokens are stored hashed"
    );
}

#[actix_web::test]
async fn actor_creation_validates_each_field() {
    let app = TestApp::new().await;
    let answer = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"name": " ", "roles": ["root"]}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), vec!["name", "roles[0]"]);
    let empty = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"name": "x", "roles": []}))
        .send()
        .await;
    empty.assert_problem(422, "validation_failed");
    assert_eq!(empty.error_fields(), vec!["roles"]);
    let agent = app.actor_token(&["agent"]).await;
    app.post("/admin/actors")
        .token(&agent)
        .json(&json!({"name": "x", "roles": ["admin"]}))
        .send()
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(app.count("SELECT count(*) FROM actors"), 2);
}

#[actix_web::test]
async fn malformed_requests_get_problem_json_and_change_nothing() {
    let app = TestApp::new().await;
    let malformed = app
        .post("/admin/actors")
        .admin()
        .raw("application/json", "{\"name\": ")
        .send()
        .await;
    malformed.assert_problem(400, "malformed_json");
    let unknown = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"name": "x", "roles": ["viewer"], "rolez": []}))
        .send()
        .await;
    unknown.assert_problem(400, "invalid_body");
    assert_eq!(unknown.error_fields(), vec!["rolez"]);
    let missing = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"roles": ["viewer"]}))
        .send()
        .await;
    missing.assert_problem(400, "invalid_body");
    assert_eq!(missing.error_fields(), vec!["name"]);
    let mistyped = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"name": 5, "roles": ["viewer"]}))
        .send()
        .await;
    assert_eq!(mistyped.error_fields(), vec!["name"]);
    app.post("/admin/actors")
        .admin()
        .raw("text/plain", "name=x")
        .send()
        .await
        .assert_problem(415, "unsupported_media_type");
    let huge = format!(
        "{{\"name\": \"{}\", \"roles\": [\"viewer\"]}}",
        "x".repeat(1024 * 1024 + 1)
    );
    app.post("/admin/actors")
        .admin()
        .raw("application/json", huge)
        .send()
        .await
        .assert_problem(413, "payload_too_large");
    assert_eq!(app.count("SELECT count(*) FROM actors"), 1);
}

#[actix_web::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let app = TestApp::new().await;
    app.get("/nowhere")
        .send()
        .await
        .assert_problem(404, "not_found");
    let wrong = app.delete("/health").send().await;
    wrong.assert_problem(405, "method_not_allowed");
    assert_eq!(wrong.header("allow").as_deref(), Some("GET"));
}

/// Every registered route answers 405 to the methods it does not take, with an `Allow` header
/// listing exactly the methods registered for that path (not what the document says).
#[actix_web::test]
async fn wrong_methods_on_every_route_are_405_with_the_routed_methods() {
    let app = TestApp::new().await;
    let mut by_path: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for (path, method) in crate::support::routes::ALL {
        by_path.entry(path).or_default().push(method.to_uppercase());
    }
    for (path, mut methods) in by_path {
        methods.sort();
        let concrete = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x0" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for other in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if methods.iter().any(|m| m == other) {
                continue;
            }
            let method = actix_web::http::Method::from_bytes(other.as_bytes()).unwrap();
            let answer = app.call(method, &concrete).send().await;
            answer.assert_problem(405, "method_not_allowed");
            assert_eq!(
                answer.header("allow"),
                Some(methods.join(", ")),
                "{other} {path}"
            );
        }
    }
    // A literal segment wins over a parameter, as in the router.
    let provision = app.get("/contracts/provision").send().await;
    provision.assert_problem(405, "method_not_allowed");
    assert_eq!(provision.header("allow").as_deref(), Some("POST"));
}

#[actix_web::test]
async fn the_openapi_document_lists_every_operation_with_problem_shapes() {
    let app = TestApp::new().await;
    let answer = app.get("/openapi.json").send().await;
    answer.assert_status(200);
    let doc = answer.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in crate::support::routes::ALL {
        let operation = &paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} missing from the OpenAPI document"))[method];
        assert!(operation.is_object(), "{method} {path} missing");
        let responses = operation["responses"].as_object().unwrap();
        assert!(!responses.is_empty(), "{method} {path} has no responses");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[actix_web::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::new().await;
    let doc = app.get("/openapi.json").send().await.json();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = path
                .split('/')
                .map(|s| if s.starts_with('{') { "x0" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let method =
                actix_web::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let answer = app.call(method.clone(), &concrete).send().await;
            assert!(
                !(answer.status == 404 && answer.code() == "not_found") && answer.status != 405,
                "{method} {path} is documented but not routed ({})",
                answer.status
            );
        }
    }
}

#[actix_web::test]
async fn the_docs_page_is_served() {
    let app = TestApp::new().await;
    let answer = app.get("/docs/").send().await;
    answer.assert_status(200);
    assert!(String::from_utf8_lossy(&answer.body).contains("swagger"));
}

#[actix_web::test]
async fn docs_without_its_slash_is_a_permanent_redirect_to_the_docs_page() {
    let app = TestApp::new().await;
    for method in [actix_web::http::Method::GET, actix_web::http::Method::HEAD] {
        let answer = app.call(method, "/docs").send().await;
        answer.assert_status(308);
        assert_eq!(answer.header("location").as_deref(), Some("/docs/"));
    }
}
