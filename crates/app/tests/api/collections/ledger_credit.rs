//! The credit engine over HTTP: credit is used by a billing run in its batch, and dunning
//! leaves alone a client whose credit covers the overdue debt (issue #14).

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, contract_status, debtor, dunning_on, invoice_due, invoice_state};
use super::ledger_fixtures::{credit_note, credit_of, credit_payment, outstanding_of};
use crate::support::TestApp;

#[actix_web::test]
async fn credit_covering_the_overdue_debt_opens_no_case_and_suspends_nothing() {
    // The scenario of the issue: 520 MAD of credit, a 360 MAD overdue invoice.
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "420001");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 36_000);
    credit_payment(&app, &d.client_id, 52_000);

    for day in [
        date!(2026 - 02 - 01),
        date!(2026 - 02 - 15),
        date!(2026 - 03 - 02),
        date!(2026 - 03 - 20),
    ] {
        let report = dunning_on(&app, &token, day).await;
        assert_eq!(report["cases_opened"], 0, "{day}");
        assert_eq!(report["actions_recorded"], 0, "{day}");
        assert_eq!(report["contracts_suspended"], 0, "{day}");
    }
    assert_eq!(app.count("SELECT count(*) FROM collection_cases"), 0);
    assert_eq!(contract_status(&app, &d.contract_id), "active");
}

#[actix_web::test]
async fn credit_short_of_the_overdue_debt_still_opens_a_case() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "420002");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 36_000);
    credit_payment(&app, &d.client_id, 35_999);
    let report = dunning_on(&app, &token, date!(2026 - 02 - 01)).await;
    assert_eq!(report["cases_opened"], 1);
}

#[actix_web::test]
async fn a_billing_run_pays_new_invoices_from_the_clients_credit_oldest_source_first() {
    let app = TestApp::new().await;
    let billing = app.actor_token(&["billing"]).await;
    let with_credit = debtor(&app, "420003");
    let without = debtor(&app, "420004");
    let old = invoice_due(&app, &with_credit, date!(2025 - 12 - 31), 50_000);
    app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = 50000 WHERE id = '{old}'"
    ));
    let payment = credit_payment(&app, &with_credit.client_id, 3_000);
    let note = credit_note(&app, &with_credit.client_id, &old, 50_000, "2026-01-10");

    let run = app
        .post("/billing/runs")
        .token(&billing)
        .header("idempotency-key", "feb-credit")
        .json(&json!({"period": "2026-02", "issue_date": "2026-03-01"}))
        .send()
        .await;
    run.assert_status(201);

    let new_invoice = app.count(&format!(
        "SELECT count(*) FROM invoices WHERE client_id = '{}' AND period = '2026-02'",
        with_credit.client_id
    ));
    assert_eq!(new_invoice, 1);
    let invoice_id = super::fixtures::text(
        &app,
        &format!(
            "SELECT id AS value FROM invoices WHERE client_id = '{}' AND period = '2026-02'",
            with_credit.client_id
        ),
    );
    let total = app.count(&format!(
        "SELECT total_incl_tax FROM invoices WHERE id = '{invoice_id}'"
    ));
    assert_eq!(invoice_state(&app, &invoice_id), ("paid".into(), total));
    // The older payment first, then the note for the rest.
    assert_eq!(
        app.count(&format!(
            "SELECT amount FROM payment_allocations WHERE payment_id = '{payment}' \
             AND kind = 'credit' AND invoice_id = '{invoice_id}'"
        )),
        3_000
    );
    assert_eq!(
        app.count(&format!(
            "SELECT amount FROM credit_note_allocations WHERE credit_note_id = '{note}'"
        )),
        total - 3_000
    );
    assert_eq!(
        credit_of(&app, &with_credit.client_id),
        50_000 + 3_000 - total
    );
    assert_eq!(outstanding_of(&app, &with_credit.client_id), 0);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM ledger_audit WHERE client_id = '{}' \
             AND action = 'credit_applied' AND document_id = '{invoice_id}'",
            with_credit.client_id
        )),
        2
    );
    // A client without credit is billed as before.
    let untouched = super::fixtures::text(
        &app,
        &format!(
            "SELECT status AS value FROM invoices WHERE client_id = '{}' AND period = '2026-02'",
            without.client_id
        ),
    );
    assert_eq!(untouched, "issued");
}
