//! P15: the dunning ladder day by day, once per step even when run twice or concurrently,
//! suspension and reactivation through the contract state machine, and the schedule.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use serde_json::json;
use time::macros::date;

use super::fixtures::{
    collector, contract_status, debtor, dunning_on, invoice_due, pay, set_today, text,
};
use crate::support::{seed, TestApp};

fn counts(report: &serde_json::Value) -> [i64; 5] {
    [
        "cases_opened",
        "actions_recorded",
        "contracts_suspended",
        "cases_resolved",
        "contracts_reactivated",
    ]
    .map(|k| report[k].as_i64().unwrap())
}

/// Action types of every case of the client, cases by id, actions as the API lists them.
async fn actions_of(app: &TestApp, client_id: &str) -> Vec<String> {
    let cases = app
        .get(&format!("/collections/cases?client_id={client_id}"))
        .admin()
        .send()
        .await
        .json();
    let mut types = Vec::new();
    for case in cases["items"].as_array().unwrap() {
        let actions = app
            .get(&format!(
                "/collections/cases/{}/actions",
                case["id"].as_str().unwrap()
            ))
            .admin()
            .send()
            .await
            .json();
        for action in actions["items"].as_array().unwrap() {
            types.push(action["action_type"].as_str().unwrap().to_owned());
        }
    }
    types
}

#[actix_web::test]
async fn the_ladder_climbs_day_by_day_and_a_payment_resolves_the_case() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "400001");
    let inv = invoice_due(&app, &d, date!(2026 - 01 - 31), 12_000);
    // Not yet due: never counted as overdue, never blocks resolution.
    invoice_due(&app, &d, date!(2026 - 03 - 20), 12_000);

    let due_day = dunning_on(&app, &token, date!(2026 - 01 - 31)).await;
    assert_eq!(due_day["as_of"], "2026-01-31");
    assert_eq!(counts(&due_day), [0, 0, 0, 0, 0]);

    let d1 = dunning_on(&app, &token, date!(2026 - 02 - 01)).await;
    assert_eq!(counts(&d1), [1, 1, 0, 0, 0]);
    let cases = app
        .get("/collections/cases")
        .token(&token)
        .send()
        .await
        .json();
    let case = &cases["items"][0];
    let case_id = case["id"].as_str().unwrap().to_owned();
    assert_eq!(case["status"], "open");
    assert_eq!(case["dunning_level"], 1);
    assert_eq!(case["overdue_amount"], 12_000);
    assert_eq!(case["invoice_ids"], json!([inv]));
    assert_eq!(
        actions_of(&app, &d.client_id).await,
        ["case_opened", "reminder_sms"]
    );

    let d14 = dunning_on(&app, &token, date!(2026 - 02 - 14)).await;
    assert_eq!(counts(&d14), [0, 0, 0, 0, 0]);
    let d15 = dunning_on(&app, &token, date!(2026 - 02 - 15)).await;
    assert_eq!(counts(&d15), [0, 1, 0, 0, 0]);
    let d29 = dunning_on(&app, &token, date!(2026 - 03 - 01)).await;
    assert_eq!(counts(&d29), [0, 0, 0, 0, 0]);
    assert_eq!(contract_status(&app, &d.contract_id), "active");

    let d30 = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(counts(&d30), [0, 1, 1, 0, 0]);
    assert_eq!(contract_status(&app, &d.contract_id), "suspended");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contracts WHERE id = '{}' AND suspended_by_dunning",
            d.contract_id
        )),
        1
    );
    assert_eq!(
        text(
            &app,
            &format!(
                "SELECT actor_id || ' ' || action || ' ' || (before->>'status') || '>' || \
                 (after->>'status') AS value FROM contract_audit WHERE contract_id = '{}'",
                d.contract_id
            )
        ),
        "system status_changed active>suspended"
    );
    let again = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(counts(&again), [0, 0, 0, 0, 0]);
    let case = app
        .get(&format!("/collections/cases/{case_id}"))
        .token(&token)
        .send()
        .await
        .json();
    assert_eq!(case["dunning_level"], 3);

    set_today(&app, date!(2026 - 03 - 03));
    let paid = pay(
        &app,
        &token,
        json!({"client_id": d.client_id, "amount": 12_000, "method": "transfer"}),
    )
    .await
    .assert_status(201)
    .json();
    assert_eq!(paid["allocations"][0]["invoice_id"], inv.as_str());
    let case = app
        .get(&format!("/collections/cases/{case_id}"))
        .token(&token)
        .send()
        .await
        .json();
    assert_eq!(case["status"], "resolved");
    assert_eq!(case["resolved_at"], "2026-03-03T09:00:00Z");
    assert_eq!(case["overdue_amount"], 0);
    assert_eq!(case["invoice_ids"], json!([]));
    assert_eq!(contract_status(&app, &d.contract_id), "active");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contract_audit WHERE contract_id = '{}' AND actor_id = 'system' \
             AND after->>'status' = 'active'",
            d.contract_id
        )),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) FROM contracts WHERE suspended_by_dunning"),
        0
    );
    let actions = app
        .get(&format!("/collections/cases/{case_id}/actions"))
        .token(&token)
        .send()
        .await
        .json();
    let types: Vec<&str> = actions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "case_opened",
            "reminder_sms",
            "second_reminder",
            "suspension",
            "case_resolved"
        ]
    );
    let last = &actions["items"][4];
    assert_eq!(last["automatic"], true);
    assert_eq!(last["actor_id"], "system");
    let after = dunning_on(&app, &token, date!(2026 - 03 - 03)).await;
    assert_eq!(counts(&after), [0, 0, 0, 0, 0]);
}

#[actix_web::test]
async fn a_case_found_late_catches_up_every_step_and_suspends_only_active_contracts() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "400002");
    let offer = seed::offer(&app, "MOB-400002B", "mobile", 5_000);
    let second = seed::contract(&app, &d.client_id, &offer, date!(2025 - 09 - 01), "active");
    let pending = seed::contract(&app, &d.client_id, &offer, date!(2026 - 04 - 01), "pending");
    invoice_due(&app, &d, date!(2026 - 01 - 01), 6_000);
    let report = dunning_on(&app, &token, date!(2026 - 03 - 03)).await;
    assert_eq!(counts(&report), [1, 4, 2, 0, 0]);
    assert_eq!(contract_status(&app, &d.contract_id), "suspended");
    assert_eq!(contract_status(&app, &second), "suspended");
    assert_eq!(contract_status(&app, &pending), "pending");
    let cases = app
        .get("/collections/cases")
        .token(&token)
        .send()
        .await
        .json();
    assert_eq!(cases["items"][0]["dunning_level"], 4);
    assert_eq!(
        actions_of(&app, &d.client_id).await,
        [
            "case_opened",
            "reminder_sms",
            "second_reminder",
            "suspension",
            "pre_litigation_notice"
        ]
    );
}

#[actix_web::test]
async fn concurrent_dunning_runs_record_each_step_once() {
    let app = TestApp::new().await;
    let d = debtor(&app, "400003");
    invoice_due(&app, &d, date!(2026 - 01 - 15), 6_000);
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let dunning = app.services.dunning.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                dunning.run(Some("2026-02-20"))
            })
        })
        .collect();
    let reports: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    assert_eq!(reports.iter().map(|r| r.cases_opened).sum::<usize>(), 1);
    assert_eq!(app.count("SELECT count(*) FROM collection_cases"), 1);
    // 36 days past due: three steps, each once, and the contract suspended once.
    assert_eq!(
        actions_of(&app, &d.client_id).await,
        [
            "case_opened",
            "reminder_sms",
            "second_reminder",
            "suspension"
        ]
    );
    assert_eq!(
        reports.iter().map(|r| r.contracts_suspended).sum::<usize>(),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contract_audit WHERE contract_id = '{}'",
            d.contract_id
        )),
        1
    );
}

#[actix_web::test]
async fn a_promise_to_pay_pauses_the_ladder_until_the_case_moves_on() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "400004");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 6_000);
    dunning_on(&app, &token, date!(2026 - 02 - 01)).await;
    let case_id = text(&app, "SELECT id AS value FROM collection_cases");
    app.post(&format!("/collections/cases/{case_id}/actions"))
        .token(&token)
        .json(
            &json!({"action_type": "promise_to_pay", "promised_date": "2026-03-20",
                      "amount": 6_000, "note": "client called"}),
        )
        .send()
        .await
        .assert_status(201);
    let paused = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(counts(&paused), [0, 0, 0, 0, 0]);
    assert_eq!(contract_status(&app, &d.contract_id), "active");
    app.put(&format!("/collections/cases/{case_id}/status"))
        .token(&token)
        .json(&json!({"status": "in_progress", "note": "promise withdrawn"}))
        .send()
        .await
        .assert_status(200);
    // The ladder resumes where it stopped: the second reminder now, the suspension it
    // would have reached meanwhile only 15 days later (decision 0241).
    let resumed = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(counts(&resumed), [0, 1, 0, 0, 0]);
    let quiet = dunning_on(&app, &token, date!(2026 - 03 - 16)).await;
    assert_eq!(counts(&quiet), [0, 0, 0, 0, 0]);
    let suspended = dunning_on(&app, &token, date!(2026 - 03 - 17)).await;
    assert_eq!(counts(&suspended), [0, 1, 1, 0, 0]);
}

#[actix_web::test]
async fn written_off_debt_does_not_reopen_a_case_but_newer_debt_does() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "400005");
    invoice_due(&app, &d, date!(2026 - 01 - 31), 6_000);
    dunning_on(&app, &token, date!(2026 - 02 - 01)).await;
    let case_id = text(&app, "SELECT id AS value FROM collection_cases");
    set_today(&app, date!(2026 - 02 - 03));
    app.put(&format!("/collections/cases/{case_id}/status"))
        .token(&token)
        .json(&json!({"status": "written_off"}))
        .send()
        .await
        .assert_status(200);
    let quiet = dunning_on(&app, &token, date!(2026 - 02 - 05)).await;
    assert_eq!(counts(&quiet), [0, 0, 0, 0, 0]);
    invoice_due(&app, &d, date!(2026 - 02 - 10), 3_000);
    let reopened = dunning_on(&app, &token, date!(2026 - 02 - 11)).await;
    // Counted from the new debt (D+1), not from the written-off invoice (D+11).
    assert_eq!(counts(&reopened), [1, 1, 0, 0, 0]);
    assert_eq!(app.count("SELECT count(*) FROM collection_cases"), 2);
}

#[actix_web::test]
async fn dunning_resolves_a_case_cleared_elsewhere_and_reactivates_its_contracts() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "400006");
    let inv = invoice_due(&app, &d, date!(2026 - 01 - 31), 6_000);
    let suspended = dunning_on(&app, &token, date!(2026 - 03 - 02)).await;
    assert_eq!(counts(&suspended), [1, 3, 1, 0, 0]);
    app.sql(&format!(
        "UPDATE invoices SET status = 'void' WHERE id = '{inv}'"
    ));
    let cleared = dunning_on(&app, &token, date!(2026 - 03 - 03)).await;
    assert_eq!(counts(&cleared), [0, 0, 0, 1, 1]);
    assert_eq!(contract_status(&app, &d.contract_id), "active");
    assert_eq!(
        text(&app, "SELECT status AS value FROM collection_cases"),
        "resolved"
    );
}

#[actix_web::test]
async fn dunning_runs_validate_as_of_and_default_to_today() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let viewer = app.actor_token(&["viewer"]).await;
    let run = |token: String, body: serde_json::Value| {
        let app = &app;
        async move {
            app.post("/collections/dunning/runs")
                .token(&token)
                .json(&body)
                .send()
                .await
        }
    };
    let today = run(token.clone(), json!({})).await;
    today.assert_status(200);
    assert_eq!(today.json()["as_of"], "2026-03-10");
    for bad in ["2026-03-11", "yesterday"] {
        let answer = run(token.clone(), json!({"as_of": bad})).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), ["as_of"]);
    }
    run(viewer, json!({}))
        .await
        .assert_problem(403, "forbidden");
    app.post("/collections/dunning/runs")
        .json(&json!({}))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn a_first_start_catches_up_the_run_it_never_had_shortly_after_start() {
    let app = TestApp::new().await;
    let d = debtor(&app, "400007");
    invoice_due(&app, &d, date!(2026 - 03 - 01), 6_000);
    let handle = app::scheduler::spawn(
        app.services.dunning.clone(),
        app.services.ports.clock.clone(),
        domain::collections::schedule::DailyAt::DEFAULT,
        Duration::from_millis(10),
    );
    let mut opened = 0;
    for _ in 0..100 {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        opened = app.count("SELECT count(*) FROM collection_cases");
        if opened > 0 {
            break;
        }
    }
    handle.abort();
    assert_eq!(opened, 1);
    assert_eq!(
        actions_of(&app, &d.client_id).await,
        ["case_opened", "reminder_sms"]
    );
}
