//! `GET /reports/revenue`: excl. tax by service type and by offer, net of credit notes.

use serde_json::json;

use super::{csv_records, Books};

#[actix_web::test]
async fn revenue_splits_the_months_net_sales_by_service_and_by_offer() {
    let books = Books::march().await;
    let answer = books
        .get("/reports/revenue?period=2026-03&format=json")
        .await;
    answer.assert_status(200);
    let body = answer.json();
    // Mobile: 100.00 + 83.33 + 50.00 − 20.00 credited; internet: 50.00.
    assert_eq!(
        body["by_service"],
        json!([
            {"service_type": "internet", "excl_tax": 5_000},
            {"service_type": "mobile", "excl_tax": 21_333}
        ])
    );
    let mut offers: Vec<(String, i64)> = body["by_offer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["offer_name"].as_str().unwrap().to_owned(),
                o["excl_tax"].as_i64().unwrap(),
            )
        })
        .collect();
    offers.sort();
    assert_eq!(
        offers,
        [
            ("Offre FIBRE-50".to_owned(), 5_000),
            ("Offre MOB-100".to_owned(), 21_333)
        ]
    );
    // Revenue and the debits TVA report share their base.
    assert_eq!(body["total_excl_tax"], 26_333);
}

#[actix_web::test]
async fn the_csv_lists_services_then_offers_then_the_total() {
    let books = Books::march().await;
    let records = csv_records(&books.get("/reports/revenue?period=2026-03").await);
    assert_eq!(
        records[0],
        [
            "dimension",
            "service_type",
            "offer_id",
            "offer_name",
            "excl_tax"
        ]
    );
    let dimensions: Vec<&str> = records[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        dimensions,
        ["service", "service", "offer", "offer", "total"]
    );
    assert_eq!(records[5][4], "263,33");
}
