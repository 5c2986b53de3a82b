//! P14 as the process map reads it (decision 0181): approve-paid with no body and no
//! `Content-Type`, the targeted invoice at the top of the answer, the client's credit.

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, invoice_state, pay};
use super::ledger_fixtures::credit_note;
use crate::support::TestApp;

#[actix_web::test]
async fn approve_paid_takes_no_body_and_no_content_type_and_replays() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "421001");
    let inv = invoice_due(&app, &d, date!(2026 - 02 - 20), 12_000);
    let bare = || {
        app.post(&format!("/collections/invoices/{inv}/approve-paid"))
            .token(&token)
            .header("idempotency-key", "bare-1")
            .send()
    };
    let answer = bare().await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(body["method"], "operator_approval");
    assert_eq!(body["amount"], 12_000);
    assert_eq!(body["reference"], serde_json::Value::Null);
    assert_eq!(body["invoice_id"], inv.as_str());
    assert_eq!(body["invoice_status"], "paid");
    assert_eq!(body["outstanding_amount"], 0);
    assert_eq!(body["allocation_state"], "full");
    let replay = bare().await;
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, answer.body);
    // No body reads as `{}`: the same key with an explicit `{}` is the same request.
    app.post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "bare-1")
        .json(&json!({}))
        .send()
        .await
        .assert_status(201);
    // A JSON `null` body is no body either: the same request again.
    app.post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "bare-1")
        .raw("application/json", "null")
        .send()
        .await
        .assert_status(201);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
}

#[actix_web::test]
async fn approve_paid_still_refuses_a_body_without_a_json_content_type() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "421002");
    let inv = invoice_due(&app, &d, date!(2026 - 02 - 20), 12_000);
    app.post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "text-1")
        .raw("text/plain", "note=x")
        .send()
        .await
        .assert_status(415);
    assert_eq!(invoice_state(&app, &inv), ("issued".into(), 0));
}

#[actix_web::test]
async fn approve_paid_without_a_body_still_requires_the_role_and_the_key() {
    let app = TestApp::new().await;
    let d = debtor(&app, "421003");
    let inv = invoice_due(&app, &d, date!(2026 - 02 - 20), 12_000);
    let path = format!("/collections/invoices/{inv}/approve-paid");
    app.post(&path)
        .header("idempotency-key", "k")
        .send()
        .await
        .assert_status(401);
    let agent = app.actor_token(&["agent"]).await;
    app.post(&path)
        .token(&agent)
        .header("idempotency-key", "k")
        .send()
        .await
        .assert_status(403);
    let token = collector(&app).await;
    app.post(&path)
        .token(&token)
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
}

#[actix_web::test]
async fn a_payment_naming_a_paid_invoice_is_refused_and_records_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "421004");
    let paid = invoice_due(&app, &d, date!(2026 - 01 - 20), 5_000);
    let open = invoice_due(&app, &d, date!(2026 - 02 - 20), 5_000);
    app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = 5000 WHERE id = '{paid}'"
    ));
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 1_000, "method": "cash", "invoice_id": paid}),
    )
    .await
    .assert_problem(409, "invoice_not_open");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    assert_eq!(invoice_state(&app, &open), ("issued".into(), 0));
}

#[actix_web::test]
async fn the_answer_reports_the_clients_credit_after_the_payment() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "421005");
    let old = invoice_due(&app, &d, date!(2026 - 01 - 20), 5_000);
    app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = 5000 WHERE id = '{old}'"
    ));
    credit_note(&app, &d.client_id, &old, 1_500, "2026-02-01");
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 2_000, "method": "cash"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(body["allocation_state"], "unallocated");
    assert_eq!(body["unallocated_amount"], 2_000);
    assert_eq!(body["credit_available"], 3_500);
}
