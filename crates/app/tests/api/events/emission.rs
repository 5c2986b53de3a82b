//! Business flows over HTTP and the events they publish: what a provisioning system needs
//! from `contract.suspended` / `contract.reactivated`, and what billing publishes.

use serde_json::json;
use time::macros::date;

use super::support::{events_when, types_of};
use crate::collections::fixtures::{collector, debtor, dunning_on, invoice_due, pay, set_today};
use crate::support::{seed, TestApp};

#[actix_web::test]
async fn dunning_bars_the_line_and_the_payment_that_clears_the_debt_opens_it_again() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "700001");
    let line = app.count(&format!(
        "SELECT count(*) FROM contracts WHERE id = '{}'",
        d.contract_id
    ));
    assert_eq!(line, 1);
    let invoice = invoice_due(&app, &d, date!(2026 - 01 - 31), 12_000);
    dunning_on(&app, &token, date!(2026 - 03 - 02)).await;

    let suspended = events_when(&app, "contract.suspended", 1).await;
    assert_eq!(suspended.len(), 1);
    let event = &suspended[0];
    assert_eq!(event["data"]["reason"], "dunning");
    assert_eq!(event["data"]["contract"]["id"], json!(d.contract_id));
    assert_eq!(event["data"]["contract"]["status"], "suspended");
    let msisdn = event["data"]["subscriber"]["service_identifier"]
        .as_str()
        .expect("the line's number");
    assert!(msisdn.starts_with("+2126"), "{msisdn}");
    assert_eq!(
        event["actor_id"],
        json!(null),
        "dunning is the system's job"
    );
    let case_events = events_when(&app, "collection_case.opened", 1).await;
    assert_eq!(case_events[0]["data"]["overdue_amount"], 12_000);
    assert_eq!(case_events[0]["data"]["invoice_ids"], json!([invoice]));
    assert!(!events_when(&app, "collection_case.step_taken", 1)
        .await
        .is_empty());

    set_today(&app, date!(2026 - 03 - 03));
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    let after_payment = events_when(&app, "", 8).await;
    let types = types_of(&after_payment);
    let tail: Vec<&str> = types
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "payment.received",
            "invoice.paid",
            "collection_case.resolved",
            "contract.reactivated"
        ]
    );
    let reactivated = after_payment.last().unwrap();
    assert_eq!(reactivated["data"]["reason"], "dunning");
    assert_eq!(reactivated["data"]["contract"]["status"], "active");
    assert_eq!(
        reactivated["data"]["subscriber"]["service_identifier"],
        json!(msisdn)
    );
    let paid = &after_payment[after_payment.len() - 3];
    assert_eq!(paid["data"]["id"], json!(invoice));
    assert_eq!(paid["data"]["status"], "paid");
}

#[actix_web::test]
async fn a_manual_suspension_says_manual_and_names_the_actor() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB300001");
    let offer = seed::offer(&app, "MOB-EVT", "mobile", 9_900);
    let contract = seed::contract(&app, &client, &offer, date!(2026 - 02 - 01), "active");
    let agent = app.actor_token(&["agent"]).await;
    app.put(&format!("/contracts/{contract}/status"))
        .token(&agent)
        .json(&json!({"status": "suspended", "reason": "client abroad"}))
        .send()
        .await
        .assert_status(200);
    let events = events_when(&app, "contract.suspended", 1).await;
    assert_eq!(events[0]["data"]["reason"], "manual");
    assert!(events[0]["actor_id"].as_str().unwrap().starts_with("act_"));
    app.put(&format!("/contracts/{contract}/status"))
        .token(&agent)
        .json(&json!({"status": "active"}))
        .send()
        .await
        .assert_status(200);
    let back = events_when(&app, "contract.reactivated", 1).await;
    assert_eq!(back[0]["data"]["reason"], "manual");
    assert_eq!(back[0]["data"]["contract"]["status"], "active");
}

#[actix_web::test]
async fn a_billing_run_publishes_each_invoice_issued_and_its_completion() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-RUN", "mobile", 12_000);
    for i in 0..3 {
        let client = seed::client(&app, &format!("AB40000{i}"));
        seed::contract(&app, &client, &offer, date!(2026 - 01 - 01), "active");
    }
    let billing = app.actor_token(&["billing"]).await;
    let run = app
        .post("/billing/runs")
        .token(&billing)
        .header("idempotency-key", &ulid::Ulid::new().to_string())
        .json(&json!({"period": "2026-02"}))
        .send()
        .await;
    run.assert_status(201);
    let events = events_when(&app, "invoice.issued,billing_run.completed", 4).await;
    assert_eq!(
        types_of(&events),
        [
            "invoice.issued",
            "invoice.issued",
            "invoice.issued",
            "billing_run.completed"
        ]
    );
    let invoice_id = events[0]["data"]["id"].as_str().unwrap();
    let invoice = app
        .get(&format!("/invoices/{invoice_id}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(
        events[0]["data"], invoice,
        "the invoice as the API returns it"
    );
    assert_eq!(events[3]["data"]["id"], run.json()["id"]);
    assert_eq!(events[3]["data"]["status"], "completed");
}

fn key() -> String {
    ulid::Ulid::new().to_string()
}

#[actix_web::test]
async fn ledger_changes_publish_their_answer_and_the_invoices_they_settle() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "700201");
    let invoice = invoice_due(&app, &d, date!(2026 - 03 - 31), 12_000);
    // Paid twice over: the invoice is paid, the rest is credit.
    let payment = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 20_000, "method": "cash"}),
    )
    .await;
    payment.assert_status(201);
    let payment_id = payment.json()["payment_id"].as_str().unwrap().to_owned();
    let refund = app
        .post("/collections/refunds")
        .token(&token)
        .header("idempotency-key", &key())
        .json(&json!({"client_id": d.client_id, "amount": 3_000, "method": "cash"}))
        .send()
        .await;
    refund.assert_status(201);
    let events = events_when(&app, "", 3).await;
    assert_eq!(
        types_of(&events),
        ["payment.received", "invoice.paid", "refund.issued"]
    );
    assert_eq!(events[0]["data"]["id"], json!(payment_id));
    assert_eq!(events[1]["data"]["id"], json!(invoice));
    assert_eq!(events[2]["data"], refund.json(), "the refund as its answer");

    // A second invoice, voided by a credit note.
    let billing = app.actor_token(&["billing"]).await;
    let other = invoice_due(&app, &d, date!(2026 - 04 - 30), 6_000);
    let note = app
        .post(&format!("/invoices/{other}/credit-notes"))
        .token(&billing)
        .header("idempotency-key", &key())
        .json(&json!({"reason": "Annulation"}))
        .send()
        .await;
    note.assert_status(201);
    let events = events_when(&app, "credit_note.issued,invoice.voided", 2).await;
    assert_eq!(types_of(&events), ["credit_note.issued", "invoice.voided"]);
    assert_eq!(events[1]["data"]["id"], json!(other));
    assert_eq!(events[1]["data"]["status"], "void");
    let voided = app
        .get(&format!("/invoices/{other}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(
        events[1]["data"]["credit_note_ids"], voided["credit_note_ids"],
        "the invoice as the API returns it"
    );

    let reversal = app
        .post(&format!("/collections/payments/{payment_id}/reversal"))
        .token(&token)
        .header("idempotency-key", &key())
        .json(&json!({"reason": "cheque returned"}))
        .send()
        .await;
    // The refund used part of this payment's credit: the guard refuses, nothing is told.
    reversal.assert_status(422);
    let all = events_when(&app, "", 5).await;
    assert!(!types_of(&all).contains(&"payment.reversed".to_owned()));
}

#[actix_web::test]
async fn a_reversed_payment_is_published_with_its_answer() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "700301");
    invoice_due(&app, &d, date!(2026 - 03 - 31), 12_000);
    let payment = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 5_000, "method": "transfer", "reference": "VIR-1"}),
    )
    .await;
    payment.assert_status(201);
    let id = payment.json()["payment_id"].as_str().unwrap().to_owned();
    let reversal = app
        .post(&format!("/collections/payments/{id}/reversal"))
        .token(&token)
        .header("idempotency-key", &key())
        .json(&json!({"reason": "cheque returned"}))
        .send()
        .await;
    reversal.assert_status(201);
    let events = events_when(&app, "payment.reversed", 1).await;
    assert_eq!(events[0]["data"], reversal.json());
}

#[actix_web::test]
async fn a_contract_created_active_is_created_and_activated_then_terminated() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB800001");
    let offer = seed::offer(&app, "MOB-NEW", "mobile", 9_900);
    let line = seed::subscriber(&app, &client, "mobile", "+212611000111");
    let agent = app.actor_token(&["agent"]).await;
    let created = app
        .post("/contracts")
        .token(&agent)
        .json(&json!({
            "client_id": client,
            "subscriber_id": line,
            "offer_id": offer,
            "contract_start_date": "2026-03-10",
            "status": "active"
        }))
        .send()
        .await;
    created.assert_status(201);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    app.put(&format!("/contracts/{id}/status"))
        .token(&agent)
        .json(&json!({"status": "terminated"}))
        .send()
        .await
        .assert_status(200);
    let events = events_when(&app, "", 3).await;
    assert_eq!(
        types_of(&events),
        [
            "contract.created",
            "contract.activated",
            "contract.terminated"
        ]
    );
    assert_eq!(events[0]["data"], created.json());
    assert_eq!(events[2]["data"]["status"], "terminated");
}
