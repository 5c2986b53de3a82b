//! A late record over HTTP (decision 0377): ingested after February was invoiced, it is
//! billed on March's invoice with its own date, marked with that invoice, never on February's
//! and never twice; a dry run shows the same line and marks nothing.

use serde_json::{json, Value};
use time::macros::datetime;

use super::{counts, ndjson, record, send_ndjson, usage_contract};
use crate::support::TestApp;

const LINE: &str = "+212611000077";
const LATE_LINE: &str = "Appels hors forfait (février 2026, reçus après facturation) : 2 min";

/// Runs `period` issued on `issue_date` as a billing actor; answers the run.
async fn run(app: &TestApp, token: &str, period: &str, issue_date: &str, dry_run: bool) -> Value {
    let answer = app
        .post("/billing/runs")
        .token(token)
        .header("idempotency-key", &format!("{period}-{dry_run}"))
        .json(&json!({"period": period, "issue_date": issue_date, "dry_run": dry_run}))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()
}

/// The contract's invoice for `period`, with its lines.
async fn invoice_of(app: &TestApp, token: &str, contract: &str, period: &str) -> Value {
    let list = app
        .get(&format!("/invoices?contract_id={contract}&period={period}"))
        .token(token)
        .send()
        .await;
    list.assert_status(200);
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "one invoice for {period}");
    let id = items[0]["id"].as_str().unwrap().to_owned();
    let invoice = app
        .get(&format!("/invoices/{id}"))
        .token(token)
        .send()
        .await;
    invoice.assert_status(200);
    invoice.json()
}

fn descriptions(invoice: &Value) -> Vec<String> {
    invoice["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["description"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_late_record_is_billed_once_on_the_next_invoice_with_its_own_date() {
    let app = TestApp::new().await;
    let billing = app.actor_token(&["billing"]).await;
    // 1 h of calls at 1.50 MAD a started minute beyond it, from 1 February.
    let contract = usage_contract(&app, "AB100077", LINE);
    let on_time = send_ndjson(
        &app,
        ndjson(&[record("f-1", LINE, "voice", "2026-02-10T10:00:00Z", 3_000)]),
    )
    .await;
    assert_eq!(counts(&on_time), (1, 0, 0));
    run(&app, &billing, "2026-02", "2026-03-01", false).await;
    let february = invoice_of(&app, &billing, &contract, "2026-02").await;
    assert_eq!(
        descriptions(&february),
        ["Offre MOB-AB100077 – février 2026"]
    );

    // 700 s more on 27 February, after the invoice: 100 s over the hour, 2 started minutes.
    let late = send_ndjson(
        &app,
        ndjson(&[
            record("f-late", LINE, "voice", "2026-02-27T10:00:00Z", 700),
            record("m-1", LINE, "sms", "2026-03-03T10:00:00Z", 1),
        ]),
    )
    .await;
    late.assert_status(200);
    assert_eq!(counts(&late), (2, 0, 1));

    app.clock.set(datetime!(2026-04-02 09:00 UTC));
    let preview = run(&app, &billing, "2026-03", "2026-04-01", true).await;
    // March: 99.00 + 3.00 late, 20 % tax.
    assert_eq!(preview["totals"]["excl_tax"], 9_900 + 300);
    assert_eq!(
        app.count("SELECT count(*) FROM usage_records WHERE billed_invoice_id IS NOT NULL"),
        0,
        "a dry run marks nothing"
    );
    let march_run = run(&app, &billing, "2026-03", "2026-04-01", false).await;
    assert_eq!(march_run["totals"], preview["totals"]);

    let march = invoice_of(&app, &billing, &contract, "2026-03").await;
    assert_eq!(
        descriptions(&march),
        ["Offre MOB-AB100077 – mars 2026", LATE_LINE]
    );
    let line = &march["lines"][1];
    assert_eq!(
        json!([
            line["kind"],
            line["usage_kind"],
            line["quantity"],
            line["unit_price"],
            line["amount_excl_tax"],
            line["tax_amount"],
            line["start_date"],
            line["end_date"]
        ]),
        json!([
            "usage",
            "voice",
            2,
            150,
            300,
            60,
            "2026-02-27",
            "2026-02-27"
        ])
    );
    assert_eq!(march["total_excl_tax"], 9_900 + 300);
    let march_id = march["id"].as_str().unwrap();
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM usage_records WHERE record_id = 'f-late' \
             AND billed_invoice_id = '{march_id}'"
        )),
        1
    );
    // February as issued: unchanged.
    let february_again = invoice_of(&app, &billing, &contract, "2026-02").await;
    assert_eq!(february_again["lines"], february["lines"]);
    assert_eq!(february_again["total_incl_tax"], february["total_incl_tax"]);

    // April bills it no more.
    app.clock.set(datetime!(2026-05-02 09:00 UTC));
    run(&app, &billing, "2026-04", "2026-05-01", false).await;
    let april = invoice_of(&app, &billing, &contract, "2026-04").await;
    assert_eq!(descriptions(&april), ["Offre MOB-AB100077 – avril 2026"]);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM invoice_lines WHERE description = '{LATE_LINE}'"
        )),
        1
    );
}
