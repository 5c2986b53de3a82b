//! `POST /collections/payments/{payment_id}/reversal`: invoices reopened, credit removed,
//! refunded credit and double reversals refused, audited, idempotent, back into dunning.

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, dunning_on, invoice_due, invoice_state, pay, text};
use super::ledger_fixtures::{assert_books_balance, credit_of, credit_payment, refund, reverse};
use crate::support::TestApp;

#[actix_web::test]
async fn a_reversal_reopens_the_invoices_and_removes_the_payments_credit() {
    let app = TestApp::new().await;
    let (actor, token) = app.new_actor(&["collections"]).await;
    let d = debtor(&app, "460001");
    let c = &d.client_id;
    let a = invoice_due(&app, &d, date!(2026 - 03 - 15), 10_000);
    let b = invoice_due(&app, &d, date!(2026 - 03 - 25), 10_000);
    pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 4_000, "method": "cash", "invoice_id": b}),
    )
    .await
    .assert_status(201);
    let payment = pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 18_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    let payment_id = payment["payment_id"].as_str().unwrap();
    assert_eq!(invoice_state(&app, &b), ("paid".into(), 10_000));
    assert_eq!(credit_of(&app, c), 2_000);

    let answer = reverse(&app, &token, payment_id, "rv-1", "chèque impayé").await;
    answer.assert_status(201);
    let body = answer.json();
    assert!(body["id"].as_str().unwrap().starts_with("rev_"));
    assert_eq!(body["payment_id"], payment_id);
    assert_eq!(body["amount"], 18_000);
    assert_eq!(body["reason"], "chèque impayé");
    assert_eq!(
        body["invoices"],
        json!([
            {"invoice_id": a, "amount": 10_000, "invoice_status": "issued", "outstanding_amount": 10_000},
            {"invoice_id": b, "amount": 6_000, "invoice_status": "partially_paid", "outstanding_amount": 6_000}
        ])
    );
    assert_eq!(body["credit_removed"], 2_000);
    assert_eq!(body["credit_available"], 0);
    assert_eq!(body["actor_id"], actor.as_str());
    assert_eq!(invoice_state(&app, &a), ("issued".into(), 0));
    assert_eq!(invoice_state(&app, &b), ("partially_paid".into(), 4_000));
    assert_eq!(credit_of(&app, c), 0);
    // Allocations are never deleted: the reversal records itself.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM payment_allocations WHERE payment_id = '{payment_id}'"
        )),
        2
    );
    assert_eq!(
        text(
            &app,
            &format!(
                "SELECT (before::text || ' ' || after::text) AS value FROM ledger_audit \
                 WHERE document_id = '{payment_id}' AND action = 'payment_reversed'"
            )
        ),
        "{\"allocated\": 16000, \"unallocated_amount\": 2000} \
         {\"reversed\": 18000, \"allocated\": 0, \"unallocated_amount\": 0}"
    );
    assert_books_balance(&app, c).await;

    // Replayed with the key; reversing again with another key is a conflict.
    let replay = reverse(&app, &token, payment_id, "rv-1", "chèque impayé").await;
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, answer.body);
    reverse(&app, &token, payment_id, "rv-2", "again")
        .await
        .assert_problem(409, "payment_already_reversed");
    assert_eq!(app.count("SELECT count(*) FROM payment_reversals"), 1);
    assert_books_balance(&app, c).await;
}

#[actix_web::test]
async fn other_credit_pays_the_reopened_invoices_at_once() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "460002");
    let c = &d.client_id;
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 15), 10_000);
    let payment = pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 10_000, "method": "card"}),
    )
    .await
    .assert_status(201)
    .json();
    credit_payment(&app, c, 3_000);
    let body = reverse(
        &app,
        &token,
        payment["payment_id"].as_str().unwrap(),
        "rv",
        "chargeback",
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(
        body["invoices"],
        json!([{"invoice_id": inv, "amount": 10_000, "invoice_status": "partially_paid",
                "outstanding_amount": 7_000}])
    );
    assert_eq!(body["credit_available"], 0);
    assert_eq!(invoice_state(&app, &inv), ("partially_paid".into(), 3_000));
    assert_books_balance(&app, c).await;
}

#[actix_web::test]
async fn a_payment_whose_credit_was_refunded_cannot_be_reversed() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "460003");
    let c = &d.client_id;
    let payment = pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 5_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    refund(
        &app,
        &token,
        "rf",
        json!({"client_id": c, "amount": 1_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    reverse(
        &app,
        &token,
        payment["payment_id"].as_str().unwrap(),
        "rv",
        "mistake",
    )
    .await
    .assert_problem(422, "payment_credit_refunded");
    assert_eq!(app.count("SELECT count(*) FROM payment_reversals"), 0);
    assert_eq!(credit_of(&app, c), 4_000);
    assert_books_balance(&app, c).await;
}

#[actix_web::test]
async fn a_reopened_past_due_invoice_goes_back_into_dunning() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "460004");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 12_000);
    let payment = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(
        dunning_on(&app, &token, date!(2026 - 03 - 10)).await["cases_opened"],
        0
    );
    reverse(
        &app,
        &token,
        payment["payment_id"].as_str().unwrap(),
        "rv",
        "bounced cheque",
    )
    .await
    .assert_status(201);
    let report = dunning_on(&app, &token, date!(2026 - 03 - 11)).await;
    assert_eq!(report["cases_opened"], 1);
}

#[actix_web::test]
async fn bad_requests_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "460005");
    let payment = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 5_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    let id = payment["payment_id"].as_str().unwrap();
    let blank = reverse(&app, &token, id, "rv-1", "   ").await;
    blank.assert_problem(422, "validation_failed");
    assert_eq!(blank.error_fields(), ["reason"]);
    let long = reverse(&app, &token, id, "rv-2", &"r".repeat(501)).await;
    long.assert_problem(422, "validation_failed");
    app.post(&format!("/collections/payments/{id}/reversal"))
        .token(&token)
        .header("idempotency-key", "rv-3")
        .json(&json!({}))
        .send()
        .await
        .assert_status(400);
    reverse(&app, &token, "pay_01JD0000000000000000000000", "rv-4", "x")
        .await
        .assert_problem(404, "payment_not_found");
    reverse(&app, &token, "garbage", "rv-5", "x")
        .await
        .assert_problem(404, "payment_not_found");
    app.post(&format!("/collections/payments/{id}/reversal"))
        .token(&token)
        .json(&json!({"reason": "x"}))
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    app.post(&format!("/collections/payments/{id}/reversal"))
        .header("idempotency-key", "k")
        .json(&json!({"reason": "x"}))
        .send()
        .await
        .assert_status(401);
    let billing = app.actor_token(&["billing"]).await;
    app.post(&format!("/collections/payments/{id}/reversal"))
        .token(&billing)
        .header("idempotency-key", "k")
        .json(&json!({"reason": "x"}))
        .send()
        .await
        .assert_status(403);
    assert_eq!(app.count("SELECT count(*) FROM payment_reversals"), 0);
    assert_eq!(credit_of(&app, &d.client_id), 5_000);
}
