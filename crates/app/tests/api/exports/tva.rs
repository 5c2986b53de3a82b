//! `GET /reports/tva`: golden figures of March 2026 under both regimes, two rates, a partly
//! paid invoice, and the month that completes it.

use serde_json::{json, Value};
use time::macros::date;

use super::{centimes, csv_records, set_today, Books};
use crate::support::TestApp;

async fn report(books: &Books, query: &str) -> Value {
    let answer = books
        .get(&format!("/reports/tva?{query}&format=json"))
        .await;
    answer.assert_status(200);
    answer.json()
}

#[actix_web::test]
async fn debits_count_the_documents_issued_in_the_month() {
    let books = Books::march().await;
    let body = report(&books, "period=2026-03&regime=debits").await;
    assert_eq!(body["regime"], "debits");
    // Invoices 1, 2 and 4 at 20 % (100.00 + 83.33 + 50.00, TVA 20.00 + 16.67 + 10.00) minus
    // the credit note (20.00, TVA 4.00); invoice 1's internet line at 10 %.
    assert_eq!(
        body["rates"],
        json!([
            {"rate_bp": 2000, "excl_tax": 21_333, "tax": 4_267},
            {"rate_bp": 1000, "excl_tax": 5_000, "tax": 500}
        ])
    );
    assert_eq!(body["total_tax"], 4_767);
    assert_eq!(body["total_excl_tax"], 26_333);
    // Invoice 3, issued in April, is April's.
    let april = report(&books, "period=2026-04&regime=debits").await;
    assert_eq!(
        april["rates"],
        json!([{"rate_bp": 1000, "excl_tax": 20_000, "tax": 2_000}])
    );
}

#[actix_web::test]
async fn encaissements_count_the_tva_share_of_the_money_collected_in_the_month() {
    let books = Books::march().await;
    let body = report(&books, "period=2026-03&regime=encaissements").await;
    assert_eq!(body["regime"], "encaissements");
    // Invoice 1 paid in full: all its TVA at both rates. Invoice 2 half paid (50.00 of
    // 100.00): half of 83.33 and of 16.67, half up: 41.67 and 8.34. Invoice 4, credited
    // but unpaid, collects nothing.
    assert_eq!(
        body["rates"],
        json!([
            {"rate_bp": 2000, "excl_tax": 10_000 + 4_167, "tax": 2_000 + 834},
            {"rate_bp": 1000, "excl_tax": 5_000, "tax": 500}
        ])
    );
    assert_eq!(body["total_tax"], 3_334);
}

#[actix_web::test]
async fn the_payment_that_completes_an_invoice_collects_exactly_the_rest_of_its_tva() {
    let books = Books::march().await;
    set_today(&books.app, date!(2026 - 04 - 05));
    books
        .pay(&books.omar, &books.inv2, 5_000, "2026-04-02")
        .await;
    let april = report(&books, "period=2026-04&regime=encaissements").await;
    assert_eq!(
        april["rates"],
        json!([{"rate_bp": 2000, "excl_tax": 8_333 - 4_167, "tax": 1_667 - 834}])
    );
    let march = report(&books, "period=2026-03&regime=encaissements").await;
    assert_eq!(
        march["rates"][0]["tax"].as_i64().unwrap() - 2_000 + april["total_tax"].as_i64().unwrap(),
        1_667,
        "invoice 2's TVA over both months is its TVA"
    );
}

#[actix_web::test]
async fn the_regime_defaults_to_the_setting() {
    let books = Books::march().await;
    let body = report(&books, "period=2026-03").await;
    assert_eq!(body["regime"], "encaissements");
    let debits = TestApp::with_settings(domain::settings::Settings {
        tva_regime: domain::exports::TvaRegime::Debits,
        ..domain::settings::Settings::default()
    })
    .await;
    let answer = debits
        .get("/reports/tva?period=2026-03&format=json")
        .admin()
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["regime"], "debits");
    assert_eq!(answer.json()["rates"], json!([]));
}

#[actix_web::test]
async fn the_csv_has_a_row_per_rate_and_a_total() {
    let books = Books::march().await;
    let records = csv_records(&books.get("/reports/tva?period=2026-03&regime=debits").await);
    assert_eq!(records[0], ["rate_bp", "rate", "excl_tax", "tax"]);
    assert_eq!(records[1], ["2000", "20,00", "213,33", "42,67"]);
    assert_eq!(records[2], ["1000", "10,00", "50,00", "5,00"]);
    assert_eq!(records[3][0], "total");
    assert_eq!(centimes(&records[3][3]), 4_767);
}
