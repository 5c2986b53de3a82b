//! `GET /customers/{client_id}/statement`: the relevé de compte in date order with a running
//! balance, opening and closing balances, and its strict query.

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, pay, set_today};
use super::ledger_fixtures::{balance, credit_note, refund};
use crate::support::TestApp;

fn kinds(statement: &serde_json::Value) -> Vec<(String, i64, i64)> {
    statement["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap().to_owned(),
                l["effect"].as_i64().unwrap(),
                l["balance"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn every_movement_appears_in_date_order_with_a_running_balance() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "440001");
    let c = &d.client_id;
    let first = invoice_due(&app, &d, date!(2026 - 01 - 31), 36_000); // issued 16 January
    set_today(&app, date!(2026 - 02 - 01));
    pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 40_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    credit_note(&app, c, &first, 2_000, "2026-02-03");
    invoice_due(&app, &d, date!(2026 - 02 - 28), 10_000); // issued 13 February
    set_today(&app, date!(2026 - 02 - 14));
    // A payment with a remainder: the credit pays the February invoice first.
    pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 500, "method": "cash", "received_at": "2026-02-14"}),
    )
    .await
    .assert_status(201);
    set_today(&app, date!(2026 - 02 - 20));
    let statement = app
        .get(&format!("/customers/{c}/statement"))
        .admin()
        .send()
        .await;
    statement.assert_status(200);
    let s = statement.json();
    assert_eq!(s["client_id"], c.as_str());
    assert_eq!(s["to"], "2026-02-20");
    assert_eq!(s["opening_balance"], 0);
    assert_eq!(
        kinds(&s),
        vec![
            ("invoice".into(), 36_000, 36_000),
            ("payment".into(), -40_000, -4_000),
            ("credit_note".into(), -2_000, -6_000),
            ("invoice".into(), 10_000, 4_000),
            ("payment".into(), -500, 3_500),
        ]
    );
    let b = balance(&app, c).await;
    assert_eq!(
        s["closing_balance"].as_i64().unwrap(),
        b["outstanding"].as_i64().unwrap() - b["credit_available"].as_i64().unwrap()
    );
    // The first invoice and the second payment in the same story, the lines carry numbers.
    assert_eq!(s["lines"][0]["document_id"], first.as_str());
    assert!(s["lines"][2]["reference"]
        .as_str()
        .unwrap()
        .starts_with("AV-"));
    assert_eq!(s["lines"][2]["related_id"], first.as_str());
    assert_eq!(s["currency"], "MAD");
}

#[actix_web::test]
async fn credit_applications_and_refunds_are_shown_and_a_period_has_an_opening_balance() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "440002");
    let c = &d.client_id;
    let paid = invoice_due(&app, &d, date!(2026 - 01 - 31), 20_000);
    set_today(&app, date!(2026 - 02 - 01));
    pay(
        &app,
        &token,
        json!({"client_id": c, "amount": 20_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    set_today(&app, date!(2026 - 03 - 10));
    let note = credit_note(&app, c, &paid, 15_000, "2026-02-02");
    // The February run issues an invoice on 1 March and pays it from the note's credit.
    let billing = app.actor_token(&["billing"]).await;
    app.post("/billing/runs")
        .token(&billing)
        .header("idempotency-key", "feb")
        .json(&json!({"period": "2026-02", "issue_date": "2026-03-01"}))
        .send()
        .await
        .assert_status(201);
    refund(
        &app,
        &token,
        "r-1",
        json!({"client_id": c, "amount": 1_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    let s = app
        .get(&format!(
            "/customers/{c}/statement?from=2026-03-01&to=2026-03-10"
        ))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(s["from"], "2026-03-01");
    // Before March: the January invoice, its payment and the note.
    assert_eq!(s["opening_balance"], 20_000 - 20_000 - 15_000);
    let billed = s["lines"][0]["amount"].as_i64().unwrap();
    let lines: Vec<_> = kinds(&s).into_iter().map(|(k, e, _)| (k, e)).collect();
    assert_eq!(
        lines,
        vec![
            ("invoice".into(), billed),
            ("credit_application".into(), 0),
            ("refund".into(), 1_000),
        ]
    );
    let application = &s["lines"][1];
    assert_eq!(application["document_id"], note.as_str());
    assert_eq!(application["related_id"], s["lines"][0]["document_id"]);
    assert_eq!(application["amount"], billed);
    assert_eq!(s["closing_balance"], -15_000 + billed + 1_000);
    let b = balance(&app, c).await;
    assert_eq!(
        s["closing_balance"].as_i64().unwrap(),
        b["outstanding"].as_i64().unwrap() - b["credit_available"].as_i64().unwrap()
    );
}

#[actix_web::test]
async fn a_bad_query_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let d = debtor(&app, "440003");
    let base = format!("/customers/{}/statement", d.client_id);
    app.get(&format!("{base}?from=2026-13-01"))
        .admin()
        .send()
        .await
        .assert_problem(400, "invalid_query");
    app.get(&format!("{base}?page=2"))
        .admin()
        .send()
        .await
        .assert_problem(400, "invalid_query");
    let late = app
        .get(&format!("{base}?from=2026-03-02&to=2026-03-01"))
        .admin()
        .send()
        .await;
    late.assert_problem(422, "validation_failed");
    assert_eq!(late.error_fields(), ["from"]);
    app.get("/customers/cli_01JD0000000000000000000000/statement")
        .admin()
        .send()
        .await
        .assert_problem(404, "client_not_found");
    app.get(&base).send().await.assert_status(401);
}

#[actix_web::test]
async fn the_statement_is_also_a_pdf() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "440004");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 36_000);
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 10_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    let answer = app
        .get(&format!(
            "/customers/{}/statement/pdf?from=2026-01-01",
            d.client_id
        ))
        .admin()
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
    assert!(answer.body.starts_with(b"%PDF-"));
    app.get(&format!("/customers/{}/statement/pdf?from=x", d.client_id))
        .admin()
        .send()
        .await
        .assert_problem(400, "invalid_query");
    app.get("/customers/cli_01JD0000000000000000000000/statement/pdf")
        .admin()
        .send()
        .await
        .assert_problem(404, "client_not_found");
    app.get(&format!("/customers/{}/statement/pdf", d.client_id))
        .send()
        .await
        .assert_status(401);
}
