//! P1–P2: creating, reading, listing and replacing offers.

use serde_json::json;
use time::Duration;

use super::{create_offer, id, ids, offer_body};
use crate::support::TestApp;

#[actix_web::test]
async fn an_agent_creates_an_offer_with_catalog_defaults_and_its_price_incl_tax() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let answer = app
        .post("/offers")
        .token(&agent)
        .json(&json!({
            "code": " forfait-20go ",
            "name": " Forfait 20 Go ",
            "service_type": "mobile",
            "monthly_price": 9999
        }))
        .send()
        .await;
    answer.assert_status(201);
    let offer = answer.json();
    let offer_id = id(&offer);
    assert!(offer_id.starts_with("ofr_"));
    assert_eq!(
        answer.header("location"),
        Some(format!("/api/v1/offers/{offer_id}"))
    );
    assert_eq!(offer["code"], "FORFAIT-20GO");
    assert_eq!(offer["name"], "Forfait 20 Go");
    assert_eq!(offer["description"], "");
    assert_eq!(offer["currency"], "MAD");
    assert_eq!(offer["tax_rate_bp"], 2000);
    assert_eq!(offer["commitment_months"], 0);
    assert_eq!(offer["status"], "active");
    // 99.99 + 20 % = 119.988, half-up to 119.99.
    assert_eq!(offer["monthly_price_incl_tax"], 11999);
    assert_eq!(offer["created_at"], "2026-03-10T09:00:00Z");
    let read = app
        .get(&format!("/offers/{offer_id}"))
        .token(&agent)
        .send()
        .await;
    read.assert_status(200);
    assert_eq!(read.json(), offer);
}

#[actix_web::test]
async fn offer_creation_names_every_invalid_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let answer = app
        .post("/offers")
        .admin()
        .json(&json!({
            "code": "a b",
            "name": "",
            "description": "d".repeat(2001),
            "service_type": "tv",
            "monthly_price": -1,
            "currency": "EUR",
            "tax_rate_bp": 10001,
            "commitment_months": 61,
            "status": "sold"
        }))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        [
            "code",
            "name",
            "description",
            "service_type",
            "monthly_price",
            "currency",
            "tax_rate_bp",
            "commitment_months",
            "status"
        ]
    );
    let too_dear = app
        .post("/offers")
        .admin()
        .json(&json!({"code": "X1", "name": "x", "service_type": "mobile",
                      "monthly_price": 1_000_000_001_i64}))
        .send()
        .await;
    too_dear.assert_problem(422, "validation_failed");
    assert_eq!(too_dear.error_fields(), ["monthly_price"]);
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
}

#[actix_web::test]
async fn offer_bodies_with_unknown_fields_missing_fields_or_wrong_types_are_bad_requests() {
    let app = TestApp::new().await;
    let mut unknown = offer_body("A1", "mobile");
    unknown["price"] = json!(5);
    let cases = [
        (unknown, "price"),
        (
            json!({"code": "A1", "name": "x", "service_type": "mobile"}),
            "monthly_price",
        ),
        (
            json!({"code": "A1", "name": "x", "service_type": "mobile", "monthly_price": "99"}),
            "monthly_price",
        ),
    ];
    for (body, field) in cases {
        let answer = app.post("/offers").admin().json(&body).send().await;
        answer.assert_problem(400, "invalid_body");
        assert_eq!(answer.error_fields(), [field]);
    }
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
}

#[actix_web::test]
async fn a_duplicate_offer_code_is_a_conflict_whatever_its_case() {
    let app = TestApp::new().await;
    create_offer(&app, &offer_body("FIBRE-100", "internet")).await;
    let again = app
        .post("/offers")
        .admin()
        .json(&offer_body("fibre-100", "mobile"))
        .send()
        .await;
    again.assert_problem(409, "offer_code_exists");
    assert_eq!(app.count("SELECT count(*) FROM offers"), 1);
}

#[actix_web::test]
async fn a_put_replaces_every_field_and_null_members_take_their_defaults() {
    let app = TestApp::new().await;
    let mut body = offer_body("FIXE-ILLIMITE", "landline");
    body["description"] = json!("Appels illimités vers les fixes");
    body["commitment_months"] = json!(12);
    let offer = create_offer(&app, &body).await;
    app.clock.advance(Duration::hours(2));
    let answer = app
        .put(&format!("/offers/{}", id(&offer)))
        .admin()
        .json(&json!({
            "code": "fixe-illimite-2",
            "name": "Fixe illimité",
            "description": null,
            "service_type": "landline",
            "monthly_price": 15000,
            "currency": null,
            "commitment_months": null,
            "tax_rate_bp": 1000,
            "status": "retired",
            "allowances": null,
            "overage_rates": null
        }))
        .send()
        .await;
    answer.assert_status(200);
    let updated = answer.json();
    assert_eq!(updated["id"], offer["id"]);
    assert_eq!(updated["code"], "FIXE-ILLIMITE-2");
    assert_eq!(updated["description"], "", "null: back to the default");
    assert_eq!(updated["commitment_months"], 0);
    assert_eq!(updated["monthly_price_incl_tax"], 16500);
    assert_eq!(updated["status"], "retired");
    assert_eq!(updated["created_at"], offer["created_at"]);
    assert_eq!(updated["updated_at"], "2026-03-10T11:00:00Z");
    let read = app
        .get(&format!("/offers/{}", id(&offer)))
        .admin()
        .send()
        .await;
    assert_eq!(read.json(), updated);
}

#[actix_web::test]
async fn a_put_with_invalid_fields_or_a_taken_code_changes_nothing() {
    let app = TestApp::new().await;
    create_offer(&app, &offer_body("TAKEN", "mobile")).await;
    let offer = create_offer(&app, &offer_body("MINE", "mobile")).await;
    let path = format!("/offers/{}", id(&offer));
    let invalid = app
        .put(&path)
        .admin()
        .json(
            &json!({"code": "MINE", "name": "x", "description": null, "service_type": "mobile",
                      "monthly_price": 100, "currency": null, "tax_rate_bp": null,
                      "commitment_months": -1, "status": null, "allowances": null,
                      "overage_rates": null}),
        )
        .send()
        .await;
    invalid.assert_problem(422, "validation_failed");
    assert_eq!(invalid.error_fields(), ["commitment_months"]);
    app.put(&path)
        .admin()
        .json(&offer_body("taken", "mobile"))
        .send()
        .await
        .assert_problem(409, "offer_code_exists");
    assert_eq!(app.get(&path).admin().send().await.json(), offer);
}

#[actix_web::test]
async fn offers_are_listed_by_service_type_status_and_text() {
    let app = TestApp::new().await;
    let mobile = create_offer(&app, &offer_body("MOBILE-5GO", "mobile")).await;
    let mut retired = offer_body("MOBILE-OLD", "mobile");
    retired["status"] = json!("retired");
    let retired = create_offer(&app, &retired).await;
    let mut fibre = offer_body("FIBRE-100", "internet");
    fibre["name"] = json!("Fibre 100% Méga");
    let fibre = create_offer(&app, &fibre).await;
    let list = |query: &'static str| {
        let app = &app;
        async move {
            let answer = app.get(&format!("/offers{query}")).admin().send().await;
            answer.assert_status(200);
            answer.json()
        }
    };
    let all = list("").await;
    assert_eq!(ids(&all), [id(&mobile), id(&retired), id(&fibre)]);
    assert_eq!(all["next_cursor"], serde_json::Value::Null);
    assert_eq!(
        ids(&list("?service_type=mobile").await),
        [id(&mobile), id(&retired)]
    );
    assert_eq!(
        ids(&list("?service_type=mobile&status=active").await),
        [id(&mobile)]
    );
    assert_eq!(ids(&list("?status=retired").await), [id(&retired)]);
    assert_eq!(
        ids(&list("?q=M%C3%A9GA").await),
        [id(&fibre)],
        "name, any case"
    );
    assert_eq!(
        ids(&list("?q=mobile-").await),
        [id(&mobile), id(&retired)],
        "code"
    );
    assert_eq!(
        ids(&list("?q=100%25").await),
        [id(&fibre)],
        "% matches itself"
    );
    assert!(
        ids(&list("?q=%25%25").await).is_empty(),
        "%% is not a wildcard"
    );
}

#[actix_web::test]
async fn offer_pages_follow_the_cursor_and_stay_stable_under_inserts() {
    let app = TestApp::new().await;
    let mut created = Vec::new();
    for n in 1..=5 {
        created.push(id(&create_offer(
            &app,
            &offer_body(&format!("OFR-{n}"), "mobile"),
        )
        .await));
    }
    let first = app.get("/offers?limit=2").admin().send().await.json();
    assert_eq!(ids(&first), created[..2]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(cursor, created[1]);
    // A new offer sorts after every existing id: it cannot shift the pages already read.
    let late = id(&create_offer(&app, &offer_body("OFR-6", "mobile")).await);
    let second = app
        .get(&format!("/offers?limit=2&cursor={cursor}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(ids(&second), created[2..4]);
    let third = app
        .get(&format!(
            "/offers?limit=2&cursor={}",
            second["next_cursor"].as_str().unwrap()
        ))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(ids(&third), [created[4].clone(), late]);
    assert_eq!(third["next_cursor"], serde_json::Value::Null);
}

#[actix_web::test]
async fn offer_list_parameters_are_checked_and_named() {
    let app = TestApp::new().await;
    let cases = [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=many", "limit"),
        ("cursor=cli_01JD0000000000000000000000", "cursor"),
        ("service_type=tv", "service_type"),
        ("status=sold", "status"),
        ("q=a&q=b", "q"),
        ("servicetype=mobile", "servicetype"),
    ];
    for (query, field) in cases {
        let answer = app.get(&format!("/offers?{query}")).admin().send().await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
    app.get("/offers?limit=500")
        .admin()
        .send()
        .await
        .assert_status(200);
}
