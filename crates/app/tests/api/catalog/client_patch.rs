//! P3: `PUT` on clients and lines takes the complete representation; `PATCH` takes a JSON
//! Merge Patch validated as a `PUT` (decision 0191).

use serde_json::{json, Value};

use super::{client_body, create_client, id};
use crate::support::{Answer, TestApp};

const MERGE_PATCH: &str = "application/merge-patch+json";

async fn patch(app: &TestApp, path: &str, body: &Value) -> Answer {
    app.patch(path)
        .admin()
        .raw(MERGE_PATCH, body.to_string())
        .send()
        .await
}

#[actix_web::test]
async fn a_client_put_names_each_member_it_was_not_sent() {
    let app = TestApp::new().await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let path = format!("/customers/{}", id(&client));
    let answer = app
        .put(&path)
        .admin()
        .json(
            &json!({"cin": "AB123456", "first_name": "Hajar", "last_name": "B",
                      "phone": null}),
        )
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        ["email", "address", "city", "birth_date", "status"]
    );
    assert_eq!(app.get(&path).admin().send().await.json(), client);
}

#[actix_web::test]
async fn a_client_patch_keeps_absent_members_and_clears_null_ones() {
    let app = TestApp::new().await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let path = format!("/customers/{}", id(&client));
    let answer = patch(
        &app,
        &path,
        &json!({"city": "Rabat", "email": null, "status": "inactive"}),
    )
    .await;
    answer.assert_status(200);
    let patched = answer.json();
    assert_eq!(patched["city"], "Rabat");
    assert_eq!(patched["email"], Value::Null);
    assert_eq!(patched["status"], "inactive");
    for kept in [
        "cin",
        "first_name",
        "last_name",
        "phone",
        "address",
        "birth_date",
    ] {
        assert_eq!(patched[kept], client[kept], "{kept}");
    }
}

#[actix_web::test]
async fn a_client_patch_is_validated_as_a_put_and_a_refusal_changes_nothing() {
    let app = TestApp::new().await;
    create_client(&app, &client_body("K98765")).await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let path = format!("/customers/{}", id(&client));
    let answer = patch(&app, &path, &json!({"last_name": null})).await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["last_name"]);
    let answer = patch(&app, &path, &json!({"email": "nope", "first_name": " "})).await;
    answer.assert_problem(422, "validation_failed");
    let mut fields = answer.error_fields();
    fields.sort();
    assert_eq!(fields, ["email", "first_name"]);
    patch(&app, &path, &json!({"cin": "k98765"}))
        .await
        .assert_problem(409, "cin_already_exists");
    app.patch(&path)
        .admin()
        .json(&json!({"city": "Rabat"}))
        .send()
        .await
        .assert_problem(415, "unsupported_media_type");
    let viewer = app.actor_token(&["viewer"]).await;
    app.patch(&path)
        .token(&viewer)
        .raw(MERGE_PATCH, "{}")
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.patch(&path)
        .raw(MERGE_PATCH, "{}")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    patch(
        &app,
        "/customers/cli_01JD0000000000000000000000",
        &json!({}),
    )
    .await
    .assert_problem(404, "client_not_found");
    assert_eq!(app.get(&path).admin().send().await.json(), client);
}

#[actix_web::test]
async fn a_line_put_names_the_identifier_and_a_patch_changes_it() {
    let app = TestApp::new().await;
    let client = id(&create_client(&app, &client_body("AB123456")).await);
    let created = app
        .post("/subscribers")
        .admin()
        .json(&json!({"client_id": client, "service_type": "mobile",
                      "service_identifier": "0612345678"}))
        .send()
        .await;
    created.assert_status(201);
    let line = created.json();
    let path = format!("/subscribers/{}", id(&line));
    let answer = app.put(&path).admin().json(&json!({})).send().await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["service_identifier"]);

    let unchanged = patch(&app, &path, &json!({})).await;
    unchanged.assert_status(200);
    assert_eq!(unchanged.json()["service_identifier"], "+212612345678");
    let answer = patch(
        &app,
        &path,
        &json!({"service_identifier": "07 98 76 54 32"}),
    )
    .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["service_identifier"], "+212798765432");

    for (body, field) in [
        (json!({"service_identifier": null}), "service_identifier"),
        (json!({"service_identifier": "12"}), "service_identifier"),
        (json!({"service_type": "internet"}), "service_type"),
    ] {
        let refused = patch(&app, &path, &body).await;
        refused.assert_problem(422, "validation_failed");
        assert_eq!(refused.error_fields(), [field], "{body}");
    }
    app.patch(&path)
        .admin()
        .json(&json!({"service_identifier": "0600000000"}))
        .send()
        .await
        .assert_problem(415, "unsupported_media_type");
    assert_eq!(
        app.get(&path).admin().send().await.json()["service_identifier"],
        "+212798765432"
    );
}
