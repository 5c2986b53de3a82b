//! P15 at scale (ignored by default; `cargo test -p app --test api scale -- --ignored`):
//! the overview and the case list over a million invoices.

use std::time::Instant;

use crate::support::TestApp;

#[actix_web::test]
#[ignore = "seeds a million invoices; run on demand"]
async fn the_overview_stays_fast_at_a_million_invoices() {
    let app = TestApp::new().await;
    app.sql(
        "INSERT INTO offers (id, code, name, description, service_type, monthly_price, currency, \
         tax_rate_bp, commitment_months, status, created_at, updated_at) VALUES \
         ('ofr_SCALE', 'SCALE', 'Scale', '', 'mobile', 10000, 'MAD', 2000, 12, 'active', now(), now())",
    );
    app.sql(
        "INSERT INTO clients (id, cin, first_name, last_name, status, created_at, updated_at) \
         SELECT 'cli_' || lpad(g::text, 8, '0'), 'S' || g, 'F', 'L', 'active', now(), now() \
         FROM generate_series(1, 20000) g",
    );
    app.sql(
        "INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, \
         updated_at) SELECT 'sub_' || lpad(g::text, 8, '0'), 'cli_' || lpad(g::text, 8, '0'), \
         'mobile', '+2126' || lpad(g::text, 8, '0'), now(), now() FROM generate_series(1, 20000) g",
    );
    app.sql(
        "INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, \
         service_type, status, contract_start_date, commitment_months, commitment_end_date, \
         monthly_price, currency, tax_rate_bp, document_version, suspended_by_dunning, \
         created_at, updated_at) SELECT 'ctr_' || lpad(g::text, 8, '0'), 'CTR-' || g, \
         'cli_' || lpad(g::text, 8, '0'), 'sub_' || lpad(g::text, 8, '0'), 'ofr_SCALE', 'mobile', \
         'active', DATE '2021-01-01', 12, DATE '2022-01-01', 10000, 'MAD', 2000, 1, false, now(), \
         now() FROM generate_series(1, 20000) g",
    );
    app.sql(
        "INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency, \
         actor_id, created_at, updated_at) VALUES ('run_SCALE', '2022-01', DATE '2022-01-01', \
         DATE '2022-01-16', 'completed', false, 'MAD', 'system', now(), now())",
    );
    // 50 monthly invoices per contract, the last 5 months still open: 1,000,000 invoices,
    // 100,000 open.
    app.sql(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
         offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, total_tax, \
         total_incl_tax, amount_paid, currency, created_at, updated_at, buyer_name, \
         service_identifier, seller_identity_id) \
         SELECT 'inv_' || lpad(c::text, 8, '0') || '_' || lpad(m::text, 2, '0'), \
         'FAC-S-' || c || '-' || m, 'run_SCALE', 'cli_' || lpad(c::text, 8, '0'), \
         'ctr_' || lpad(c::text, 8, '0'), 'ofr_SCALE', 'mobile', \
         to_char(DATE '2018-01-01' + m * INTERVAL '1 month', 'YYYY-MM'), \
         DATE '2022-01-01' + (m * 30), DATE '2022-01-16' + (m * 30), \
         CASE WHEN m > 45 THEN 'issued' ELSE 'paid' END, 10000, 2000, 12000, \
         CASE WHEN m > 45 THEN 0 ELSE 12000 END, 'MAD', now(), now(), 'Client', \
         '+212600000000', 1 \
         FROM generate_series(1, 20000) c, generate_series(1, 50) m",
    );
    app.sql("ANALYZE");
    assert_eq!(app.count("SELECT count(*) FROM invoices"), 1_000_000);
    let started = Instant::now();
    let answer = app.get("/collections/overview").admin().send().await;
    let overview_ms = started.elapsed().as_millis();
    answer.assert_status(200);
    assert_eq!(answer.json()["outstanding_total"], 100_000 * 12_000);
    let started = Instant::now();
    let report = app
        .post("/collections/dunning/runs")
        .admin()
        .json(&serde_json::json!({}))
        .send()
        .await;
    let dunning_ms = started.elapsed().as_millis();
    report.assert_status(200);
    let started = Instant::now();
    app.get("/collections/cases?min_overdue=1&limit=500")
        .admin()
        .send()
        .await
        .assert_status(200);
    let cases_ms = started.elapsed().as_millis();
    println!(
        "overview {overview_ms} ms; first dunning run over 20,000 debtors {dunning_ms} ms \
         ({}); case page of 500 {cases_ms} ms",
        String::from_utf8_lossy(&report.body)
    );
    assert!(overview_ms < 2_000, "overview took {overview_ms} ms");
}
