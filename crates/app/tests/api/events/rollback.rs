//! Events of a change that rolled back are never published.

use serde_json::json;
use time::macros::date;

use super::support::{events_when, read_all, types_of};
use crate::collections::fixtures::{collector, debtor, pay};
use crate::support::{seed, TestApp};

#[actix_web::test]
async fn a_payment_refused_by_a_guard_publishes_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "700101");
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 0, "method": "cash"}),
    )
    .await
    .assert_problem(422, "validation_failed");
    pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 5_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    let events = events_when(&app, "", 1).await;
    assert_eq!(types_of(&events), ["payment.received"]);
    assert_eq!(events[0]["data"]["amount"], 5_000);
}

#[actix_web::test]
async fn a_change_that_fails_after_recording_its_event_takes_the_event_with_it() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB500001");
    let offer = seed::offer(&app, "MOB-RB", "mobile", 9_900);
    let contract = seed::contract(&app, &client, &offer, date!(2026 - 02 - 01), "active");
    // The suspension records its event, then writes its audit entry: make that write fail.
    app.sql(
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
    );
    app.sql(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON contract_audit \
         FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
    );
    let answer = app
        .put(&format!("/contracts/{contract}/status"))
        .admin()
        .json(&json!({"status": "suspended", "reason": "test"}))
        .send()
        .await;
    assert_eq!(answer.status, 500, "the change failed");
    app.sql("DROP TRIGGER refuse_audit ON contract_audit");
    // A later change commits: once it shows, anything of the failed one would have too.
    app.post("/customers")
        .admin()
        .json(&json!({"cin": "AB500002", "first_name": "Nadia", "last_name": "Idrissi"}))
        .send()
        .await
        .assert_status(201);
    events_when(&app, "", 1).await;
    assert_eq!(types_of(&read_all(&app, "").await), ["client.created"]);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contracts WHERE id = '{contract}' AND status = 'active'"
        )),
        1
    );
}
