//! `GET /exports/sales-journal`: every invoice and credit note of the range, reconciled with
//! the documents, as CSV (parsed back) and JSON, over several pages.

use time::macros::date;

use super::{centimes, column, csv_records, invoice, Books};

/// Sum of `expression` over the invoices issued in March minus that over the credit notes.
fn march_books(books: &Books, column: &str) -> i64 {
    books.app.count(&format!(
        "SELECT ((SELECT COALESCE(sum({column}), 0) FROM invoices \
                   WHERE issue_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31') \
               - (SELECT COALESCE(sum({column}), 0) FROM credit_notes \
                   WHERE issue_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'))::int8"
    ))
}

#[actix_web::test]
async fn the_csv_rows_sum_to_the_invoices_minus_the_credit_notes() {
    let books = Books::march().await;
    let answer = books
        .get("/exports/sales-journal?from=2026-03-01&to=2026-03-31")
        .await;
    assert!(answer
        .header("content-disposition")
        .unwrap()
        .contains("sales-journal-2026-03-01-2026-03-31.csv"));
    let records = csv_records(&answer);
    assert_eq!(
        records[0],
        [
            "date",
            "kind",
            "number",
            "document_id",
            "invoice_number",
            "client_id",
            "client_name",
            "client_tax_id",
            "total_excl_tax",
            "tax_20",
            "tax_10",
            "total_tax",
            "total_incl_tax",
            "currency"
        ]
    );
    // Three March invoices and the credit note, by date then number; April's is left out.
    assert_eq!(
        column(&records, "number"),
        [
            "FAC-2026-000001",
            "FAC-2026-000002",
            "FAC-2026-000004",
            "AV-2026-000001"
        ]
    );
    let sum = |name: &str| -> i64 { column(&records, name).iter().map(|f| centimes(f)).sum() };
    for (name, db) in [
        ("total_excl_tax", "total_excl_tax"),
        ("total_tax", "total_tax"),
        ("total_incl_tax", "total_incl_tax"),
    ] {
        assert_eq!(sum(name), march_books(&books, db), "{name}");
    }
    assert_eq!(sum("total_incl_tax"), 17_500 + 10_000 + 6_000 - 2_400);
    assert_eq!(sum("tax_20"), 2_000 + 1_667 + 1_000 - 400);
    assert_eq!(sum("tax_10"), 500);
    // The credit note is negative, names its invoice and its buyer.
    let note = records.last().unwrap();
    assert_eq!(note[1], "credit_note");
    assert_eq!(note[4], "FAC-2026-000004");
    assert_eq!(note[6], "Omar Alaoui");
    assert_eq!(note[7], "CD789012");
    assert_eq!(note[12], "-24,00");
    assert_eq!(records[1][0], "2026-03-01");
    assert_eq!(records[1][8], "150,00");
}

#[actix_web::test]
async fn the_json_format_carries_the_same_rows_in_centimes_with_totals() {
    let books = Books::march().await;
    let answer = books
        .get("/exports/sales-journal?from=2026-03-01&to=2026-03-31&format=json")
        .await;
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/json")
    );
    let body = answer.json();
    assert_eq!(body["tax_rates_bp"], serde_json::json!([2000, 1000]));
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["client_name"], "Hajar Benkirane");
    assert_eq!(items[0]["client_tax_id"], "AB123456");
    assert_eq!(
        items[0]["taxes"],
        serde_json::json!([
            {"rate_bp": 2000, "excl_tax": 10_000, "tax": 2_000},
            {"rate_bp": 1000, "excl_tax": 5_000, "tax": 500}
        ])
    );
    assert_eq!(items[3]["kind"], "credit_note");
    assert_eq!(items[3]["total_incl_tax"], -2_400);
    let totals = &body["totals"];
    assert_eq!(totals["count"], 4);
    assert_eq!(
        totals["total_incl_tax"].as_i64().unwrap(),
        march_books(&books, "total_incl_tax")
    );
    assert_eq!(
        totals["taxes"],
        serde_json::json!([
            {"rate_bp": 2000, "excl_tax": 21_333, "tax": 4_267},
            {"rate_bp": 1000, "excl_tax": 5_000, "tax": 500}
        ])
    );
}

#[actix_web::test]
async fn a_range_longer_than_a_page_streams_every_row_once_in_order() {
    let books = Books::invoices_only().await;
    // 2 100 more invoices on one day: the pages (1 000 rows) split inside that day.
    let day = date!(2026 - 05 - 02);
    let first = invoice(
        &books.app,
        &books.hajar,
        "FAC-2026-100000",
        day,
        &[(&books.mobile, 2000, 100)],
    );
    books.app.sql(&format!(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
         offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, \
         total_tax, total_incl_tax, amount_paid, currency, created_at, updated_at, \
         buyer_name, buyer_cin, buyer_ice, buyer_address, buyer_city, service_identifier, \
         seller_identity_id) \
         SELECT 'inv_bulk' || lpad(n::text, 22, '0'), 'FAC-2026-' || (100000 + n), \
                billing_run_id, client_id, contract_id, offer_id, service_type, \
                to_char(DATE '2100-01-01' + n * INTERVAL '1 month', 'YYYY-MM'), issue_date, \
                due_date, status, 100, 20, 120, 0, currency, now(), now(), buyer_name, \
                buyer_cin, buyer_ice, buyer_address, buyer_city, service_identifier, \
                seller_identity_id \
           FROM invoices, generate_series(1, 2099) AS n WHERE id = '{first}'"
    ));
    let answer = books
        .get("/exports/sales-journal?from=2026-05-01&to=2026-05-31")
        .await;
    let records = csv_records(&answer);
    let numbers = column(&records, "number");
    assert_eq!(numbers.len(), 2_100);
    let mut sorted = numbers.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, numbers, "each row once, in number order");
    let total: i64 = column(&records, "total_incl_tax")
        .iter()
        .map(|f| centimes(f))
        .sum();
    assert_eq!(total, 2_100 * 120);
    let json = books
        .get("/exports/sales-journal?from=2026-05-01&to=2026-05-31&format=json")
        .await
        .json();
    assert_eq!(json["items"].as_array().unwrap().len(), 2_100);
    assert_eq!(json["totals"]["total_incl_tax"], 2_100 * 120);
}

#[actix_web::test]
async fn an_empty_range_is_a_header_alone() {
    let books = Books::invoices_only().await;
    let records = csv_records(
        &books
            .get("/exports/sales-journal?from=2025-01-01&to=2025-01-31")
            .await,
    );
    assert_eq!(records.len(), 1);
    let json = books
        .get("/exports/sales-journal?from=2025-01-01&to=2025-01-31&format=json")
        .await
        .json();
    assert_eq!(json["items"], serde_json::json!([]));
    assert_eq!(json["totals"]["count"], 0);
}

#[actix_web::test]
async fn the_journal_names_the_buyer_as_issued_and_a_company_by_its_ice() {
    let books = Books::invoices_only().await;
    // Omar renames himself after his invoices were issued: the journal keeps the name issued.
    books.app.sql(&format!(
        "UPDATE clients SET first_name = 'Omar-Changed', last_name = 'Later', cin = 'EF111111' \
         WHERE id = '{}'",
        books.omar
    ));
    // A company billed on 7 March, then renamed.
    let company = crate::support::seed::client(&books.app, "GH222222");
    books.app.sql(&format!(
        "UPDATE clients SET kind = 'company', cin = NULL, first_name = NULL, last_name = NULL, \
         company_name = 'Atlas Logistique SARL', ice = '001525374000089', \
         invoicing = 'per_account' WHERE id = '{company}'"
    ));
    invoice(
        &books.app,
        &company,
        "FAC-2026-000005",
        date!(2026 - 03 - 07),
        &[(&books.mobile, 2000, 1_000)],
    );
    books.app.sql(&format!(
        "UPDATE clients SET company_name = 'Atlas Renamed' WHERE id = '{company}'"
    ));
    let json = books
        .get("/exports/sales-journal?from=2026-03-01&to=2026-03-31&format=json")
        .await
        .json();
    let items = json["items"].as_array().unwrap();
    let row = |number: &str| {
        items
            .iter()
            .find(|i| i["number"] == number)
            .unwrap_or_else(|| panic!("{number} in {items:?}"))
    };
    assert_eq!(row("FAC-2026-000002")["client_name"], "Omar Alaoui");
    assert_eq!(row("FAC-2026-000002")["client_tax_id"], "CD789012");
    assert_eq!(
        row("FAC-2026-000005")["client_name"],
        "Atlas Logistique SARL"
    );
    assert_eq!(row("FAC-2026-000005")["client_tax_id"], "001525374000089");
    // The CSV prints the same.
    let records = csv_records(
        &books
            .get("/exports/sales-journal?from=2026-03-01&to=2026-03-31")
            .await,
    );
    let company_row = records
        .iter()
        .find(|r| r[2] == "FAC-2026-000005")
        .expect("company row");
    assert_eq!(company_row[6], "Atlas Logistique SARL");
    assert_eq!(company_row[7], "001525374000089");
}
