//! Billing on a base with history: the month being billed is unknown to the statistics, and
//! the candidate query must still look each contract's invoice up through the unique index
//! (decision 0089), or a run turns quadratic.

use adapters_postgres::explain;
use time::macros::date;

use crate::support::TestApp;

/// 20,000 clients, lines and active contracts with invoices for 2025-01 and 2025-02, analysed;
/// then 5,000 invoices of 2026-10 written after the statistics, as in the middle of a run.
fn base_with_history(app: &TestApp) {
    let id =
        |prefix: &str, n: &str| format!("'{prefix}_01JB' || lpad(upper(to_hex({n})), 22, '0')");
    app.sql(&format!(
        "INSERT INTO offers (id, code, name, service_type, monthly_price, tax_rate_bp, \
         commitment_months, status, created_at, updated_at) \
         VALUES ({}, 'HIST', 'Hist', 'mobile', 9900, 2000, 12, 'active', now(), now())",
        id("ofr", "1")
    ));
    app.sql(&format!(
        "INSERT INTO clients (id, cin, first_name, last_name, status, created_at, updated_at) \
         SELECT {}, 'HX' || lpad(n::text, 6, '0'), 'P', 'N', 'active', now(), now() \
         FROM generate_series(1, 20000) n",
        id("cli", "n")
    ));
    app.sql(&format!(
        "INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, \
         updated_at) SELECT {}, {}, 'mobile', '+2126' || lpad(n::text, 8, '0'), now(), now() \
         FROM generate_series(1, 20000) n",
        id("sub", "n"),
        id("cli", "n")
    ));
    app.sql(&format!(
        "INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, \
         service_type, status, contract_start_date, commitment_months, commitment_end_date, \
         monthly_price, currency, tax_rate_bp, created_at, updated_at) \
         SELECT {}, 'CTR-2025-' || lpad(n::text, 6, '0'), {}, {}, {}, 'mobile', 'active', \
         '2025-01-01', 12, '2026-01-01', 9900, 'MAD', 2000, now(), now() \
         FROM generate_series(1, 20000) n",
        id("ctr", "n"),
        id("cli", "n"),
        id("sub", "n"),
        id("ofr", "1")
    ));
    app.sql(&format!(
        "INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency, \
         actor_id, created_at, updated_at) \
         SELECT {}, p, '2025-03-01', '2025-03-16', 'completed', false, 'MAD', 'act_x', now(), \
         now() FROM (VALUES (1, '2025-01'), (2, '2025-02'), (3, '2026-10')) AS r(m, p)",
        id("run", "m")
    ));
    let invoices = |months: &str, clients: i32| {
        format!(
            "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
             offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, \
             total_tax, total_incl_tax, currency, created_at, updated_at, buyer_name, \
             service_identifier, seller_identity_id) \
             SELECT {}, 'FAC-' || m || '-' || n, {}, {}, {}, {}, 'mobile', p, '2025-03-01', \
             '2025-03-16', 'issued', 9900, 1980, 11880, 'MAD', now(), now(), 'Client', \
             '+212600000000', 1 \
             FROM (VALUES {months}) AS r(m, p), generate_series(1, {clients}) n",
            id("inv", "m * 100000 + n"),
            id("run", "m"),
            id("cli", "n"),
            id("ctr", "n"),
            id("ofr", "1")
        )
    };
    app.sql(&invoices("(1, '2025-01'), (2, '2025-02')", 20000));
    app.sql("ANALYZE");
    app.sql(&invoices("(3, '2026-10')", 5000));
}

#[actix_web::test]
async fn a_month_unknown_to_the_statistics_is_looked_up_through_the_unique_index() {
    let app = TestApp::new().await;
    base_with_history(&app);
    let mut conn = app.db.connect();
    let plan = explain::billing_candidates(
        &mut conn,
        "2026-10",
        date!(2026 - 10 - 01),
        "ctr_01JB00000000000000000003E8",
        2000,
    )
    .unwrap()
    .join("\n");
    assert!(
        plan.contains("invoices_contract_id_period_key"),
        "each contract's invoice for the month should be one probe of the unique index:\n{plan}"
    );
    assert!(
        !plan.contains("invoices_period"),
        "scanning the month's invoices once per contract is quadratic:\n{plan}"
    );
    // The per-account probes (decision 0211): the client's per-account invoice through its
    // partial unique index, never the client's whole invoice history; the client's kind of
    // invoicing through the partial index of per-account clients.
    assert!(
        plan.contains("invoices_one_per_account_period"),
        "the per-account invoice should be one probe of its partial index:\n{plan}"
    );
    assert!(
        !plan.contains("invoices_client"),
        "reading every invoice of each client is linear in its history:\n{plan}"
    );
    assert!(
        plan.contains("clients_per_account"),
        "the per-account probe should read the partial index of those clients:\n{plan}"
    );
}
