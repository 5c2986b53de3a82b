//! Webhook endpoints over HTTP: creation with a secret shown once, reads without it,
//! deletion, rotation, validation and access.

use serde_json::json;

use crate::support::TestApp;

async fn create(app: &TestApp, url: &str, types: serde_json::Value) -> serde_json::Value {
    let answer = app
        .post("/webhooks/endpoints")
        .admin()
        .json(&json!({"url": url, "event_types": types, "description": "provisioning"}))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()
}

#[actix_web::test]
async fn an_admin_creates_an_endpoint_and_sees_its_secret_once() {
    let app = TestApp::new().await;
    let answer = app
        .post("/webhooks/endpoints")
        .admin()
        .json(&json!({
            "url": "https://provisioning.example.ma/hooks",
            "event_types": ["contract.suspended", "contract.reactivated"],
            "description": " network "
        }))
        .send()
        .await;
    answer.assert_status(201);
    let body = answer.json();
    let id = body["id"].as_str().unwrap();
    assert!(id.starts_with("whe_"));
    assert_eq!(
        answer.header("location"),
        Some(format!("/api/v1/webhooks/endpoints/{id}"))
    );
    let secret = body["secret"].as_str().unwrap();
    let key = secret.strip_prefix("whsec_").unwrap();
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key)
        .unwrap();
    assert!((24..=32).contains(&bytes.len()));
    assert_eq!(body["enabled"], true);
    assert_eq!(body["description"], "network");
    assert_eq!(
        body["event_types"],
        json!(["contract.suspended", "contract.reactivated"])
    );

    let read = app
        .get(&format!("/webhooks/endpoints/{id}"))
        .admin()
        .send()
        .await;
    read.assert_status(200);
    assert!(read.json().get("secret").is_none());
    let list = app.get("/webhooks/endpoints").admin().send().await;
    list.assert_status(200);
    let list = list.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(list["items"][0].get("secret").is_none());
    // Stored sealed: the secret's text is nowhere in the row.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM webhook_endpoints WHERE position(convert_to('{secret}', 'UTF8') in secret_sealed) > 0"
        )),
        0
    );
}

#[actix_web::test]
async fn endpoints_are_listed_in_pages() {
    let app = TestApp::new().await;
    for n in 0..3 {
        create(&app, &format!("https://h{n}.example.com/"), json!(["*"])).await;
    }
    let first = app
        .get("/webhooks/endpoints?limit=2")
        .admin()
        .send()
        .await
        .json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!("/webhooks/endpoints?limit=2&cursor={cursor}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    app.get("/webhooks/endpoints?limit=0")
        .admin()
        .send()
        .await
        .assert_problem(400, "invalid_query");
}

#[actix_web::test]
async fn a_deleted_endpoint_is_gone() {
    let app = TestApp::new().await;
    let id = create(&app, "https://h.example.com/", json!(["*"])).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.delete(&format!("/webhooks/endpoints/{id}"))
        .admin()
        .send()
        .await
        .assert_status(204);
    app.get(&format!("/webhooks/endpoints/{id}"))
        .admin()
        .send()
        .await
        .assert_problem(404, "webhook_endpoint_not_found");
    app.delete(&format!("/webhooks/endpoints/{id}"))
        .admin()
        .send()
        .await
        .assert_problem(404, "webhook_endpoint_not_found");
    app.get("/webhooks/endpoints/whe_nope")
        .admin()
        .send()
        .await
        .assert_problem(404, "webhook_endpoint_not_found");
}

#[actix_web::test]
async fn rotation_shows_a_new_secret_once() {
    let app = TestApp::new().await;
    let created = create(&app, "https://h.example.com/", json!(["*"])).await;
    let id = created["id"].as_str().unwrap();
    let answer = app
        .post(&format!("/webhooks/endpoints/{id}/rotate-secret"))
        .admin()
        .send()
        .await;
    answer.assert_status(200);
    let rotated = answer.json();
    assert!(rotated["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_ne!(rotated["secret"], created["secret"]);
    assert_eq!(
        app.count("SELECT count(*) FROM webhook_endpoints WHERE previous_secret_sealed IS NOT NULL AND previous_secret_until > now() + interval '23 hours'"),
        1
    );
    app.post("/webhooks/endpoints/whe_01JD0000000000000000000000/rotate-secret")
        .admin()
        .send()
        .await
        .assert_problem(404, "webhook_endpoint_not_found");
}

#[actix_web::test]
async fn a_bad_endpoint_names_each_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let cases = [
        (
            json!({"url": "ftp://h.example.com/", "event_types": ["*"]}),
            "url",
        ),
        (
            json!({"url": "file:///etc/passwd", "event_types": ["*"]}),
            "url",
        ),
        (
            json!({"url": "https://h.example.com/", "event_types": []}),
            "event_types",
        ),
        (
            json!({"url": "https://h.example.com/", "event_types": ["invoice.lost"]}),
            "event_types",
        ),
        (
            json!({"url": "https://h.example.com/", "event_types": ["*", "invoice.paid"]}),
            "event_types",
        ),
        (
            json!({"url": "https://h.example.com/", "event_types": ["*"], "description": "x".repeat(501)}),
            "description",
        ),
    ];
    for (body, field) in cases {
        let answer = app
            .post("/webhooks/endpoints")
            .admin()
            .json(&body)
            .send()
            .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), [field], "{body}");
    }
    app.post("/webhooks/endpoints")
        .admin()
        .json(&json!({"url": "https://h.example.com/"}))
        .send()
        .await
        .assert_status(400);
    assert_eq!(app.count("SELECT count(*) FROM webhook_endpoints"), 0);
}

#[actix_web::test]
async fn internal_addresses_are_refused_unless_allowed() {
    let app = TestApp::new().await;
    let strict = app.webhooks_with(domain::webhooks::WebhookSettings::default());
    for url in [
        "http://127.0.0.1:9000/",
        "http://localhost/",
        "http://10.0.0.7/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
    ] {
        let answer = app
            .post("/webhooks/endpoints")
            .with_webhooks(&strict)
            .admin()
            .json(&json!({"url": url, "event_types": ["*"]}))
            .send()
            .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["url"], "{url}");
    }
    assert_eq!(app.count("SELECT count(*) FROM webhook_endpoints"), 0);
    // The test app runs as with MTF_WEBHOOK_ALLOW_PRIVATE=1.
    create(&app, "http://127.0.0.1:9000/", json!(["*"])).await;
}

#[actix_web::test]
async fn only_admins_manage_webhooks() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let id = create(&app, "https://h.example.com/", json!(["*"])).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"url": "https://h.example.com/", "event_types": ["*"]});
    let paths = [
        ("POST", "/webhooks/endpoints".to_owned()),
        ("GET", "/webhooks/endpoints".to_owned()),
        ("GET", format!("/webhooks/endpoints/{id}")),
        ("DELETE", format!("/webhooks/endpoints/{id}")),
        ("POST", format!("/webhooks/endpoints/{id}/rotate-secret")),
        ("GET", format!("/webhooks/endpoints/{id}/deliveries")),
        (
            "POST",
            "/webhooks/deliveries/whd_01JD0000000000000000000000/retry".to_owned(),
        ),
    ];
    for (method, path) in &paths {
        let call = |token: Option<&str>| {
            let mut call = app.call(method.parse().unwrap(), path);
            if let Some(token) = token {
                call = call.token(token);
            }
            if *method == "POST" {
                call = call.json(&body);
            }
            call
        };
        call(None).send().await.assert_status(401);
        call(Some("not-a-token")).send().await.assert_status(401);
        call(Some(&agent))
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    assert_eq!(app.count("SELECT count(*) FROM webhook_endpoints"), 1);
}
