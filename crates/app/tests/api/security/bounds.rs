//! Issue #20, item 5: numbers and dates the server used to accept. Amounts are bounded, sums
//! of stored amounts never fail, business dates stay in a window, and a billing run keeps to
//! its period (decisions 0115 and 0116).

use domain::settings::Settings;
use serde_json::json;
use time::macros::date;

use crate::collections::fixtures::{collector, debtor, invoice_due, pay};
use crate::support::{seed, TestApp};

/// `Money::MAX_INPUT`: 100,000,000.00 MAD.
const MAX_AMOUNT: i64 = 10_000_000_000;

#[actix_web::test]
async fn payment_amounts_above_one_hundred_million_dirhams_are_refused() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "510001");
    for amount in [i64::MAX, MAX_AMOUNT + 1] {
        let answer = pay(
            &app,
            &token,
            json!({"client_id": d.client_id, "amount": amount, "method": "cash"}),
        )
        .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["amount"]);
    }
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": MAX_AMOUNT, "method": "transfer"}),
    )
    .await
    .assert_status(201);
}

#[actix_web::test]
async fn offer_prices_above_the_bound_are_refused() {
    let app = TestApp::new().await;
    let answer = app
        .post("/offers")
        .admin()
        .json(
            &json!({"code": "HUGE", "name": "Huge", "service_type": "mobile",
                      "monthly_price": i64::MAX}),
        )
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["monthly_price"]);
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
}

#[actix_web::test]
async fn absurd_stored_amounts_never_break_the_overview_or_the_cases() {
    let app = TestApp::new().await;
    let d = debtor(&app, "510002");
    let e = debtor(&app, "510003");
    // What the issue's two payments of i64::MAX left behind, and invoices just as large.
    for client in [&d.client_id, &e.client_id] {
        app.sql(&format!(
            "INSERT INTO payments (id, client_id, amount, currency, method, received_at, \
             unallocated_amount, actor_id, created_at, updated_at) VALUES \
             ('pay_{}', '{client}', {max}, 'MAD', 'cash', DATE '2026-03-05', {max}, 'system', \
             now(), now())",
            ulid::Ulid::new(),
            max = i64::MAX
        ));
    }
    for (debtor, due) in [(&d, date!(2026 - 01 - 01)), (&e, date!(2026 - 01 - 02))] {
        let id = invoice_due(&app, debtor, due, 12_000);
        app.sql(&format!(
            "UPDATE invoices SET total_incl_tax = {} WHERE id = '{id}'",
            i64::MAX
        ));
    }
    for client in [&d.client_id, &e.client_id] {
        app.sql(&format!(
            "INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at, \
             created_at, updated_at) VALUES ('case_{}', '{client}', 'open', 0, now(), now(), \
             now())",
            ulid::Ulid::new()
        ));
    }
    let overview = app.get("/collections/overview").admin().send().await;
    overview.assert_status(200);
    let body = overview.json();
    assert_eq!(body["collected_this_month"], i64::MAX);
    assert_eq!(body["outstanding_total"], i64::MAX);
    assert_eq!(body["overdue_total"], i64::MAX);
    assert_eq!(body["aging"]["d61_90"], i64::MAX);
    let cases = app.get("/collections/cases").admin().send().await;
    cases.assert_status(200);
    assert_eq!(cases.json()["items"][0]["overdue_amount"], i64::MAX);
}

#[actix_web::test]
async fn business_dates_before_2000_are_refused() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "510004");
    for received_at in ["0000-01-01", "1999-12-31"] {
        let answer = pay(
            &app,
            &token,
            json!({"client_id": d.client_id, "amount": 100, "method": "cash",
                   "received_at": received_at}),
        )
        .await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["received_at"]);
    }
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    let old = app
        .put(&format!("/contracts/{}/status", d.contract_id))
        .admin()
        .json(&json!({"status": "terminated", "effective_date": "1999-12-31"}))
        .send()
        .await;
    old.assert_problem(422, "validation_failed");
    assert_eq!(old.error_fields(), ["effective_date"]);
    let offer = seed::offer(&app, "MOB-510", "mobile", 12_000);
    let offer_change = app
        .put(&format!("/contracts/{}/offer", d.contract_id))
        .admin()
        .json(&json!({"offer_id": offer, "effective_date": "0001-01-01"}))
        .send()
        .await;
    offer_change.assert_problem(422, "validation_failed");
    assert_eq!(offer_change.error_fields(), ["effective_date"]);
    assert_eq!(app.count("SELECT count(*) FROM contract_audit"), 0);
}

#[actix_web::test]
async fn business_dates_later_than_the_configured_margin_are_refused() {
    let app = TestApp::with_settings(Settings {
        max_future_days: 30,
        ..Settings::default()
    })
    .await;
    // Today is 2026-03-10: the last accepted day is 2026-04-09.
    let client = seed::client(&app, "AB510005");
    let offer = seed::offer(&app, "MOB-511", "mobile", 9_900);
    let provision = |start: &'static str, line: &'static str| {
        app.post("/contracts/provision").admin().json(&json!({
            "offer_id": offer, "client_id": client, "contract_start_date": start,
            "subscriber": {"service_identifier": line}
        }))
    };
    let late = provision("2026-04-10", "0612510005").send().await;
    late.assert_problem(422, "validation_failed");
    assert_eq!(late.error_fields(), ["contract_start_date"]);
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 0);
    let contract = provision("2026-04-09", "0612510005").send().await;
    contract.assert_status(201);
    let id = contract.json()["id"].as_str().unwrap().to_owned();
    let next = seed::offer(&app, "MOB-512", "mobile", 19_900);
    let change = app
        .put(&format!("/contracts/{id}/offer"))
        .admin()
        .json(&json!({"offer_id": next, "effective_date": "2026-04-10"}))
        .send()
        .await;
    change.assert_problem(422, "validation_failed");
    assert_eq!(change.error_fields(), ["effective_date"]);
}

#[actix_web::test]
async fn a_billing_run_cannot_open_a_legal_series_in_year_9999() {
    let app = TestApp::new().await;
    let d = debtor(&app, "510006");
    let answer = app
        .post("/billing/runs")
        .admin()
        .header("idempotency-key", "far-future")
        .json(&json!({"period": "2026-12", "issue_date": "9999-12-31"}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["period", "issue_date"]);
    assert_eq!(app.count("SELECT count(*) FROM billing_runs"), 0);
    assert_eq!(app.count("SELECT count(*) FROM invoices"), 0);
    assert_eq!(app.count("SELECT count(*) FROM number_sequences"), 0);
    let _ = d;
}

#[actix_web::test]
async fn a_billing_run_keeps_to_its_period_window() {
    let app = TestApp::new().await;
    debtor(&app, "510007");
    let run = |key: &'static str, body: serde_json::Value| {
        app.post("/billing/runs")
            .admin()
            .header("idempotency-key", key)
            .json(&body)
    };
    // Today 2026-03-10: April is the latest period; January invoices until 2026-03-17.
    let may = run(
        "may",
        json!({"period": "2026-05", "issue_date": "2026-05-01"}),
    )
    .send()
    .await;
    may.assert_problem(422, "validation_failed");
    assert_eq!(may.error_fields(), ["period"]);
    let late = run(
        "late",
        json!({"period": "2026-01", "issue_date": "2026-03-18"}),
    )
    .send()
    .await;
    late.assert_problem(422, "validation_failed");
    assert_eq!(late.error_fields(), ["issue_date"]);
    assert_eq!(app.count("SELECT count(*) FROM billing_runs"), 0);
    let january = run(
        "jan",
        json!({"period": "2026-01", "issue_date": "2026-03-17"}),
    )
    .send()
    .await;
    january.assert_status(201);
    assert_eq!(january.json()["due_date"], "2026-04-01");
    run(
        "apr",
        json!({"period": "2026-04", "issue_date": "2026-04-01", "dry_run": true}),
    )
    .send()
    .await
    .assert_status(201);
}

#[actix_web::test]
async fn the_due_date_is_always_the_issue_date_plus_the_configured_term() {
    let app = TestApp::with_settings(Settings {
        due_in_days: 30,
        ..Settings::default()
    })
    .await;
    debtor(&app, "510008");
    let same_day = app
        .post("/billing/runs")
        .admin()
        .header("idempotency-key", "same-day")
        .json(&json!({"period": "2026-02", "issue_date": "2026-03-01", "due_in_days": 0}))
        .send()
        .await;
    same_day.assert_problem(422, "validation_failed");
    assert_eq!(same_day.error_fields(), ["due_in_days"]);
    let run = app
        .post("/billing/runs")
        .admin()
        .header("idempotency-key", "term")
        .json(&json!({"period": "2026-02", "issue_date": "2026-03-01"}))
        .send()
        .await;
    run.assert_status(201);
    assert_eq!(run.json()["due_date"], "2026-03-31");
    assert_eq!(
        app.count("SELECT count(*) FROM invoices WHERE due_date = DATE '2026-03-31'"),
        1
    );
}
