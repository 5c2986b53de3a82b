//! Issue #14 "outstanding everywhere": once a credit note took part of an invoice, every
//! reader and writer counts `total_incl_tax − amount_paid − credited_amount` — payments,
//! approve-paid, the invoice list's `overdue`, the collections overview, case figures and
//! dunning — and a void invoice is never open.

use serde_json::{json, Value};
use time::macros::date;

use crate::collections::fixtures::{
    collector, debtor, dunning_on, invoice_due, invoice_state, pay, Debtor,
};
use crate::support::{Answer, TestApp};

/// Issues a credit note as an admin (who holds every role) with a fresh key.
async fn credit(app: &TestApp, invoice_id: &str, body: Value) -> Answer {
    app.post(&format!("/invoices/{invoice_id}/credit-notes"))
        .admin()
        .header("idempotency-key", &ulid::Ulid::new().to_string())
        .json(&body)
        .send()
        .await
}

/// 5 000 excl. tax (6 000 incl.) off the single line of a seeded 12 000 invoice.
fn half() -> Value {
    json!({"reason": "Geste", "lines": [{"position": 1, "amount_excl_tax": 5_000}]})
}

/// A debtor with a 12 000 invoice due on 31 January, half of it credited.
async fn half_credited(app: &TestApp, tag: &str) -> (Debtor, String) {
    let d = debtor(app, tag);
    let inv = invoice_due(app, &d, date!(2026 - 01 - 31), 12_000);
    credit(app, &inv, half()).await.assert_status(201);
    (d, inv)
}

#[actix_web::test]
async fn a_payment_never_pays_more_than_what_the_note_left() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, inv) = half_credited(&app, "700001").await;
    let body = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "cash", "invoice_id": inv}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(
        body["allocations"],
        json!([{"invoice_id": inv, "amount": 6_000, "invoice_status": "paid",
                "outstanding_after": 0}])
    );
    assert_eq!(body["unallocated_amount"], 6_000);
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 6_000));
}

#[actix_web::test]
async fn approve_paid_records_only_what_the_note_left() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (_, inv) = half_credited(&app, "700002").await;
    let body = app
        .post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "approve-1")
        .json(&json!({}))
        .send()
        .await
        .assert_status(201)
        .json();
    assert_eq!(body["amount"], 6_000);
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 6_000));
}

#[actix_web::test]
async fn a_void_invoice_takes_no_payment_and_is_not_overdue() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "700003");
    let inv = invoice_due(&app, &d, date!(2026 - 01 - 31), 12_000);
    credit(&app, &inv, json!({"reason": "Annulation"}))
        .await
        .assert_status(201);
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 1_000, "method": "cash", "invoice_id": inv}),
    )
    .await
    .assert_problem(409, "invoice_not_open");
    let invoice = app
        .get(&format!("/invoices/{inv}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(invoice["status"], "void");
    assert_eq!(invoice["outstanding"], 0);
    assert_eq!(invoice["overdue"], false);
    let overdue = app
        .get(&format!("/invoices?overdue=true&client_id={}", d.client_id))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(overdue["items"], json!([]));
    // Nothing open: dunning opens no case for this client.
    let report = dunning_on(&app, &token, date!(2026 - 03 - 10)).await;
    assert_eq!(report["cases_opened"], 0);
}

#[actix_web::test]
async fn an_invoice_whose_notes_and_payments_cover_it_is_not_overdue() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, inv) = half_credited(&app, "700004").await;
    // Paid in part, then status forced back to open, as a stale row would be: only the
    // figures, not the status, must decide whether anything is outstanding.
    app.sql(&format!(
        "UPDATE invoices SET amount_paid = 6000, status = 'partially_paid' WHERE id = '{inv}'"
    ));
    let overdue = app
        .get(&format!("/invoices?overdue=true&client_id={}", d.client_id))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(overdue["items"], json!([]));
    let report = dunning_on(&app, &token, date!(2026 - 03 - 10)).await;
    assert_eq!(report["cases_opened"], 0);
}

#[actix_web::test]
async fn the_overview_and_case_figures_count_what_notes_took_off() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, _) = half_credited(&app, "700005").await;
    let void = invoice_due(&app, &d, date!(2026 - 02 - 05), 12_000);
    credit(&app, &void, json!({"reason": "Annulation"}))
        .await
        .assert_status(201);
    let overview = app.get("/collections/overview").admin().send().await.json();
    assert_eq!(overview["outstanding_total"], 6_000);
    assert_eq!(overview["overdue_total"], 6_000);
    assert_eq!(overview["aging"]["d31_60"], 6_000);
    let report = dunning_on(&app, &token, date!(2026 - 03 - 10)).await;
    assert_eq!(report["cases_opened"], 1);
    let cases = app
        .get(&format!("/collections/cases?client_id={}", d.client_id))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(cases["items"][0]["overdue_amount"], 6_000);
}

#[actix_web::test]
async fn the_credit_a_note_gives_pays_the_clients_next_open_invoice_at_once() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "700009");
    let paid = invoice_due(&app, &d, date!(2026 - 01 - 31), 12_000);
    let open = invoice_due(&app, &d, date!(2026 - 02 - 28), 12_000);
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "cash", "invoice_id": paid}),
    )
    .await
    .assert_status(201);
    let note = credit(&app, &paid, half()).await.assert_status(201).json();
    assert_eq!(note["applied_to_invoice"], 0);
    assert_eq!(note["credited_to_balance"], 6_000);
    // In the note's own transaction, its credit paid half of the February invoice.
    assert_eq!(invoice_state(&app, &open), ("partially_paid".into(), 6_000));
    assert_eq!(
        app.count(&format!(
            "SELECT credit_remaining FROM credit_notes WHERE id = '{}'",
            note["id"].as_str().unwrap()
        )),
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM credit_note_allocations WHERE invoice_id = '{open}' \
             AND amount = 6000"
        )),
        1
    );
    let balance = app
        .get(&format!("/customers/{}/balance", d.client_id))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(balance["credit_available"], 0);
    assert_eq!(balance["outstanding"], 6_000);
}
