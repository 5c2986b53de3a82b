//! P14: idempotency of both writes, approve-paid, and concurrent payments on one invoice.

use std::sync::{Arc, Barrier};

use domain::collections::PaymentInput;
use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, invoice_state};
use crate::support::TestApp;

#[actix_web::test]
async fn payments_replay_byte_for_byte_and_refuse_a_reused_or_missing_key() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "200001");
    invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let body = json!({"client_id": d.client_id, "amount": 4_000, "method": "cash"});
    let send = |key: Option<&'static str>, body: serde_json::Value| {
        let mut call = app.post("/collections/payments").token(&token).json(&body);
        if let Some(key) = key {
            call = call.header("idempotency-key", key);
        }
        call.send()
    };
    let first = send(Some("pay-1"), body.clone()).await;
    first.assert_status(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let replay = send(Some("pay-1"), body.clone()).await;
    replay.assert_status(201);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, first.body);
    let reused = send(
        Some("pay-1"),
        json!({"client_id": d.client_id, "amount": 4_001, "method": "cash"}),
    )
    .await;
    reused.assert_problem(422, "idempotency_key_reused");
    send(None, body)
        .await
        .assert_problem(400, "idempotency_key_required");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
    assert_eq!(app.count("SELECT sum(amount_paid) FROM invoices"), 4_000);
}

#[actix_web::test]
async fn approve_paid_records_an_operator_approval_of_exactly_the_outstanding() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "200002");
    let older = invoice_due(&app, &d, date!(2026 - 01 - 20), 9_000);
    let inv = invoice_due(&app, &d, date!(2026 - 02 - 20), 12_000);
    app.sql(&format!(
        "UPDATE invoices SET amount_paid = 2000, status = 'partially_paid' WHERE id = '{inv}'"
    ));
    let answer = app
        .post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "approve-1")
        .json(&json!({"note": "paid at the agency, receipt 881"}))
        .send()
        .await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(body["method"], "operator_approval");
    assert_eq!(body["amount"], 10_000);
    assert_eq!(body["reference"], "paid at the agency, receipt 881");
    assert_eq!(
        body["allocations"],
        json!([{"invoice_id": inv, "amount": 10_000, "invoice_status": "paid", "outstanding_after": 0}])
    );
    assert_eq!(body["allocation_state"], "full");
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 12_000));
    assert_eq!(invoice_state(&app, &older), ("issued".into(), 0));
    let replay = app
        .post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "approve-1")
        .json(&json!({"note": "paid at the agency, receipt 881"}))
        .send()
        .await;
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, answer.body);
    app.post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "approve-1")
        .json(&json!({}))
        .send()
        .await
        .assert_problem(422, "idempotency_key_reused");
    app.post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .header("idempotency-key", "approve-2")
        .json(&json!({}))
        .send()
        .await
        .assert_problem(409, "invoice_already_paid");
    app.post(&format!("/collections/invoices/{inv}/approve-paid"))
        .token(&token)
        .json(&json!({}))
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
}

#[actix_web::test]
async fn approve_paid_refuses_void_unknown_and_too_long_notes() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "200003");
    let inv = invoice_due(&app, &d, date!(2026 - 02 - 20), 12_000);
    let approve = |id: String, body: serde_json::Value| {
        app.post(&format!("/collections/invoices/{id}/approve-paid"))
            .token(&token)
            .header("idempotency-key", &ulid::Ulid::new().to_string())
            .json(&body)
            .send()
    };
    let long = approve(inv.clone(), json!({"note": "n".repeat(101)})).await;
    long.assert_problem(422, "validation_failed");
    assert_eq!(long.error_fields(), ["note"]);
    approve("inv_01JD0000000000000000000000".into(), json!({}))
        .await
        .assert_problem(404, "invoice_not_found");
    approve("garbage".into(), json!({}))
        .await
        .assert_problem(404, "invoice_not_found");
    app.sql(&format!(
        "UPDATE invoices SET status = 'void' WHERE id = '{inv}'"
    ));
    approve(inv.clone(), json!({}))
        .await
        .assert_problem(422, "invoice_void");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
}

#[actix_web::test]
async fn twenty_concurrent_payments_on_one_invoice_never_over_allocate() {
    let app = TestApp::new().await;
    let d = debtor(&app, "200004");
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let barrier = Arc::new(Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let payments = app.services.payments.clone();
            let barrier = barrier.clone();
            let command = PaymentInput {
                client_id: d.client_id.clone(),
                amount: 1_000,
                method: "cash".into(),
                reference: Some(format!("R{i}")),
                received_at: None,
                invoice_id: Some(inv.clone()),
            };
            std::thread::spawn(move || {
                barrier.wait();
                payments.record_payment(&command, "act_01JD0000000000000000000000")
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let receipts: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    // Once the named invoice is paid, the later payments are refused and record nothing
    // (P14: money is never moved silently to another invoice or to credit).
    let refused = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(domain::error::Error::Conflict(
                    domain::error::Conflict::InvoiceNotOpen
                ))
            )
        })
        .count();
    assert_eq!((receipts.len(), refused), (12, 8));
    let allocated: i64 = receipts
        .iter()
        .flat_map(|r| r.outcomes.iter().map(|o| o.amount.centimes()))
        .sum();
    let credit: i64 = receipts
        .iter()
        .map(|r| r.payment.unallocated_amount.centimes())
        .sum();
    assert_eq!(allocated, 12_000);
    assert_eq!(credit, 0);
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 12_000));
    assert_eq!(
        app.count(&format!(
            "SELECT sum(amount) FROM payment_allocations WHERE invoice_id = '{inv}'"
        )),
        12_000
    );
    assert_eq!(app.count("SELECT count(*) FROM payments"), 12);
}

/// The same race over HTTP, with no invoice named: each payment takes what is left of the
/// oldest open invoice and keeps the rest as credit. The one-statement write (settlement,
/// payment, allocations), the events and the stored answers stay consistent.
#[actix_web::test]
async fn twenty_concurrent_posts_settle_the_invoice_once_and_keep_the_rest_as_credit() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "200005");
    let inv = invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);
    let calls = (0..20).map(|i| {
        app.post("/collections/payments")
            .token(&token)
            .header("idempotency-key", &format!("race-{i}"))
            .json(&json!({"client_id": d.client_id, "amount": 1_000, "method": "cash"}))
            .send()
    });
    let answers = futures_util::future::join_all(calls).await;
    for answer in &answers {
        answer.assert_status(201);
    }
    let allocated: i64 = answers
        .iter()
        .flat_map(|a| {
            a.json()["allocations"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|a| a["amount"].as_i64().unwrap_or(0))
        .sum();
    let credit: i64 = answers
        .iter()
        .map(|a| a.json()["unallocated_amount"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!((allocated, credit), (12_000, 8_000));
    assert_eq!(invoice_state(&app, &inv), ("paid".into(), 12_000));
    assert_eq!(
        app.count(&format!(
            "SELECT sum(amount) FROM payment_allocations WHERE invoice_id = '{inv}'"
        )),
        12_000
    );
    assert_eq!(app.count("SELECT count(*) FROM payments"), 20);
    assert_eq!(
        app.count("SELECT count(*) FROM idempotency_records WHERE idempotency_key LIKE 'race-%'"),
        20
    );
    assert_eq!(
        app.count("SELECT count(*) FROM events WHERE type = 'payment.received'"),
        20
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM events WHERE type = 'invoice.paid' AND data->>'id' = '{inv}'"
        )),
        1
    );
}
