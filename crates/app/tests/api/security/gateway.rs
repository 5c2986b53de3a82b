//! Issue #20, item 1: `X-Actor-Id` is honoured only when a trusted party asserts it — a TCP
//! peer in `MTF_TRUSTED_GATEWAYS`, or a `gateway` actor's bearer token — and the audit shows
//! who acted through which gateway.

use serde_json::{json, Value};
use time::macros::date;

use crate::support::{seed, TestApp};

use super::access::{request, seeded_fixtures, table_counts};
use super::operations::{document, operations};
use super::{assert_none, describe, report, send};

const UNTRUSTED_PEER: &str = "203.0.113.9:5555";

fn new_admin() -> Value {
    json!({"name": "intruder", "roles": ["admin"]})
}

#[actix_web::test]
async fn an_admin_id_from_an_untrusted_peer_is_refused_and_creates_nothing() {
    let app = TestApp::new().await;
    let admin = app.admin_id().await;
    let before = app.count("SELECT count(*) FROM actors");
    app.post("/admin/actors")
        .peer(UNTRUSTED_PEER)
        .header("x-actor-id", &admin)
        .json(&new_admin())
        .send()
        .await
        .assert_problem(401, "actor_header_not_trusted");
    assert_eq!(app.count("SELECT count(*) FROM actors"), before);
}

#[actix_web::test]
async fn a_trusted_gateway_address_may_assert_an_actor() {
    let mut app = TestApp::new().await;
    let admin = app.admin_id().await;
    // Default: loopback is the gateway.
    app.post("/admin/actors")
        .header("x-actor-id", &admin)
        .json(&new_admin())
        .send()
        .await
        .assert_status(201);
    app.trust_gateways("203.0.113.0/24");
    let me = app
        .get("/me")
        .peer(UNTRUSTED_PEER)
        .header("x-actor-id", &admin)
        .send()
        .await;
    me.assert_status(200);
    assert_eq!(me.json()["actor_id"], admin.as_str());
    // Loopback is no longer trusted once the list names other addresses.
    app.get("/me")
        .header("x-actor-id", &admin)
        .send()
        .await
        .assert_problem(401, "actor_header_not_trusted");
}

#[actix_web::test]
async fn an_empty_gateway_list_trusts_nobody_not_even_loopback() {
    let mut app = TestApp::new().await;
    let admin = app.admin_id().await;
    app.trust_gateways("");
    for peer in ["127.0.0.1:40000", "[::1]:40000", UNTRUSTED_PEER] {
        app.get("/me")
            .peer(peer)
            .header("x-actor-id", &admin)
            .send()
            .await
            .assert_problem(401, "actor_header_not_trusted");
    }
    // Bearer tokens keep working.
    app.get("/me").admin().send().await.assert_status(200);
}

#[actix_web::test]
async fn forwarded_headers_from_an_untrusted_peer_do_not_make_it_a_gateway() {
    let app = TestApp::new().await;
    let admin = app.admin_id().await;
    let before = app.count("SELECT count(*) FROM actors");
    for (name, value) in [
        ("x-forwarded-for", "127.0.0.1"),
        ("forwarded", "for=127.0.0.1"),
        ("x-real-ip", "127.0.0.1"),
    ] {
        app.post("/admin/actors")
            .peer(UNTRUSTED_PEER)
            .header(name, value)
            .header("x-actor-id", &admin)
            .json(&new_admin())
            .send()
            .await
            .assert_problem(401, "actor_header_not_trusted");
    }
    assert_eq!(app.count("SELECT count(*) FROM actors"), before);
}

#[actix_web::test]
async fn a_gateway_token_delegates_from_anywhere_and_the_audit_shows_both() {
    let app = TestApp::new().await;
    let (gateway, gateway_token) = app.new_actor(&["gateway"]).await;
    let (agent, _) = app.new_actor(&["agent"]).await;
    let client = seed::client(&app, "AB123456");
    let offer = seed::offer(&app, "MOB-GW", "mobile", 9_900);
    let contract = seed::contract(&app, &client, &offer, date!(2026 - 02 - 01), "active");

    let me = app
        .get("/me")
        .peer(UNTRUSTED_PEER)
        .token(&gateway_token)
        .header("x-actor-id", &agent)
        .send()
        .await;
    me.assert_status(200);
    assert_eq!(me.json()["actor_id"], agent.as_str());

    app.put(&format!("/contracts/{contract}/status"))
        .peer(UNTRUSTED_PEER)
        .token(&gateway_token)
        .header("x-actor-id", &agent)
        .json(&json!({"status": "suspended", "reason": "unpaid"}))
        .send()
        .await
        .assert_status(200);
    let audit = app
        .get(&format!("/contracts/{contract}/audit"))
        .admin()
        .send()
        .await
        .json();
    let last = audit["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "status_changed");
    assert_eq!(last["actor_id"], agent.as_str());
    assert_eq!(last["via_gateway"], gateway.as_str());
}

#[actix_web::test]
async fn the_delegated_actor_keeps_only_its_own_roles() {
    let app = TestApp::new().await;
    let (_, gateway_token) = app.new_actor(&["gateway"]).await;
    let (viewer, _) = app.new_actor(&["viewer"]).await;
    let before = app.count("SELECT count(*) FROM actors");
    app.post("/admin/actors")
        .peer(UNTRUSTED_PEER)
        .token(&gateway_token)
        .header("x-actor-id", &viewer)
        .json(&new_admin())
        .send()
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(app.count("SELECT count(*) FROM actors"), before);
}

#[actix_web::test]
async fn a_bearer_that_is_not_a_gateway_cannot_assert_another_actor() {
    let app = TestApp::new().await;
    let admin = app.admin_id().await;
    let (_, viewer_token) = app.new_actor(&["viewer"]).await;
    let before = app.count("SELECT count(*) FROM actors");
    // Not even from a trusted peer, and not even an admin's token.
    for token in [viewer_token.as_str(), crate::support::ADMIN_TOKEN] {
        app.post("/admin/actors")
            .token(token)
            .header("x-actor-id", &admin)
            .json(&new_admin())
            .send()
            .await
            .assert_problem(401, "actor_header_not_trusted");
    }
    assert_eq!(app.count("SELECT count(*) FROM actors"), before);
}

#[actix_web::test]
async fn a_gateway_can_do_nothing_on_its_own_nor_assert_another_gateway() {
    let app = TestApp::new().await;
    let (gateway, gateway_token) = app.new_actor(&["gateway"]).await;
    let (_, other_token) = app.new_actor(&["gateway"]).await;
    app.get("/me")
        .token(&gateway_token)
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get("/offers")
        .token(&gateway_token)
        .send()
        .await
        .assert_problem(403, "forbidden");
    // Asserting a gateway id from a trusted peer or through another gateway is refused too.
    app.get("/me")
        .header("x-actor-id", &gateway)
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get("/me")
        .token(&other_token)
        .header("x-actor-id", &gateway)
        .send()
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn a_gateway_delegating_to_an_unknown_or_inactive_actor_is_unauthenticated() {
    let app = TestApp::new().await;
    let (_, gateway_token) = app.new_actor(&["gateway"]).await;
    let (agent, _) = app.new_actor(&["agent"]).await;
    app.patch(&format!("/admin/actors/{agent}"))
        .admin()
        .json(&json!({"active": false}))
        .send()
        .await
        .assert_status(200);
    for id in [agent.as_str(), "act_01JD0000000000000000000000", "nonsense"] {
        app.get("/me")
            .peer(UNTRUSTED_PEER)
            .token(&gateway_token)
            .header("x-actor-id", id)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
    }
}

#[actix_web::test]
async fn a_switched_off_gateway_cannot_delegate() {
    let app = TestApp::new().await;
    let (gateway, gateway_token) = app.new_actor(&["gateway"]).await;
    let (agent, _) = app.new_actor(&["agent"]).await;
    let delegated = || {
        app.get("/me")
            .peer(UNTRUSTED_PEER)
            .token(&gateway_token)
            .header("x-actor-id", &agent)
    };
    delegated().send().await.assert_status(200);
    app.patch(&format!("/admin/actors/{gateway}"))
        .admin()
        .json(&json!({"active": false}))
        .send()
        .await
        .assert_status(200);
    delegated()
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn a_payment_recorded_through_a_gateway_names_both() {
    let app = TestApp::new().await;
    let (gateway, gateway_token) = app.new_actor(&["gateway"]).await;
    let (collector, collector_token) = app.new_actor(&["collections"]).await;
    let client = seed::client(&app, "AB123456");
    let body = json!({"client_id": client, "amount": 5_000, "method": "cash"});
    let delegated = app
        .post("/collections/payments")
        .peer(UNTRUSTED_PEER)
        .token(&gateway_token)
        .header("x-actor-id", &collector)
        .header("idempotency-key", "gw-1")
        .json(&body)
        .send()
        .await;
    delegated.assert_status(201);
    assert_eq!(delegated.json()["actor_id"], collector.as_str());
    assert_eq!(delegated.json()["via_gateway"], gateway.as_str());
    let direct = app
        .post("/collections/payments")
        .token(&collector_token)
        .header("idempotency-key", "direct-1")
        .json(&body)
        .send()
        .await;
    direct.assert_status(201);
    assert_eq!(direct.json()["actor_id"], collector.as_str());
    assert_eq!(direct.json()["via_gateway"], Value::Null);
}

#[actix_web::test]
async fn every_internal_operation_refuses_an_untrusted_actor_header_and_a_lone_gateway() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let fixtures = seeded_fixtures(&app);
    let admin = app.admin_id().await;
    let (_, gateway_token) = app.new_actor(&["gateway"]).await;
    let before = table_counts(&app);
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&doc).iter().filter(|op| !op.is_public()) {
        let untrusted = request(&app, &doc, op, &fixtures)
            .peer(UNTRUSTED_PEER)
            .header("x-actor-id", &admin);
        let answer = send(untrusted, &format!("{} untrusted X-Actor-Id", op.label())).await;
        if answer.status != 401 || answer.code() != "actor_header_not_trusted" {
            failures.push(format!("{} untrusted: {}", op.label(), describe(&answer)));
        }
        let alone = request(&app, &doc, op, &fixtures).token(&gateway_token);
        let answer = send(alone, &format!("{} gateway alone", op.label())).await;
        if answer.status != 403 || answer.code() != "forbidden" {
            failures.push(format!(
                "{} gateway alone: {}",
                op.label(),
                describe(&answer)
            ));
        }
        checked += 2;
    }
    assert_none(&failures);
    assert_eq!(
        table_counts(&app),
        before,
        "a refused call changed something"
    );
    report("untrusted X-Actor-Id and lone gateway refused", checked);
}
