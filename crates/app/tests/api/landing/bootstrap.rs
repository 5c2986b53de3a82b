//! P7 step 1: the landing bootstrap.

use crate::support::{seed, TestApp};

#[actix_web::test]
async fn bootstrap_lists_active_offers_by_family_with_prices_incl_tax_and_no_credentials() {
    let app = TestApp::new().await;
    let dear = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let cheap = seed::offer(&app, "MOB-50", "mobile", 4_999);
    let fibre = seed::offer(&app, "FIBRE-100", "internet", 34_900);
    let retired = seed::offer(&app, "MOB-OLD", "mobile", 1_000);
    app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{retired}'"
    ));

    let answer = app.get("/landing/bootstrap").send().await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["currency"], "MAD");
    assert_eq!(body["commitment_options"], serde_json::json!([0, 12, 24]));
    let required: Vec<&str> = body["required_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(required.contains(&"client.cin"));
    assert!(required.contains(&"subscriber.service_identifier"));
    let families: Vec<(String, String, u64)> = body["service_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["service_type"].as_str().unwrap().to_owned(),
                f["label"].as_str().unwrap().to_owned(),
                f["offer_count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        families,
        vec![
            ("mobile".into(), "Mobile".into(), 2),
            ("internet".into(), "Internet".into(), 1),
            ("landline".into(), "Téléphonie fixe".into(), 0),
        ]
    );
    let offers = body["offers"].as_array().unwrap();
    let ids: Vec<&str> = offers.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![cheap.as_str(), dear.as_str(), fibre.as_str()]);
    let first = &offers[0];
    assert_eq!(first["service_type"], "mobile");
    assert_eq!(first["monthly_price"], 4_999);
    assert_eq!(first["monthly_price_incl_tax"], 5_999); // 4 999 + 999.8 rounded half up
    assert_eq!(first["tax_rate_bp"], 2000);
    assert_eq!(first["commitment_months"], 12);
}

#[actix_web::test]
async fn bootstrap_of_an_empty_catalog_still_lists_every_family() {
    let app = TestApp::new().await;
    let body = app.get("/landing/bootstrap").send().await.json();
    assert_eq!(body["offers"], serde_json::json!([]));
    assert_eq!(body["service_types"].as_array().unwrap().len(), 3);
}
