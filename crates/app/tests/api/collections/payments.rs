//! P14: posting payments — allocation golden cases, validation, guards and failed writes.

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, invoice_state, pay};
use crate::support::TestApp;

#[actix_web::test]
async fn a_payment_of_exactly_the_outstanding_settles_the_invoice() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100001");
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let answer = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "cash",
               "reference": "REC-1", "received_at": "2026-03-09", "invoice_id": inv}),
    )
    .await;
    answer.assert_status(201);
    let body = answer.json();
    assert!(body["payment_id"].as_str().unwrap().starts_with("pay_"));
    assert_eq!(body["id"], body["payment_id"]);
    assert_eq!(body["client_id"], d.client_id.as_str());
    assert_eq!(body["amount"], 12_000);
    assert_eq!(body["currency"], "MAD");
    assert_eq!(body["method"], "cash");
    assert_eq!(body["reference"], "REC-1");
    assert_eq!(body["received_at"], "2026-03-09");
    assert_eq!(
        body["allocations"],
        json!([{"invoice_id": inv, "amount": 12_000, "invoice_status": "paid",
                "outstanding_after": 0}])
    );
    assert_eq!(body["unallocated_amount"], 0);
    assert_eq!(body["allocation_state"], "full");
    assert_eq!(body["invoice_id"], inv.as_str());
    assert_eq!(body["invoice_status"], "paid");
    assert_eq!(body["outstanding_amount"], 0);
    assert_eq!(body["credit_available"], 0);
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 12_000));
    assert_eq!(app.count("SELECT count(*) FROM payment_allocations"), 1);
}

#[actix_web::test]
async fn a_partial_payment_leaves_the_invoice_partially_paid() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100002");
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 5_000, "method": "card"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(
        body["allocations"],
        json!([{"invoice_id": inv, "amount": 5_000, "invoice_status": "partially_paid",
                "outstanding_after": 7_000}])
    );
    // The state is the targeted invoice's: an outstanding remains (decision 0181).
    assert_eq!(body["allocation_state"], "partial");
    assert_eq!(body["invoice_id"], inv.as_str());
    assert_eq!(body["invoice_status"], "partially_paid");
    assert_eq!(body["outstanding_amount"], 7_000);
    assert_eq!(body["received_at"], "2026-03-10");
    assert_eq!(invoice_state(&app, &inv), ("partially_paid".into(), 5_000));
    let second = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 7_000, "method": "agency"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(second["allocations"][0]["invoice_status"], "paid");
    assert_eq!(second["allocation_state"], "full");
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 12_000));
}

#[actix_web::test]
async fn a_payment_larger_than_outstanding_leaves_client_credit() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100003");
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 15_000, "method": "transfer",
               "invoice_id": inv}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(body["allocations"][0]["amount"], 12_000);
    assert_eq!(body["unallocated_amount"], 3_000);
    // The named invoice is settled; the rest is credit.
    assert_eq!(body["allocation_state"], "full");
    assert_eq!(body["outstanding_amount"], 0);
    assert_eq!(body["credit_available"], 3_000);
    assert_eq!(
        app.count("SELECT unallocated_amount FROM payments"),
        3_000,
        "the credit stays on the payment"
    );
}

#[actix_web::test]
async fn a_payment_to_a_client_with_nothing_open_is_all_credit() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100004");
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 2_500, "method": "mobile_money"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(body["allocations"], json!([]));
    assert_eq!(body["unallocated_amount"], 2_500);
    assert_eq!(body["allocation_state"], "unallocated");
    assert_eq!(body["invoice_id"], serde_json::Value::Null);
    assert_eq!(body["invoice_status"], serde_json::Value::Null);
    assert_eq!(body["outstanding_amount"], serde_json::Value::Null);
    assert_eq!(body["credit_available"], 2_500);
}

#[actix_web::test]
async fn credit_held_beside_an_open_invoice_is_answered_by_a_payment_that_does_not_touch_it() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100021");
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 2_500, "method": "cash"}),
    )
    .await
    .assert_status(201);
    // Seeded after the credit, as data from before the credit engine: nothing applied it.
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 1_000, "method": "card", "invoice_id": inv}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(body["unallocated_amount"], 0);
    assert_eq!(body["outstanding_amount"], 11_000);
    // The credit read by the posting's own statement: the 2,500 held before, untouched.
    assert_eq!(body["credit_available"], 2_500);
    assert_eq!(invoice_state(&app, &inv), ("partially_paid".into(), 1_000));
}

#[actix_web::test]
async fn an_unknown_client_is_not_found_before_the_invoice_it_names() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let other = debtor(&app, "100022");
    let foreign = invoice_due(&app, &other, date!(2026 - 03 - 20), 5_000);
    for invoice in [foreign.as_str(), "inv_01JD0000000000000000000000"] {
        pay(
            &app,
            &token,
            json!({"client_id": "cli_01JD0000000000000000000000", "amount": 100,
                   "method": "cash", "invoice_id": invoice}),
        )
        .await
        .assert_problem(404, "client_not_found");
    }
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    assert_eq!(invoice_state(&app, &foreign), ("issued".into(), 0));
}

#[actix_web::test]
async fn several_invoices_are_paid_oldest_due_first() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100005");
    let newest = invoice_due(&app, &d, date!(2026 - 03 - 25), 10_000);
    let oldest = invoice_due(&app, &d, date!(2026 - 01 - 25), 10_000);
    let middle = invoice_due(&app, &d, date!(2026 - 02 - 25), 10_000);
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 25_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(
        body["allocations"],
        json!([
            {"invoice_id": oldest, "amount": 10_000, "invoice_status": "paid", "outstanding_after": 0},
            {"invoice_id": middle, "amount": 10_000, "invoice_status": "paid", "outstanding_after": 0},
            {"invoice_id": newest, "amount": 5_000, "invoice_status": "partially_paid", "outstanding_after": 5_000}
        ])
    );
    // No invoice named: the first allocated is the target.
    assert_eq!(body["invoice_id"], oldest.as_str());
    assert_eq!(body["allocation_state"], "full");
}

#[actix_web::test]
async fn the_given_invoice_is_paid_first_and_naming_a_paid_one_records_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100006");
    let older = invoice_due(&app, &d, date!(2026 - 01 - 25), 10_000);
    let given = invoice_due(&app, &d, date!(2026 - 02 - 25), 10_000);
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "cash", "invoice_id": given}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(body["allocations"][0]["invoice_id"], given.as_str());
    assert_eq!(body["allocations"][0]["amount"], 10_000);
    assert_eq!(body["allocations"][1]["invoice_id"], older.as_str());
    assert_eq!(body["allocations"][1]["amount"], 2_000);
    assert_eq!(body["invoice_id"], given.as_str());
    assert_eq!(body["allocation_state"], "full");
    // `given` is paid now: naming it again is refused, never moved to `older` (P14).
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 1_000, "method": "cash", "invoice_id": given}),
    )
    .await
    .assert_problem(409, "invoice_not_open");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
    assert_eq!(
        invoice_state(&app, &older),
        ("partially_paid".into(), 2_000)
    );
}

#[actix_web::test]
async fn payment_validation_names_each_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100007");
    let answer = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 0, "method": "bitcoin",
               "reference": "x".repeat(101), "received_at": "2026-03-11"}),
    )
    .await;
    answer.assert_problem(422, "validation_failed");
    let mut fields = answer.error_fields();
    fields.sort();
    assert_eq!(fields, ["amount", "method", "received_at", "reference"]);
    let reserved = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 100, "method": "operator_approval"}),
    )
    .await;
    reserved.assert_problem(422, "validation_failed");
    assert_eq!(reserved.error_fields(), ["method"]);
    let bad_date = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 100, "method": "cash", "received_at": "10/03/2026"}),
    )
    .await;
    assert_eq!(bad_date.error_fields(), ["received_at"]);
    let negative = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": -5, "method": "cash"}),
    )
    .await;
    assert_eq!(negative.error_fields(), ["amount"]);
    let typed = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": "12.5", "method": "cash"}),
    )
    .await;
    typed.assert_problem(400, "invalid_body");
    let unknown = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 1, "method": "cash", "amout": 1}),
    )
    .await;
    unknown.assert_problem(400, "invalid_body");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 0);
}

#[actix_web::test]
async fn unknown_clients_and_invoices_are_not_found() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "100008");
    for client in ["cli_01JD0000000000000000000000", "not-an-id"] {
        pay(
            &app,
            &token,
            json!({"client_id": client, "amount": 100, "method": "cash"}),
        )
        .await
        .assert_problem(404, "client_not_found");
    }
    for invoice in ["inv_01JD0000000000000000000000", "inv_nope"] {
        pay(
            &app,
            &token,
            json!({"client_id": d.client_id, "amount": 100, "method": "cash", "invoice_id": invoice}),
        )
        .await
        .assert_problem(404, "invoice_not_found");
    }
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
}

#[actix_web::test]
async fn another_clients_invoice_and_a_void_invoice_are_refused() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let payer = debtor(&app, "100009");
    let other = debtor(&app, "100010");
    let foreign = invoice_due(&app, &other, date!(2026 - 03 - 20), 5_000);
    pay(
        &app,
        &token,
        json!({"client_id": payer.client_id, "amount": 100, "method": "cash", "invoice_id": foreign}),
    )
    .await
    .assert_problem(422, "invoice_not_owned");
    let void = invoice_due(&app, &payer, date!(2026 - 03 - 20), 5_000);
    app.sql(&format!(
        "UPDATE invoices SET status = 'void' WHERE id = '{void}'"
    ));
    pay(
        &app,
        &token,
        json!({"client_id": payer.client_id, "amount": 100, "method": "cash", "invoice_id": void}),
    )
    .await
    .assert_problem(409, "invoice_not_open");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    assert_eq!(invoice_state(&app, &foreign), ("issued".into(), 0));
}
