//! `GET /exports/receipts-journal`: payments, a refund and a reversal with their
//! allocations, as CSV and JSON.

use serde_json::json;
use time::macros::date;

use super::{centimes, column, csv_records, set_today, Books};
use crate::collections::ledger_fixtures::{refund, reverse};

/// March with money moving both ways: Omar pays 50.00 on `inv2` (10 March), Hajar pays
/// 200.00 on `inv1` (15 March; 25.00 left as credit); on 20 March 10.00 of Hajar's credit is
/// refunded and Omar's payment is reversed.
async fn movements() -> (Books, String, String) {
    let books = Books::invoices_only().await;
    let omar_payment = books
        .pay(&books.omar, &books.inv2, 5_000, "2026-03-10")
        .await;
    let hajar_payment = books
        .pay(&books.hajar, &books.inv1, 20_000, "2026-03-15")
        .await;
    set_today(&books.app, date!(2026 - 03 - 20));
    refund(
        &books.app,
        &books.collector,
        "refund-1",
        json!({"client_id": books.hajar, "amount": 1_000, "method": "transfer", "reference": "REMB-1"}),
    )
    .await
    .assert_status(201);
    reverse(
        &books.app,
        &books.collector,
        &omar_payment,
        "rev-1",
        "Chèque impayé",
    )
    .await
    .assert_status(201);
    (books, omar_payment, hajar_payment)
}

#[actix_web::test]
async fn every_movement_comes_with_its_allocations_and_the_net_is_what_stayed() {
    let (books, omar_payment, hajar_payment) = movements().await;
    let body = books
        .get("/exports/receipts-journal?from=2026-03-01&to=2026-03-31&format=json")
        .await
        .json();
    let items = body["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    // By date, then id: `rev_…` sorts before `rfd_…` on 20 March.
    assert_eq!(kinds, ["payment", "payment", "reversal", "refund"]);
    assert_eq!(items[0]["id"], omar_payment.as_str());
    assert_eq!(items[0]["amount"], 5_000);
    assert_eq!(items[0]["client_name"], "Omar Alaoui");
    assert_eq!(
        items[0]["allocations"],
        json!([{"kind": "invoice", "id": books.inv2, "number": "FAC-2026-000002",
                "amount": 5_000, "date": "2026-03-10"}])
    );
    assert_eq!(items[1]["amount"], 20_000);
    assert_eq!(items[1]["allocations"][0]["amount"], 17_500);
    assert_eq!(items[1]["reference"], "VIR-2026-03-15");
    let reversal = &items[2];
    assert_eq!(reversal["payment_id"], omar_payment.as_str());
    assert_eq!(reversal["amount"], -5_000);
    assert_eq!(reversal["reference"], "Chèque impayé");
    assert_eq!(
        reversal["allocations"],
        json!([{"kind": "invoice", "id": books.inv2, "number": "FAC-2026-000002",
                "amount": -5_000, "date": "2026-03-20"}])
    );
    let refund = &items[3];
    assert_eq!(refund["amount"], -1_000);
    assert_eq!(
        refund["allocations"],
        json!([{"kind": "payment", "id": hajar_payment, "number": null,
                "amount": -1_000, "date": "2026-03-20"}])
    );
    assert_eq!(
        body["totals"],
        json!({"count": 4, "received": 25_000, "refunded": -1_000, "reversed": -5_000,
               "net": 19_000})
    );
    // The net is the money the books still hold from these clients.
    assert_eq!(
        books.app.count(
            "SELECT ((SELECT sum(amount) FROM payments) - (SELECT sum(amount) FROM refunds) \
                     - (SELECT sum(amount) FROM payment_reversals))::int8"
        ),
        19_000
    );
}

#[actix_web::test]
async fn the_csv_puts_each_allocation_under_its_movement_with_the_amount_left_empty() {
    let (books, _, _) = movements().await;
    let records = csv_records(
        &books
            .get("/exports/receipts-journal?from=2026-03-01&to=2026-03-31")
            .await,
    );
    assert_eq!(
        records.len(),
        1 + 4 + 4,
        "a header, 4 movements, 4 allocations"
    );
    let net: i64 = column(&records, "amount")
        .iter()
        .filter(|f| !f.is_empty())
        .map(|f| centimes(f))
        .sum();
    assert_eq!(net, 19_000);
    let allocated: Vec<i64> = column(&records, "allocation_amount")
        .iter()
        .filter(|f| !f.is_empty())
        .map(|f| centimes(f))
        .collect();
    assert_eq!(allocated, [5_000, 17_500, -5_000, -1_000]);
    assert_eq!(
        column(&records, "allocation_number")
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>(),
        ["FAC-2026-000002", "FAC-2026-000001", "FAC-2026-000002"]
    );
    // An allocation row repeats its movement's id and kind.
    assert_eq!(records[2][1], "payment");
    assert_eq!(records[2][10], "invoice");
    assert_eq!(records[2][9], "");
}

#[actix_web::test]
async fn movements_outside_the_range_are_left_out() {
    let (books, _, _) = movements().await;
    let body = books
        .get("/exports/receipts-journal?from=2026-03-11&to=2026-03-19&format=json")
        .await
        .json();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["date"], "2026-03-15");
}
