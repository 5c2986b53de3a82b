//! Issue 22 §5: a dispute holds its invoices out of the dunning ladder until it is closed;
//! closing it resumes the ladder at the next step (decisions 0240, 0241).

use serde_json::{json, Value};
use time::macros::date;

use super::fixtures::{
    case_in, collector, contract_status, debtor, dunning_on, invoice_due, set_today, Debtor,
};
use crate::support::{Answer, TestApp};

/// The client's one case.
async fn case_of(app: &TestApp, client_id: &str) -> Value {
    let list = app
        .get(&format!("/collections/cases?client_id={client_id}"))
        .admin()
        .send()
        .await
        .json();
    list["items"][0].clone()
}

/// The case's actions as the API lists them.
async fn actions(app: &TestApp, case_id: &str) -> Vec<Value> {
    let list = app
        .get(&format!("/collections/cases/{case_id}/actions"))
        .admin()
        .send()
        .await
        .json();
    list["items"].as_array().unwrap().clone()
}

fn types(actions: &[Value]) -> Vec<&str> {
    actions
        .iter()
        .map(|a| a["action_type"].as_str().unwrap())
        .collect()
}

async fn open(app: &TestApp, token: &str, case_id: &str, body: Value) -> Answer {
    app.post(&format!("/collections/cases/{case_id}/dispute"))
        .token(token)
        .json(&body)
        .send()
        .await
}

async fn close(app: &TestApp, token: &str, case_id: &str, body: Value) -> Answer {
    app.post(&format!("/collections/cases/{case_id}/dispute/close"))
        .token(token)
        .json(&body)
        .send()
        .await
}

/// A debtor with a 12 000 invoice due on 31 January, its case opened at D+1 (reminder sent).
async fn reminded(app: &TestApp, token: &str, tag: &str) -> (Debtor, String, String) {
    let d = debtor(app, tag);
    let inv = invoice_due(app, &d, date!(2026 - 01 - 31), 12_000);
    dunning_on(app, token, date!(2026 - 02 - 01)).await;
    let case_id = case_of(app, &d.client_id).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (d, inv, case_id)
}

#[actix_web::test]
async fn a_disputed_invoice_climbs_no_step_while_an_undisputed_one_does_until_it_is_rejected() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (held, held_inv, held_case) = reminded(&app, &token, "950001").await;
    let (plain, _, plain_case) = reminded(&app, &token, "950002").await;

    set_today(&app, date!(2026 - 02 - 02));
    let opened = open(
        &app,
        &token,
        &held_case,
        json!({"invoice_ids": [held_inv], "note": "conteste la facture"}),
    )
    .await;
    opened.assert_status(200);
    let body = opened.json();
    assert_eq!(body["status"], "disputed");
    assert_eq!(body["disputed_invoice_ids"], json!([held_inv]));
    assert_eq!(
        body["invoice_ids"],
        json!([held_inv]),
        "still overdue, still shown"
    );

    // D+15 and D+30: the undisputed debt climbs, the disputed one does not.
    dunning_on(&app, &token, date!(2026 - 02 - 15)).await;
    let d30 = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(d30["contracts_suspended"], 1);
    assert_eq!(case_of(&app, &plain.client_id).await["dunning_level"], 3);
    assert_eq!(contract_status(&app, &plain.contract_id), "suspended");
    let case = case_of(&app, &held.client_id).await;
    assert_eq!(case["dunning_level"], 1);
    assert_eq!(case["status"], "disputed");
    assert_eq!(contract_status(&app, &held.contract_id), "active");
    assert_eq!(
        types(&actions(&app, &held_case).await),
        ["case_opened", "reminder_sms", "dispute_opened"]
    );
    assert_eq!(
        types(&actions(&app, &plain_case).await),
        [
            "case_opened",
            "reminder_sms",
            "second_reminder",
            "suspension"
        ]
    );

    // Rejected on D+31: the ladder resumes at the second reminder, not at the suspension it
    // would have reached meanwhile, and keeps its spacing after that.
    set_today(&app, date!(2026 - 03 - 03));
    let closed = close(
        &app,
        &token,
        &held_case,
        json!({"outcome": "rejected", "note": "facture conforme"}),
    )
    .await;
    closed.assert_status(200);
    assert_eq!(closed.json()["status"], "in_progress");
    assert_eq!(closed.json()["disputed_invoice_ids"], json!([]));
    let resumed = dunning_on(&app, &token, date!(2026 - 03 - 04)).await;
    assert_eq!(resumed["actions_recorded"], 1);
    assert_eq!(resumed["contracts_suspended"], 0);
    assert_eq!(case_of(&app, &held.client_id).await["dunning_level"], 2);
    // The second reminder at D+32 stands for D+15: the suspension comes 15 days later.
    dunning_on(&app, &token, date!(2026 - 03 - 17)).await;
    assert_eq!(contract_status(&app, &held.contract_id), "active");
    let d46 = dunning_on(&app, &token, date!(2026 - 03 - 18)).await;
    assert_eq!(d46["contracts_suspended"], 1);
    let list = actions(&app, &held_case).await;
    assert_eq!(
        types(&list),
        [
            "case_opened",
            "reminder_sms",
            "dispute_opened",
            "dispute_closed",
            "second_reminder",
            "suspension"
        ]
    );
    // The audit: who opened and closed the dispute, and when.
    let opened_by = &list[2];
    assert_eq!(opened_by["automatic"], false);
    assert!(opened_by["actor_id"].as_str().unwrap().starts_with("act_"));
    assert_eq!(opened_by["at"], "2026-02-02T09:00:00Z");
    assert_eq!(
        opened_by["note"],
        format!("disputed: FAC-TEST-{}: conteste la facture", &held_inv[4..])
    );
    let closed_by = &list[3];
    assert_eq!(closed_by["actor_id"], opened_by["actor_id"]);
    assert_eq!(closed_by["at"], "2026-03-03T09:00:00Z");
    assert_eq!(closed_by["note"], "rejected: facture conforme");
    assert_eq!(
        app.count(
            "SELECT count(*) FROM case_disputed_invoices WHERE outcome = 'rejected' \
             AND closed_at IS NOT NULL"
        ),
        1
    );
}

#[actix_web::test]
async fn the_ladder_counts_from_the_oldest_undisputed_invoice() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, old_inv, case_id) = reminded(&app, &token, "950003").await;
    let newer = invoice_due(&app, &d, date!(2026 - 02 - 20), 6_000);
    set_today(&app, date!(2026 - 02 - 02));
    open(&app, &token, &case_id, json!({"invoice_ids": [old_inv]}))
        .await
        .assert_status(200);
    // 29 days after the old due date (second reminder long due) but 9 after the newer one.
    let run = dunning_on(&app, &token, date!(2026 - 03 - 01)).await;
    assert_eq!(run["actions_recorded"], 0);
    // 15 days after the newer one: the second reminder, for it.
    let run = dunning_on(&app, &token, date!(2026 - 03 - 07)).await;
    assert_eq!(run["actions_recorded"], 1);
    let case = case_of(&app, &d.client_id).await;
    assert_eq!(case["dunning_level"], 2);
    assert_eq!(case["invoice_ids"], json!([old_inv, newer]));
    assert_eq!(case["overdue_amount"], 18_000);
}

/// Issues a credit note as an admin (who holds every role) with a fresh key.
async fn credit(app: &TestApp, invoice_id: &str, amount_excl_tax: i64) -> Value {
    let answer = app
        .post(&format!("/invoices/{invoice_id}/credit-notes"))
        .admin()
        .header("idempotency-key", &ulid::Ulid::new().to_string())
        .json(&json!({"reason": "Litige fondé",
                       "lines": [{"position": 1, "amount_excl_tax": amount_excl_tax}]}))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()
}

#[actix_web::test]
async fn a_dispute_upheld_names_its_credit_note_and_what_it_left_is_still_dunned() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, inv, case_id) = reminded(&app, &token, "950004").await;
    let other_inv = invoice_due(&app, &d, date!(2026 - 01 - 25), 3_000);
    set_today(&app, date!(2026 - 02 - 02));
    open(&app, &token, &case_id, json!({"invoice_ids": [inv]}))
        .await
        .assert_status(200);
    // Half of the disputed invoice is credited through the ledger (billing).
    let note = credit(&app, &inv, 5_000).await;
    let note_id = note["id"].as_str().unwrap();
    let elsewhere = credit(&app, &other_inv, 1_000).await;
    let refused = close(
        &app,
        &token,
        &case_id,
        json!({"outcome": "upheld", "credit_note_id": elsewhere["id"]}),
    )
    .await;
    refused.assert_problem(409, "credit_note_not_for_dispute");
    close(
        &app,
        &token,
        &case_id,
        json!({"outcome": "upheld", "credit_note_id": "cn_01JD0000000000000000000000"}),
    )
    .await
    .assert_problem(404, "credit_note_not_found");
    assert_eq!(case_of(&app, &d.client_id).await["status"], "disputed");

    let closed = close(
        &app,
        &token,
        &case_id,
        json!({"outcome": "upheld", "credit_note_id": note_id}),
    )
    .await;
    closed.assert_status(200);
    let case = closed.json();
    assert_eq!(case["status"], "in_progress");
    // 12 000 − 6 000 credited, plus the other invoice's 3 000 − 1 200.
    assert_eq!(case["overdue_amount"], 7_800);
    let list = actions(&app, &case_id).await;
    assert_eq!(
        list.last().unwrap()["note"],
        format!(
            "upheld by credit note {}",
            note["credit_note_number"].as_str().unwrap()
        )
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM case_disputed_invoices WHERE outcome = 'upheld' \
             AND credit_note_id = '{note_id}'"
        )),
        1
    );
}

#[actix_web::test]
async fn a_disputed_invoice_credited_in_full_resolves_the_case_and_closes_the_dispute() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, inv, case_id) = reminded(&app, &token, "950005").await;
    set_today(&app, date!(2026 - 02 - 02));
    open(&app, &token, &case_id, json!({"invoice_ids": [inv]}))
        .await
        .assert_status(200);
    credit(&app, &inv, 10_000).await;
    let run = dunning_on(&app, &token, date!(2026 - 02 - 03)).await;
    assert_eq!(run["cases_resolved"], 1);
    let case = case_of(&app, &d.client_id).await;
    assert_eq!(case["status"], "resolved");
    assert_eq!(case["disputed_invoice_ids"], json!([]));
    let list = actions(&app, &case_id).await;
    assert_eq!(
        types(&list)[2..],
        ["dispute_opened", "dispute_closed", "case_resolved"]
    );
    assert_eq!(list[3]["actor_id"], "system");
    assert_eq!(list[3]["note"], "settled: overdue balance reached zero");
    close(&app, &token, &case_id, json!({"outcome": "rejected"}))
        .await
        .assert_problem(409, "no_open_dispute");
}

#[actix_web::test]
async fn disputes_are_refused_on_ended_cases_foreign_or_current_invoices_and_twice() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (d, inv, case_id) = reminded(&app, &token, "950006").await;
    let stranger = debtor(&app, "950007");
    let foreign = invoice_due(&app, &stranger, date!(2026 - 01 - 31), 5_000);
    let not_due = invoice_due(&app, &d, date!(2026 - 03 - 31), 5_000);
    set_today(&app, date!(2026 - 02 - 02));

    for (invoice, code, status) in [
        (&foreign, "invoice_of_another_client", 409),
        (&not_due, "invoice_not_overdue", 409),
    ] {
        open(
            &app,
            &token,
            &case_id,
            json!({"invoice_ids": [inv, invoice]}),
        )
        .await
        .assert_problem(status, code);
    }
    open(
        &app,
        &token,
        &case_id,
        json!({"invoice_ids": ["inv_01JD0000000000000000000000"]}),
    )
    .await
    .assert_problem(404, "invoice_not_found");
    let bad = open(
        &app,
        &token,
        &case_id,
        json!({"invoice_ids": [inv, inv], "note": "x".repeat(1001)}),
    )
    .await;
    bad.assert_problem(422, "validation_failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["invoice_ids", "note"]);
    for empty in [json!({"invoice_ids": []}), json!({"invoice_ids": ["42"]})] {
        let answer = open(&app, &token, &case_id, empty).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["invoice_ids"]);
    }
    open(&app, &token, &case_id, json!({"note": "no invoices"}))
        .await
        .assert_problem(400, "invalid_body");
    close(&app, &token, &case_id, json!({"outcome": "rejected"}))
        .await
        .assert_problem(409, "no_open_dispute");
    assert_eq!(case_of(&app, &d.client_id).await["status"], "open");
    assert_eq!(app.count("SELECT count(*) FROM case_disputed_invoices"), 0);

    open(&app, &token, &case_id, json!({"invoice_ids": [inv]}))
        .await
        .assert_status(200);
    open(&app, &token, &case_id, json!({"invoice_ids": [inv]}))
        .await
        .assert_problem(409, "case_already_disputed");
    // A disputed case leaves by its dispute, not by a status change.
    app.put(&format!("/collections/cases/{case_id}/status"))
        .token(&token)
        .json(&json!({"status": "written_off"}))
        .send()
        .await
        .assert_problem(409, "invalid_status_transition");
    for (body, field) in [
        (json!({"outcome": "won"}), "outcome"),
        (json!({"outcome": "upheld"}), "credit_note_id"),
        (
            json!({"outcome": "upheld", "credit_note_id": "cn_42"}),
            "credit_note_id",
        ),
        (
            json!({"outcome": "rejected", "credit_note_id": "cn_01JD0000000000000000000000"}),
            "credit_note_id",
        ),
    ] {
        let answer = close(&app, &token, &case_id, body).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), [field]);
    }
    assert_eq!(
        app.count("SELECT count(*) FROM case_disputed_invoices WHERE closed_at IS NULL"),
        1
    );

    for (n, ended) in ["resolved", "written_off", "closed"]
        .into_iter()
        .enumerate()
    {
        let client = crate::support::seed::client(&app, &format!("E95000{n}"));
        let ended_case = case_in(&app, &client, ended);
        open(&app, &token, &ended_case, json!({"invoice_ids": [inv]}))
            .await
            .assert_problem(409, "invalid_status_transition");
    }
    app.put(&format!("/collections/cases/{case_id}/status"))
        .token(&token)
        .json(&json!({"status": "disputed"}))
        .send()
        .await
        .assert_problem(409, "invalid_status_transition");
    open(
        &app,
        &token,
        "case_01JD0000000000000000000000",
        json!({"invoice_ids": [inv]}),
    )
    .await
    .assert_problem(404, "case_not_found");
    assert_eq!(
        app.count("SELECT count(*) FROM case_actions WHERE action_type LIKE 'dispute%'"),
        1
    );
}
