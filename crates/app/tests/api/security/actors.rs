//! Issue #20, item 6: actors can be listed, switched off, given other roles and a new token;
//! a change is refused at once on this instance and within `AUTH_CACHE_TTL` (2 s) on others.

use serde_json::json;
use time::Duration;

use crate::support::{TestApp, ADMIN_TOKEN};

#[actix_web::test]
async fn admins_list_actors_page_by_page_without_any_token() {
    let app = TestApp::new().await;
    let (agent, _) = app.new_actor(&["agent"]).await;
    let (gateway, _) = app.new_actor(&["gateway"]).await;
    let first = app.get("/admin/actors?limit=2").admin().send().await;
    first.assert_status(200);
    let first = first.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let second = app
        .get(&format!("/admin/actors?limit=2&cursor={cursor}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(second["next_cursor"], serde_json::Value::Null);
    let all: Vec<_> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .cloned()
        .collect();
    let ids: Vec<_> = all.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&agent.as_str()) && ids.contains(&gateway.as_str()));
    for item in &all {
        let keys: Vec<_> = item.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["active", "created_at", "id", "name", "roles", "updated_at"]
        );
    }
    let text = app.get("/admin/actors").admin().send().await.body;
    assert!(!String::from_utf8_lossy(&text).contains("token"));
}

#[actix_web::test]
async fn actor_management_is_for_admins_only() {
    let app = TestApp::new().await;
    let (agent, agent_token) = app.new_actor(&["agent"]).await;
    let (_, viewer) = app.new_actor(&["viewer"]).await;
    for token in [agent_token.as_str(), viewer.as_str()] {
        app.get("/admin/actors")
            .token(token)
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.patch(&format!("/admin/actors/{agent}"))
            .token(token)
            .json(&json!({"roles": ["admin"]}))
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.post(&format!("/admin/actors/{agent}/tokens"))
            .token(token)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    app.get("/admin/actors")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.post(&format!("/admin/actors/{agent}/tokens"))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    let me = app.get("/me").token(&agent_token).send().await.json();
    assert_eq!(me["roles"], json!(["agent"]));
}

#[actix_web::test]
async fn a_bad_list_query_is_400() {
    let app = TestApp::new().await;
    for query in [
        "limit=0",
        "limit=501",
        "cursor=ofr_01JD0000000000000000000000",
        "x=1",
    ] {
        let answer = app
            .get(&format!("/admin/actors?{query}"))
            .admin()
            .send()
            .await;
        answer.assert_status(400);
    }
}

#[actix_web::test]
async fn roles_change_at_once_and_invalid_roles_name_their_index() {
    let app = TestApp::new().await;
    let (agent, token) = app.new_actor(&["agent"]).await;
    let answer = app
        .patch(&format!("/admin/actors/{agent}"))
        .admin()
        .json(&json!({"roles": ["billing", "viewer"]}))
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["roles"], json!(["billing", "viewer"]));
    let me = app.get("/me").token(&token).send().await.json();
    assert_eq!(me["roles"], json!(["billing", "viewer"]));

    let cases = [
        (json!({"roles": ["agent", "root"]}), "roles[1]"),
        (json!({"roles": []}), "roles"),
        (json!({"roles": ["gateway", "agent"]}), "roles"),
    ];
    for (body, field) in cases {
        let answer = app
            .patch(&format!("/admin/actors/{agent}"))
            .admin()
            .json(&body)
            .send()
            .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), vec![field.to_owned()], "{body}");
    }
    for body in [
        json!({"name": "x"}),
        json!({"active": "no"}),
        json!({"roles": "agent"}),
    ] {
        app.patch(&format!("/admin/actors/{agent}"))
            .admin()
            .json(&body)
            .send()
            .await
            .assert_status(400);
    }
    let me = app.get("/me").token(&token).send().await.json();
    assert_eq!(
        me["roles"],
        json!(["billing", "viewer"]),
        "refused changes changed nothing"
    );
}

#[actix_web::test]
async fn unknown_actors_are_404() {
    let app = TestApp::new().await;
    for id in ["act_01JD0000000000000000000000", "nope"] {
        app.patch(&format!("/admin/actors/{id}"))
            .admin()
            .json(&json!({"active": false}))
            .send()
            .await
            .assert_problem(404, "actor_not_found");
        app.post(&format!("/admin/actors/{id}/tokens"))
            .admin()
            .send()
            .await
            .assert_problem(404, "actor_not_found");
    }
}

#[actix_web::test]
async fn the_last_active_admin_cannot_be_switched_off_or_demoted() {
    let app = TestApp::new().await;
    let admin = app.admin_id().await;
    for body in [json!({"active": false}), json!({"roles": ["viewer"]})] {
        app.patch(&format!("/admin/actors/{admin}"))
            .admin()
            .json(&body)
            .send()
            .await
            .assert_problem(409, "last_active_admin");
    }
    app.get("/admin/ping")
        .admin()
        .send()
        .await
        .assert_status(200);
    // With a second admin, the first may go.
    let (_, second) = app.new_actor(&["admin"]).await;
    app.patch(&format!("/admin/actors/{admin}"))
        .token(&second)
        .json(&json!({"active": false}))
        .send()
        .await
        .assert_status(200);
    app.get("/me")
        .token(ADMIN_TOKEN)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn a_switched_off_actor_is_refused_at_once_and_can_be_switched_back_on() {
    let app = TestApp::new().await;
    let (agent, token) = app.new_actor(&["agent"]).await;
    // Both credentials are cached by a first success.
    app.get("/me").token(&token).send().await.assert_status(200);
    app.get("/me")
        .header("x-actor-id", &agent)
        .send()
        .await
        .assert_status(200);
    let answer = app
        .patch(&format!("/admin/actors/{agent}"))
        .admin()
        .json(&json!({"active": false}))
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["active"], false);
    app.get("/me")
        .token(&token)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/me")
        .header("x-actor-id", &agent)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.patch(&format!("/admin/actors/{agent}"))
        .admin()
        .json(&json!({"active": true}))
        .send()
        .await
        .assert_status(200);
    app.get("/me").token(&token).send().await.assert_status(200);
}

#[actix_web::test]
async fn a_new_token_is_shown_once_and_the_old_one_is_refused_at_once() {
    let app = TestApp::new().await;
    let (agent, old) = app.new_actor(&["agent"]).await;
    app.get("/me").token(&old).send().await.assert_status(200);
    let answer = app
        .post(&format!("/admin/actors/{agent}/tokens"))
        .admin()
        .send()
        .await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(body["actor_id"], agent.as_str());
    let new = body["token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    app.get("/me")
        .token(&old)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    let me = app.get("/me").token(&new).send().await.json();
    assert_eq!(me["actor_id"], agent.as_str());
}

#[actix_web::test]
async fn another_instance_refuses_a_switched_off_actor_within_two_seconds() {
    let app = TestApp::new().await;
    let other = app.other_instance();
    let (agent, token) = app.new_actor(&["agent"]).await;
    // The other instance caches both credentials.
    app.get("/me")
        .on(&other)
        .token(&token)
        .send()
        .await
        .assert_status(200);
    app.get("/me")
        .on(&other)
        .header("x-actor-id", &agent)
        .send()
        .await
        .assert_status(200);
    app.patch(&format!("/admin/actors/{agent}"))
        .admin()
        .json(&json!({"active": false}))
        .send()
        .await
        .assert_status(200);
    app.clock.advance(Duration::seconds(2));
    app.get("/me")
        .on(&other)
        .token(&token)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/me")
        .on(&other)
        .header("x-actor-id", &agent)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn another_instance_refuses_a_replaced_token_within_two_seconds() {
    let app = TestApp::new().await;
    let other = app.other_instance();
    let (agent, old) = app.new_actor(&["agent"]).await;
    app.get("/me")
        .on(&other)
        .token(&old)
        .send()
        .await
        .assert_status(200);
    app.post(&format!("/admin/actors/{agent}/tokens"))
        .admin()
        .send()
        .await
        .assert_status(201);
    app.clock.advance(Duration::seconds(2));
    app.get("/me")
        .on(&other)
        .token(&old)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn concurrent_changes_cannot_remove_both_of_two_admins() {
    use domain::tx::TransactionRunner;
    let app = TestApp::new().await;
    let first = app.admin_id().await;
    let (second, _) = app.new_actor(&["admin"]).await;
    // Another change switches the first admin off and has not committed yet.
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let store = app.store.clone();
    let holder = std::thread::spawn(move || {
        store.run(&mut |uow| {
            uow.actors().lock_active_admins()?;
            let mut admin = uow
                .actors()
                .find_by_id(&domain::typed_ids::ActorId::from_stored(first.as_str()))?
                .unwrap();
            admin.active = false;
            uow.actors().update(&admin)?;
            held_tx.send(()).ok();
            release_rx.recv().ok();
            Ok(())
        })
    });
    held_rx.recv().unwrap();
    let release = async {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
        release_tx.send(()).unwrap();
    };
    let (answer, ()) = tokio::join!(
        app.patch(&format!("/admin/actors/{second}"))
            .admin()
            .json(&json!({"active": false}))
            .send(),
        release
    );
    holder.join().unwrap().unwrap();
    answer.assert_problem(409, "last_active_admin");
    assert_eq!(
        app.count("SELECT count(*) FROM actors WHERE active AND 'admin' = ANY(roles)"),
        1
    );
}
