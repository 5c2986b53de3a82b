//! Dunning in batches of clients (decision 0330): the batch boundaries change nothing a
//! client sees, and a payment racing a run never leaves a paid client suspended.

use std::time::Duration;

use diesel::{Connection, RunQueryDsl};
use domain::settings::Settings;
use serde_json::json;
use time::macros::date;

use super::fixtures::{
    collector, contract_status, debtor, dunning_on, invoice_due, pay, set_today, text,
};
use crate::support::TestApp;

fn batches_of_two() -> Settings {
    Settings {
        dunning_batch_size: 2,
        ..Settings::default()
    }
}

fn events_of(app: &TestApp, event_type: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) FROM events WHERE type = '{event_type}'"
    ))
}

fn steps_of(app: &TestApp, client_id: &str) -> String {
    text(
        app,
        &format!(
            "SELECT coalesce(string_agg(a.action_type, ',' ORDER BY a.at, \
             CASE a.action_type WHEN 'case_opened' THEN 0 WHEN 'reminder_sms' THEN 1 \
             WHEN 'second_reminder' THEN 2 WHEN 'suspension' THEN 3 \
             WHEN 'pre_litigation_notice' THEN 4 ELSE 5 END), '') AS value \
             FROM case_actions a JOIN collection_cases c ON c.id = a.case_id \
             WHERE c.client_id = '{client_id}'"
        ),
    )
}

#[actix_web::test]
async fn batches_of_two_over_five_clients_do_what_a_run_per_client_does() {
    let app = TestApp::with_settings(batches_of_two()).await;
    let token = collector(&app).await;
    // A client whose case a payment-free clearing resolves: it takes the per-client path
    // inside whichever batch it falls in.
    let cleared = debtor(&app, "410005");
    let cleared_invoice = invoice_due(&app, &cleared, date!(2026 - 01 - 31), 6_000);
    let first = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(first["contracts_suspended"], 1);
    app.sql(&format!(
        "UPDATE invoices SET status = 'void' WHERE id = '{cleared_invoice}'"
    ));
    let d3 = debtor(&app, "410001");
    invoice_due(&app, &d3, date!(2026 - 02 - 28), 6_000);
    let d21 = debtor(&app, "410002");
    invoice_due(&app, &d21, date!(2026 - 02 - 10), 6_000);
    let d37 = debtor(&app, "410003");
    invoice_due(&app, &d37, date!(2026 - 01 - 25), 6_000);
    let d61 = debtor(&app, "410004");
    invoice_due(&app, &d61, date!(2026 - 01 - 01), 6_000);
    let events_before = app.count("SELECT count(*) FROM events");

    let report = dunning_on(&app, &token, date!(2026 - 03 - 03)).await;
    assert_eq!(report["cases_opened"], 4);
    assert_eq!(report["actions_recorded"], 1 + 2 + 3 + 4);
    assert_eq!(report["contracts_suspended"], 2);
    assert_eq!(report["cases_resolved"], 1);
    assert_eq!(report["contracts_reactivated"], 1);

    assert_eq!(steps_of(&app, &d3.client_id), "case_opened,reminder_sms");
    assert_eq!(
        steps_of(&app, &d21.client_id),
        "case_opened,reminder_sms,second_reminder"
    );
    assert_eq!(
        steps_of(&app, &d37.client_id),
        "case_opened,reminder_sms,second_reminder,suspension"
    );
    assert_eq!(
        steps_of(&app, &d61.client_id),
        "case_opened,reminder_sms,second_reminder,suspension,pre_litigation_notice"
    );
    assert_eq!(contract_status(&app, &d3.contract_id), "active");
    assert_eq!(contract_status(&app, &d21.contract_id), "active");
    assert_eq!(contract_status(&app, &d37.contract_id), "suspended");
    assert_eq!(contract_status(&app, &d61.contract_id), "suspended");
    assert_eq!(contract_status(&app, &cleared.contract_id), "active");
    let levels = text(
        &app,
        "SELECT string_agg(dunning_level::text, ',' ORDER BY dunning_level) AS value \
         FROM collection_cases WHERE status = 'open'",
    );
    assert_eq!(levels, "1,2,3,4");
    // Audit by `system` for each suspension (two today, one the day before) and the
    // reactivation.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM contract_audit WHERE actor_id = 'system' \
             AND after->>'reason' = 'dunning'"
        ),
        3
    );
    // Events in the run's transactions: 4 opened, 10 steps, 2 suspensions, 1 resolution and
    // 1 reactivation.
    assert_eq!(
        app.count("SELECT count(*) FROM events") - events_before,
        4 + 10 + 2 + 1 + 1
    );
    assert_eq!(events_of(&app, "collection_case.opened"), 1 + 4);
    assert_eq!(events_of(&app, "contract.suspended"), 1 + 2);
    let step = app.count(
        "SELECT count(*) FROM events WHERE type = 'collection_case.step_taken' \
         AND data->'case'->>'dunning_level' = '4' \
         AND data->'action'->>'action_type' = 'pre_litigation_notice'",
    );
    assert_eq!(step, 1);

    // The same day again: nothing to do, nothing written.
    let events_after = app.count("SELECT count(*) FROM events");
    let again = dunning_on(&app, &token, date!(2026 - 03 - 03)).await;
    for key in [
        "cases_opened",
        "actions_recorded",
        "contracts_suspended",
        "cases_resolved",
        "contracts_reactivated",
    ] {
        assert_eq!(again[key], 0, "{key}");
    }
    assert_eq!(app.count("SELECT count(*) FROM events"), events_after);
}

#[actix_web::test]
async fn a_payment_in_flight_when_a_batch_reads_is_waited_for_and_seen() {
    let app = TestApp::with_settings(batches_of_two()).await;
    let d = debtor(&app, "410011");
    let inv = invoice_due(&app, &d, date!(2026 - 01 - 20), 6_000);
    let other = debtor(&app, "410012");
    invoice_due(&app, &other, date!(2026 - 01 - 20), 6_000);
    set_today(&app, date!(2026 - 03 - 01));
    // A payment holds the invoice's row lock, as `lock_open_invoices` takes it, and has not
    // committed yet when the run starts.
    let mut payment = diesel::PgConnection::establish(&app.db.url).unwrap();
    diesel::sql_query("BEGIN").execute(&mut payment).unwrap();
    diesel::sql_query(format!(
        "SELECT id FROM invoices WHERE id = '{inv}' FOR UPDATE"
    ))
    .execute(&mut payment)
    .unwrap();
    let dunning = app.services.dunning.clone();
    let run = std::thread::spawn(move || dunning.run(Some("2026-03-01")));
    // Let the run reach the lock, then settle the invoice and commit.
    std::thread::sleep(Duration::from_millis(500));
    assert!(!run.is_finished(), "the run must wait for the payment");
    diesel::sql_query(format!(
        "UPDATE invoices SET amount_paid = total_incl_tax, status = 'paid' WHERE id = '{inv}'"
    ))
    .execute(&mut payment)
    .unwrap();
    diesel::sql_query("COMMIT").execute(&mut payment).unwrap();
    let report = run.join().unwrap().unwrap();

    // Only the other client is dunned; the paid one has no case and keeps its line.
    assert_eq!(report.cases_opened, 1);
    assert_eq!(report.contracts_suspended, 1);
    assert_eq!(contract_status(&app, &d.contract_id), "active");
    assert_eq!(contract_status(&app, &other.contract_id), "suspended");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM collection_cases WHERE client_id = '{}'",
            d.client_id
        )),
        0
    );
}

#[actix_web::test]
async fn payments_racing_a_run_leave_no_paid_client_suspended() {
    let app = TestApp::with_settings(batches_of_two()).await;
    let token = collector(&app).await;
    let debtors: Vec<_> = (0..6)
        .map(|n| {
            let d = debtor(&app, &format!("41002{n}"));
            invoice_due(&app, &d, date!(2026 - 01 - 20), 6_000);
            d
        })
        .collect();
    set_today(&app, date!(2026 - 03 - 01));
    let dunning = app.services.dunning.clone();
    let run = std::thread::spawn(move || dunning.run(None));
    for d in &debtors {
        pay(
            &app,
            &token,
            json!({"client_id": d.client_id, "amount": 6_000, "method": "transfer"}),
        )
        .await
        .assert_status(201);
    }
    run.join().unwrap().unwrap();

    // Whatever the interleaving, every client is paid: no live case, no suspended line.
    for d in &debtors {
        assert_eq!(contract_status(&app, &d.contract_id), "active");
    }
    assert_eq!(
        app.count(
            "SELECT count(*) FROM collection_cases \
             WHERE status IN ('open', 'in_progress', 'promise_to_pay', 'disputed')"
        ),
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM contracts WHERE suspended_by_dunning"),
        0
    );
    // A suspension the run made before a payment was undone by that payment, audited.
    assert_eq!(
        app.count("SELECT count(*) FROM contract_audit WHERE after->>'reason' = 'dunning'"),
        app.count(
            "SELECT count(*) FROM contract_audit \
             WHERE after->>'reason' = 'overdue balance settled'"
        )
    );
}
