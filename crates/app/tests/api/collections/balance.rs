//! `GET /customers/{client_id}/balance`: figures from the documents, and the ledger identity
//! after every kind of movement.

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, pay};
use super::ledger_fixtures::{
    assert_books_balance, balance, credit_note, credit_payment, refund, reverse,
};
use crate::support::TestApp;

#[actix_web::test]
async fn a_client_without_documents_has_a_zero_balance() {
    let app = TestApp::new().await;
    let d = debtor(&app, "430001");
    assert_eq!(
        balance(&app, &d.client_id).await,
        json!({"invoiced": 0, "credited": 0, "paid": 0, "refunded": 0, "outstanding": 0,
               "credit_available": 0, "currency": "MAD"})
    );
}

#[actix_web::test]
async fn the_identity_holds_after_each_kind_of_movement() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "430002");
    let c = &d.client_id;
    let first = invoice_due(&app, &d, date!(2026 - 01 - 31), 36_000);
    assert_books_balance(&app, c).await;
    // A payment above the debt: the rest is credit.
    let body = pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 50_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    let overpayment = body["payment_id"].as_str().unwrap().to_owned();
    assert_books_balance(&app, c).await;
    // A credit note on the paid invoice: all of it is credit.
    credit_note(&app, c, &first, 6_000, "2026-02-05");
    assert_books_balance(&app, c).await;
    // Credit applied to a new invoice, by the billing run that issues it (the note first:
    // it is the older source).
    let billing = app.actor_token(&["billing"]).await;
    app.post("/billing/runs")
        .token(&billing)
        .header("idempotency-key", "feb")
        .json(&json!({"period": "2026-02", "issue_date": "2026-03-01"}))
        .send()
        .await
        .assert_status(201);
    assert_books_balance(&app, c).await;
    let billed = balance(&app, c).await["invoiced"].as_i64().unwrap() - 36_000;
    assert!(billed > 6_000, "{billed}");
    assert_eq!(balance(&app, c).await["outstanding"], 0);
    // A refund of part of what is left: only the overpayment still holds credit.
    let refunded = refund(
        &app,
        &token,
        "r-1",
        json!({"client_id": c, "amount": 1_000, "method": "transfer"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(
        refunded["sources"],
        json!([{"kind": "payment", "id": overpayment, "amount": 1_000}])
    );
    assert_books_balance(&app, c).await;
    // A reversal of a payment none of whose credit was refunded.
    let small = pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 700, "method": "card"}),
    )
    .await
    .assert_status(201)
    .json();
    reverse(
        &app,
        &token,
        small["payment_id"].as_str().unwrap(),
        "v-1",
        "chargeback",
    )
    .await
    .assert_status(201);
    assert_books_balance(&app, c).await;
    let b = balance(&app, c).await;
    assert_eq!(b["credited"], 6_000);
    assert_eq!(b["paid"], 50_000);
    assert_eq!(b["refunded"], 1_000);
    assert_eq!(b["outstanding"], 0);
    assert_eq!(
        b["credit_available"],
        50_000 + 6_000 - 36_000 - billed - 1_000
    );
    // The overpayment's credit was refunded: it cannot be reversed.
    reverse(&app, &token, &overpayment, "v-2", "posted by mistake")
        .await
        .assert_problem(422, "payment_credit_refunded");
    assert_books_balance(&app, c).await;
}

#[actix_web::test]
async fn stranded_credit_from_before_the_engine_counts_in_the_balance() {
    let app = TestApp::new().await;
    let d = debtor(&app, "430003");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 36_000);
    credit_payment(&app, &d.client_id, 52_000);
    let b = balance(&app, &d.client_id).await;
    assert_eq!(
        (b["outstanding"].as_i64(), b["credit_available"].as_i64()),
        (Some(36_000), Some(52_000))
    );
    assert_eq!(b["paid"], 52_000);
}

#[actix_web::test]
async fn an_unknown_or_malformed_client_is_not_found_and_a_token_is_required() {
    let app = TestApp::new().await;
    app.get("/customers/cli_01JD0000000000000000000000/balance")
        .admin()
        .send()
        .await
        .assert_problem(404, "client_not_found");
    app.get("/customers/garbage/balance")
        .admin()
        .send()
        .await
        .assert_problem(404, "client_not_found");
    let d = debtor(&app, "430004");
    app.get(&format!("/customers/{}/balance", d.client_id))
        .send()
        .await
        .assert_status(401);
    // Every role that reads invoices and payments reads the balance.
    let agent = app.actor_token(&["agent"]).await;
    app.get(&format!("/customers/{}/balance", d.client_id))
        .token(&agent)
        .send()
        .await
        .assert_status(200);
}
