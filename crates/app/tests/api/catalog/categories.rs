//! P1–P2: the catalog grouped by service family, under both of its names.

use serde_json::json;

use super::{create_offer, id, offer_body};
use crate::support::TestApp;

#[actix_web::test]
async fn categories_list_every_service_type_with_label_count_and_offers_by_code() {
    let app = TestApp::new().await;
    let b = create_offer(&app, &offer_body("MOBILE-B", "mobile")).await;
    let mut retired = offer_body("MOBILE-A", "mobile");
    retired["status"] = json!("retired");
    let a = create_offer(&app, &retired).await;
    let fixe = create_offer(&app, &offer_body("FIXE-1", "landline")).await;
    let answer = app.get("/offer-categories").admin().send().await;
    answer.assert_status(200);
    let body = answer.json();
    let items = body["items"].as_array().unwrap();
    let summary: Vec<_> = items
        .iter()
        .map(|c| {
            (
                c["service_type"].as_str().unwrap(),
                c["label"].as_str().unwrap(),
                c["offer_count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("mobile", "Mobile", 2),
            ("internet", "Internet", 0),
            ("landline", "Téléphonie fixe", 1)
        ]
    );
    assert_eq!(
        items[0]["offers"],
        json!([a, b]),
        "by code, retired ones included"
    );
    assert_eq!(items[1]["offers"], json!([]));
    assert_eq!(items[2]["offers"][0]["id"], id(&fixe).as_str());
    assert_eq!(items[2]["offers"][0]["monthly_price_incl_tax"], 11880);
}

#[actix_web::test]
async fn offer_families_is_the_same_resource_as_offer_categories() {
    let app = TestApp::new().await;
    create_offer(&app, &offer_body("FIBRE-1", "internet")).await;
    create_offer(&app, &offer_body("MOBILE-1", "mobile")).await;
    let categories = app.get("/offer-categories").admin().send().await;
    let families = app.get("/offer-families").admin().send().await;
    families.assert_status(200);
    assert_eq!(families.body, categories.body);
    let active = app
        .get("/offer-families?status=active")
        .admin()
        .send()
        .await;
    assert_eq!(
        active.body,
        app.get("/offer-categories?status=active")
            .admin()
            .send()
            .await
            .body
    );
}

#[actix_web::test]
async fn categories_can_be_limited_to_one_status() {
    let app = TestApp::new().await;
    let active = create_offer(&app, &offer_body("ON-SALE", "mobile")).await;
    let mut retired = offer_body("GONE", "mobile");
    retired["status"] = json!("retired");
    let retired = create_offer(&app, &retired).await;
    let on_sale = app
        .get("/offer-categories?status=active")
        .admin()
        .send()
        .await
        .json();
    assert_eq!(on_sale["items"][0]["offers"], json!([active]));
    assert_eq!(on_sale["items"][0]["offer_count"], 1);
    let gone = app
        .get("/offer-categories?status=retired")
        .admin()
        .send()
        .await
        .json();
    assert_eq!(gone["items"][0]["offers"], json!([retired]));
    for query in ["status=sold", "type=mobile"] {
        app.get(&format!("/offer-categories?{query}"))
            .admin()
            .send()
            .await
            .assert_problem(400, "invalid_query");
    }
}
