//! P1–P2 guards: roles, unknown offers, deletion blocked by contract history, and what a
//! change does to signed contracts.

use serde_json::json;
use time::macros::date;

use super::{create_offer, id, offer_body};
use crate::support::{seed, TestApp};

#[actix_web::test]
async fn only_agents_and_admins_write_offers_while_any_actor_reads_them() {
    let app = TestApp::new().await;
    let offer = create_offer(&app, &offer_body("READ-ME", "mobile")).await;
    let path = format!("/offers/{}", id(&offer));
    for role in ["viewer", "billing", "collections"] {
        let token = app.actor_token(&[role]).await;
        app.post("/offers")
            .token(&token)
            .json(&offer_body("NOPE", "mobile"))
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.put(&path)
            .token(&token)
            .json(&offer_body("NOPE", "mobile"))
            .send()
            .await
            .assert_problem(403, "forbidden");
        app.delete(&path)
            .token(&token)
            .send()
            .await
            .assert_problem(403, "forbidden");
        for read in [
            "/offers",
            path.as_str(),
            "/offer-categories",
            "/offer-families",
        ] {
            app.get(read).token(&token).send().await.assert_status(200);
        }
    }
    assert_eq!(app.get(&path).admin().send().await.json(), offer);
    assert_eq!(app.count("SELECT count(*) FROM offers"), 1);
}

#[actix_web::test]
async fn every_offer_endpoint_needs_credentials() {
    let app = TestApp::new().await;
    let path = "/offers/ofr_01JD0000000000000000000000";
    let body = offer_body("X1", "mobile");
    let answers = [
        app.post("/offers").json(&body).send().await,
        app.get("/offers").send().await,
        app.get(path).send().await,
        app.put(path).json(&body).send().await,
        app.delete(path).send().await,
        app.get("/offer-categories").send().await,
        app.get("/offer-families").send().await,
    ];
    for answer in answers {
        answer.assert_problem(401, "unauthenticated");
    }
}

#[actix_web::test]
async fn unknown_and_malformed_offer_ids_are_not_found() {
    let app = TestApp::new().await;
    for offer_id in [
        "ofr_01JD0000000000000000000000",
        "nope",
        "cli_01JD0000000000000000000000",
    ] {
        let path = format!("/offers/{offer_id}");
        app.get(&path)
            .admin()
            .send()
            .await
            .assert_problem(404, "offer_not_found");
        app.put(&path)
            .admin()
            .json(&offer_body("X1", "mobile"))
            .send()
            .await
            .assert_problem(404, "offer_not_found");
        app.delete(&path)
            .admin()
            .send()
            .await
            .assert_problem(404, "offer_not_found");
    }
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
}

#[actix_web::test]
async fn an_offer_no_contract_ever_used_is_deleted() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let offer = create_offer(&app, &offer_body("SHORT-LIVED", "mobile")).await;
    let path = format!("/offers/{}", id(&offer));
    let answer = app.delete(&path).token(&agent).send().await;
    answer.assert_status(204);
    assert!(answer.body.is_empty());
    app.get(&path)
        .admin()
        .send()
        .await
        .assert_problem(404, "offer_not_found");
    app.delete(&path)
        .admin()
        .send()
        .await
        .assert_problem(404, "offer_not_found");
}

#[actix_web::test]
async fn an_offer_with_a_contract_cannot_be_deleted_but_can_be_retired() {
    let app = TestApp::new().await;
    let offer = create_offer(&app, &offer_body("SIGNED", "mobile")).await;
    let client = seed::client(&app, "AB123456");
    seed::contract(
        &app,
        &client,
        &id(&offer),
        date!(2026 - 01 - 01),
        "terminated",
    );
    let path = format!("/offers/{}", id(&offer));
    app.delete(&path)
        .admin()
        .send()
        .await
        .assert_problem(409, "offer_delete_blocked");
    let mut retire = offer_body("SIGNED", "mobile");
    retire["status"] = json!("retired");
    let retired = app.put(&path).admin().json(&retire).send().await;
    retired.assert_status(200);
    assert_eq!(retired.json()["status"], "retired");
    assert_eq!(app.count("SELECT count(*) FROM offers"), 1);
}

#[actix_web::test]
async fn an_offer_only_a_past_offer_period_referenced_cannot_be_deleted() {
    let app = TestApp::new().await;
    let old = create_offer(&app, &offer_body("BEFORE-UPGRADE", "mobile")).await;
    let current = create_offer(&app, &offer_body("AFTER-UPGRADE", "mobile")).await;
    let client = seed::client(&app, "AB123456");
    let contract = seed::contract(
        &app,
        &client,
        &id(&current),
        date!(2026 - 02 - 01),
        "active",
    );
    // The contract moved off `old` by a plan change: only its closed period remains.
    app.sql(&format!(
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp, \
         start_date, end_date, created_at) VALUES ('{contract}', '{}', 9900, 2000, \
         DATE '2026-01-01', DATE '2026-02-01', now())",
        id(&old)
    ));
    app.delete(&format!("/offers/{}", id(&old)))
        .admin()
        .send()
        .await
        .assert_problem(409, "offer_delete_blocked");
}

#[actix_web::test]
async fn a_new_price_applies_to_later_contracts_only() {
    let app = TestApp::new().await;
    let offer = create_offer(&app, &offer_body("PRICE-CHANGE", "mobile")).await;
    let client = seed::client(&app, "AB123456");
    let contract = seed::contract(&app, &client, &id(&offer), date!(2026 - 01 - 01), "active");
    let mut dearer = offer_body("PRICE-CHANGE", "mobile");
    dearer["monthly_price"] = json!(12900);
    let answer = app
        .put(&format!("/offers/{}", id(&offer)))
        .admin()
        .json(&dearer)
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["monthly_price"], 12900);
    assert_eq!(
        app.count(&format!(
            "SELECT monthly_price FROM contracts WHERE id = '{contract}'"
        )),
        9900,
        "the signed contract keeps its price"
    );
}

#[actix_web::test]
async fn the_service_type_of_an_offer_contracts_used_cannot_change() {
    let app = TestApp::new().await;
    let offer = create_offer(&app, &offer_body("MOBILE-ONLY", "mobile")).await;
    let client = seed::client(&app, "AB123456");
    seed::contract(&app, &client, &id(&offer), date!(2026 - 01 - 01), "active");
    let path = format!("/offers/{}", id(&offer));
    app.put(&path)
        .admin()
        .json(&offer_body("MOBILE-ONLY", "internet"))
        .send()
        .await
        .assert_problem(422, "service_type_mismatch");
    assert_eq!(app.get(&path).admin().send().await.json(), offer);

    let unused = create_offer(&app, &offer_body("NOT-YET-SOLD", "mobile")).await;
    let moved = app
        .put(&format!("/offers/{}", id(&unused)))
        .admin()
        .json(&offer_body("NOT-YET-SOLD", "internet"))
        .send()
        .await;
    moved.assert_status(200);
    assert_eq!(moved.json()["service_type"], "internet");
}
