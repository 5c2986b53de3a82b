//! `POST /collections/refunds`: only available credit, oldest source first, audited,
//! idempotent, and never below zero under concurrency.

use std::sync::{Arc, Barrier};

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, pay, text};
use super::ledger_fixtures::{
    assert_books_balance, credit_note, credit_of, credit_payment, refund,
};
use crate::support::TestApp;

#[actix_web::test]
async fn a_refund_takes_credit_from_the_oldest_source_first_and_is_audited() {
    let app = TestApp::new().await;
    let (token_actor, token) = app.new_actor(&["collections"]).await;
    let d = debtor(&app, "450001");
    let c = &d.client_id;
    let paid = invoice_due(&app, &d, date!(2025 - 12 - 31), 9_000);
    let old = credit_payment(&app, c, 2_000); // 1 January
    let overpay = pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 9_000 + 4_000, "method": "cash", "invoice_id": paid}),
    )
    .await
    .assert_status(201)
    .json();
    let note = credit_note(&app, c, &paid, 1_000, "2026-02-01");
    assert_eq!(credit_of(&app, c), 7_000);
    let answer = refund(
        &app,
        &token,
        "rf-1",
        json!({"client_id": c, "amount": 3_500, "method": "transfer", "reference": "VIR-88"}),
    )
    .await;
    answer.assert_status(201);
    let body = answer.json();
    assert!(body["id"].as_str().unwrap().starts_with("rfd_"));
    assert_eq!(body["amount"], 3_500);
    assert_eq!(body["method"], "transfer");
    assert_eq!(body["reference"], "VIR-88");
    assert_eq!(body["actor_id"], token_actor.as_str());
    // 1 January payment, then the note (1 February), then the March overpayment.
    assert_eq!(
        body["sources"],
        json!([
            {"kind": "payment", "id": old, "amount": 2_000},
            {"kind": "credit_note", "id": note, "amount": 1_000},
            {"kind": "payment", "id": overpay["payment_id"], "amount": 500}
        ])
    );
    assert_eq!(body["credit_available"], 3_500);
    assert_eq!(credit_of(&app, c), 3_500);
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        text(
            &app,
            &format!(
                "SELECT (before::text || ' ' || after::text || ' ' || actor_id) AS value \
                 FROM ledger_audit WHERE document_id = '{id}' AND action = 'refunded'"
            )
        ),
        format!(
            "{{\"credit_available\": 7000}} {{\"refunded\": 3500, \"credit_available\": 3500}} {token_actor}"
        )
    );
    assert_books_balance(&app, c).await;
    // Replayed byte for byte; the same key with another body is refused; no key is refused.
    let replay = refund(
        &app,
        &token,
        "rf-1",
        json!({"client_id": c, "amount": 3_500, "method": "transfer", "reference": "VIR-88"}),
    )
    .await;
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, answer.body);
    refund(
        &app,
        &token,
        "rf-1",
        json!({"client_id": c, "amount": 1, "method": "cash"}),
    )
    .await
    .assert_problem(422, "idempotency_key_reused");
    app.post("/collections/refunds")
        .token(&token)
        .json(&json!({"client_id": c, "amount": 1, "method": "cash"}))
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    assert_eq!(app.count("SELECT count(*) FROM refunds"), 1);
}

#[actix_web::test]
async fn more_than_the_available_credit_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "450002");
    credit_payment(&app, &d.client_id, 2_000);
    refund(
        &app,
        &token,
        "rf-1",
        json!({"client_id": d.client_id, "amount": 2_001, "method": "cash"}),
    )
    .await
    .assert_problem(422, "insufficient_credit");
    let nobody = debtor(&app, "450003");
    refund(
        &app,
        &token,
        "rf-2",
        json!({"client_id": nobody.client_id, "amount": 1, "method": "cash"}),
    )
    .await
    .assert_problem(422, "insufficient_credit");
    assert_eq!(app.count("SELECT count(*) FROM refunds"), 0);
    assert_eq!(credit_of(&app, &d.client_id), 2_000);
    assert_eq!(app.count("SELECT count(*) FROM ledger_audit"), 0);
}

#[actix_web::test]
async fn a_bad_refund_names_each_field_and_an_unknown_client_is_not_found() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "450004");
    credit_payment(&app, &d.client_id, 2_000);
    let bad = refund(
        &app,
        &token,
        "rf-1",
        json!({"client_id": d.client_id, "amount": 0, "method": "operator_approval",
               "reference": "r".repeat(101)}),
    )
    .await;
    bad.assert_problem(422, "validation_failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["amount", "method", "reference"]);
    refund(
        &app,
        &token,
        "rf-2",
        json!({"client_id": d.client_id, "method": "cash"}),
    )
    .await
    .assert_status(400);
    refund(
        &app,
        &token,
        "rf-3",
        json!({"client_id": "cli_01JD0000000000000000000000", "amount": 1, "method": "cash"}),
    )
    .await
    .assert_problem(404, "client_not_found");
    assert_eq!(app.count("SELECT count(*) FROM refunds"), 0);
    assert_eq!(credit_of(&app, &d.client_id), 2_000);
}

#[actix_web::test]
async fn refunds_are_for_the_collections_role() {
    let app = TestApp::new().await;
    let d = debtor(&app, "450005");
    credit_payment(&app, &d.client_id, 2_000);
    let body = json!({"client_id": d.client_id, "amount": 1, "method": "cash"});
    app.post("/collections/refunds")
        .header("idempotency-key", "k")
        .json(&body)
        .send()
        .await
        .assert_status(401);
    let agent = app.actor_token(&["agent"]).await;
    app.post("/collections/refunds")
        .token(&agent)
        .header("idempotency-key", "k")
        .json(&body)
        .send()
        .await
        .assert_status(403);
    assert_eq!(credit_of(&app, &d.client_id), 2_000);
}

#[actix_web::test]
async fn parallel_refunds_never_take_credit_below_zero() {
    let app = TestApp::new().await;
    let d = debtor(&app, "450006");
    credit_payment(&app, &d.client_id, 2_500);
    credit_payment(&app, &d.client_id, 2_500);
    let barrier = Arc::new(Barrier::new(10));
    let handles: Vec<_> = (0..10)
        .map(|i| {
            let ledger = app.services.ledger.clone();
            let tx = app.services.ports.tx.clone();
            let barrier = barrier.clone();
            let input = domain::ledger::RefundInput {
                client_id: d.client_id.clone(),
                amount: 1_500,
                method: "cash".into(),
                reference: Some(format!("R{i}")),
            };
            std::thread::spawn(move || {
                barrier.wait();
                domain::tx::transaction(tx.as_ref(), |uow| {
                    ledger.refund_in(uow, &input, "act_01JD0000000000000000000000")
                })
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let accepted = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(domain::Error::Rule(
                    domain::error::RuleViolation::InsufficientCredit
                ))
            )
        })
        .count();
    assert_eq!((accepted, refused), (3, 7));
    assert_eq!(credit_of(&app, &d.client_id), 500);
    assert_eq!(app.count("SELECT sum(amount)::int8 FROM refunds"), 4_500);
    assert_books_balance(&app, &d.client_id).await;
}

#[actix_web::test]
async fn a_refund_through_a_gateway_is_audited_with_both_actors() {
    let app = TestApp::new().await;
    let (gateway, gateway_token) = app.new_actor(&["gateway"]).await;
    let (collector_id, _) = app.new_actor(&["collections"]).await;
    let d = debtor(&app, "450007");
    credit_payment(&app, &d.client_id, 2_000);
    let answer = app
        .post("/collections/refunds")
        .peer("198.51.100.7:50000")
        .token(&gateway_token)
        .header("x-actor-id", &collector_id)
        .header("idempotency-key", "gw-1")
        .json(&json!({"client_id": d.client_id, "amount": 500, "method": "cash"}))
        .send()
        .await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(body["actor_id"], collector_id.as_str());
    assert_eq!(body["via_gateway"], gateway.as_str());
    assert_eq!(
        text(
            &app,
            "SELECT actor_id AS value FROM ledger_audit WHERE action = 'refunded'"
        ),
        format!("{collector_id} via {gateway}")
    );
}
