//! `GET /customers/{client_id}/audit`: every change to a client with who, when, before and
//! after, shaped like the contract audit (decision 0212).

use serde_json::{json, Value};

use super::companies::company_body;
use super::{client_body, create_client, id};
use crate::support::TestApp;

const MERGE_PATCH: &str = "application/merge-patch+json";

async fn audit(app: &TestApp, client_id: &str) -> Vec<Value> {
    let answer = app
        .get(&format!("/customers/{client_id}/audit"))
        .admin()
        .send()
        .await;
    answer.assert_status(200);
    answer.json()["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn creation_replacement_patch_and_status_change_are_each_recorded_with_before_and_after() {
    let app = TestApp::new().await;
    let admin = app.admin_id().await;
    let agent = app.actor_token(&["agent"]).await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let client_id = id(&client);
    let path = format!("/customers/{client_id}");

    let mut moved = client_body("AB123456");
    moved["city"] = json!("Rabat");
    moved["phone"] = Value::Null;
    app.put(&path)
        .token(&agent)
        .json(&moved)
        .send()
        .await
        .assert_status(200);
    app.patch(&path)
        .admin()
        .raw(MERGE_PATCH, json!({"email": "h@example.ma"}).to_string())
        .send()
        .await
        .assert_status(200);
    app.patch(&path)
        .admin()
        .raw(MERGE_PATCH, json!({"status": "inactive"}).to_string())
        .send()
        .await
        .assert_status(200);
    // A change that changes nothing is not a change.
    app.patch(&path)
        .admin()
        .raw(MERGE_PATCH, json!({"status": "inactive"}).to_string())
        .send()
        .await
        .assert_status(200);

    let items = audit(&app, &client_id).await;
    let actions: Vec<&str> = items
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["created", "updated", "patched", "status_changed"]);
    let created = &items[0];
    assert_eq!(created["actor_id"], admin);
    assert_eq!(created["before"], Value::Null);
    assert_eq!(created["after"]["cin"], "AB123456");
    assert_eq!(created["after"]["city"], "Fès");
    assert_eq!(created["after"]["kind"], "person");
    assert!(created["at"].as_str().unwrap().ends_with('Z'));
    assert!(created["id"].as_str().unwrap().starts_with("aud_"));
    let updated = &items[1];
    assert_ne!(updated["actor_id"], admin, "the agent made the PUT");
    assert_eq!(
        updated["before"],
        json!({"city": "Fès", "phone": "+212612345678"})
    );
    assert_eq!(updated["after"], json!({"city": "Rabat"}));
    assert_eq!(
        items[2]["before"],
        json!({"email": "hajar.benkirane@example.ma"})
    );
    assert_eq!(items[2]["after"], json!({"email": "h@example.ma"}));
    assert_eq!(items[3]["before"], json!({"status": "active"}));
    assert_eq!(items[3]["after"], json!({"status": "inactive"}));
}

#[actix_web::test]
async fn a_company_history_names_its_members_by_their_request_names() {
    let app = TestApp::new().await;
    let company = create_client(&app, &company_body("001525374000089")).await;
    let path = format!("/customers/{}", id(&company));
    app.patch(&path)
        .admin()
        .raw(
            MERGE_PATCH,
            json!({"legal_representative": {"name": "Salma Idrissi", "cin": "K12345"}}).to_string(),
        )
        .send()
        .await
        .assert_status(200);
    let items = audit(&app, &id(&company)).await;
    assert_eq!(items[0]["after"]["ice"], "001525374000089");
    assert_eq!(items[0]["after"]["if"], "40123456");
    assert_eq!(
        items[1]["before"],
        json!({"legal_representative.name": "Karim Alaoui",
               "legal_representative.cin": "BK998877"})
    );
    assert_eq!(
        items[1]["after"],
        json!({"legal_representative.name": "Salma Idrissi",
               "legal_representative.cin": "K12345"})
    );
}

#[actix_web::test]
async fn the_history_needs_credentials_and_a_refused_change_leaves_none() {
    let app = TestApp::new().await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let audit_path = format!("/customers/{}/audit", id(&client));
    app.get(&audit_path)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get(&audit_path)
        .token("not-a-token")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    // Like the contract audit, any authenticated role reads it.
    let viewer = app.actor_token(&["viewer"]).await;
    let read = app.get(&audit_path).token(&viewer).send().await;
    read.assert_status(200);
    assert_eq!(read.json()["items"].as_array().unwrap().len(), 1);
    // A viewer may not change the client: 403, and the history has no entry for it.
    let mut moved = client_body("AB123456");
    moved["city"] = json!("Rabat");
    app.put(&format!("/customers/{}", id(&client)))
        .token(&viewer)
        .json(&moved)
        .send()
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(audit(&app, &id(&client)).await.len(), 1);
    // A validation failure records nothing either.
    moved["cin"] = json!("42");
    app.put(&format!("/customers/{}", id(&client)))
        .admin()
        .json(&moved)
        .send()
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(audit(&app, &id(&client)).await.len(), 1);
}

#[actix_web::test]
async fn the_history_of_an_unknown_or_malformed_client_is_not_found() {
    let app = TestApp::new().await;
    for bad in [
        "cli_01JD0000000000000000000000",
        "cli_nope",
        "ctr_01JD0000000000000000000000",
    ] {
        app.get(&format!("/customers/{bad}/audit"))
            .admin()
            .send()
            .await
            .assert_problem(404, "client_not_found");
    }
}
