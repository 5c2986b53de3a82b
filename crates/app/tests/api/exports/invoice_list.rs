//! `GET /invoices`: `number`, `issued_from`/`issued_to`, several statuses, and the buyer's
//! name on each item.

use super::Books;

async fn numbers(books: &Books, query: &str) -> Vec<String> {
    let answer = books.get(&format!("/invoices?{query}")).await;
    answer.assert_status(200);
    let mut numbers: Vec<String> = answer.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["invoice_number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    numbers
}

#[actix_web::test]
async fn an_exact_number_finds_that_invoice_only() {
    let books = Books::invoices_only().await;
    assert_eq!(
        numbers(&books, "number=FAC-2026-000002").await,
        ["FAC-2026-000002"]
    );
    assert!(numbers(&books, "number=FAC-2026-000099").await.is_empty());
}

#[actix_web::test]
async fn issue_dates_bound_the_list_inclusively_on_both_ends() {
    let books = Books::invoices_only().await;
    assert_eq!(
        numbers(&books, "issued_from=2026-03-05&issued_to=2026-03-06").await,
        ["FAC-2026-000002", "FAC-2026-000004"]
    );
    assert_eq!(
        numbers(&books, "issued_from=2026-03-06").await,
        ["FAC-2026-000003", "FAC-2026-000004"]
    );
    assert_eq!(
        numbers(&books, "issued_to=2026-03-01").await,
        ["FAC-2026-000001"]
    );
}

#[actix_web::test]
async fn several_statuses_match_any_of_them() {
    let books = Books::march().await;
    // inv1 paid, inv2 partially paid, inv3 and inv4 issued.
    assert_eq!(
        numbers(&books, "status=issued,partially_paid").await,
        ["FAC-2026-000002", "FAC-2026-000003", "FAC-2026-000004"]
    );
    assert_eq!(numbers(&books, "status=paid").await, ["FAC-2026-000001"]);
    assert_eq!(
        numbers(&books, "status=partially_paid,%20paid&issued_to=2026-03-04").await,
        ["FAC-2026-000001"]
    );
}

#[actix_web::test]
async fn each_item_names_its_buyer() {
    let books = Books::invoices_only().await;
    let answer = books.get("/invoices?number=FAC-2026-000002").await;
    let item = &answer.json()["items"][0];
    assert_eq!(item["client_name"], "Omar Alaoui");
    assert_eq!(item["client_id"], books.omar.as_str());
    assert_eq!(item["total_incl_tax"], 10_000);
}

#[actix_web::test]
async fn malformed_filters_are_refused_by_name() {
    let books = Books::invoices_only().await;
    for (query, field) in [
        ("number=FAC-26-1", "number"),
        ("number=AV-2026-000001", "number"),
        ("issued_from=2026-02-30", "issued_from"),
        ("issued_to=yesterday", "issued_to"),
        ("status=issued,settled", "status"),
        ("status=issued,", "status"),
    ] {
        let answer = books.get(&format!("/invoices?{query}")).await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}
