//! Issue 22 §5: a promise to pay carries a date and an amount; it holds the ladder through its
//! date, and the day after the daily run records it kept or broken and the ladder resumes at
//! the next step (decisions 0240, 0241).

use std::sync::{Arc, Barrier};

use serde_json::{json, Value};
use time::macros::date;

use super::fixtures::{
    collector, contract_status, debtor, dunning_on, invoice_due, pay, set_today,
};
use crate::support::{Answer, TestApp};

async fn case_of(app: &TestApp, case_id: &str) -> Value {
    app.get(&format!("/collections/cases/{case_id}"))
        .admin()
        .send()
        .await
        .json()
}

async fn action_types(app: &TestApp, case_id: &str) -> Vec<String> {
    let list = app
        .get(&format!("/collections/cases/{case_id}/actions"))
        .admin()
        .send()
        .await
        .json();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action_type"].as_str().unwrap().to_owned())
        .collect()
}

async fn promise(app: &TestApp, token: &str, case_id: &str, body: Value) -> Answer {
    app.post(&format!("/collections/cases/{case_id}/actions"))
        .token(token)
        .json(&body)
        .send()
        .await
}

/// A client with a 12 000 invoice due on 31 January, reminded at D+1; returns
/// (client, contract, case).
async fn reminded(app: &TestApp, token: &str, tag: &str) -> (String, String, String) {
    let d = debtor(app, tag);
    invoice_due(app, &d, date!(2026 - 01 - 31), 12_000);
    dunning_on(app, token, date!(2026 - 02 - 01)).await;
    let list = app
        .get(&format!("/collections/cases?client_id={}", d.client_id))
        .admin()
        .send()
        .await
        .json();
    let case_id = list["items"][0]["id"].as_str().unwrap().to_owned();
    (d.client_id, d.contract_id, case_id)
}

#[actix_web::test]
async fn a_broken_promise_is_recorded_and_the_ladder_resumes_at_the_next_step() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (client_id, contract_id, case_id) = reminded(&app, &token, "951001").await;
    set_today(&app, date!(2026 - 02 - 05));
    let made = promise(
        &app,
        &token,
        &case_id,
        json!({"action_type": "promise_to_pay", "promised_date": "2026-02-20",
               "amount": 5_000, "note": "paiera après la paie"}),
    )
    .await;
    made.assert_status(201);
    assert_eq!(made.json()["action_type"], "promise_to_pay");
    assert_eq!(
        made.json()["note"],
        "5000 centimes by 2026-02-20: paiera après la paie"
    );
    let case = case_of(&app, &case_id).await;
    assert_eq!(case["status"], "promise_to_pay");
    assert_eq!(
        case["promise"],
        json!({"promised_date": "2026-02-20", "amount": 5_000,
               "made_at": "2026-02-05T09:00:00Z"})
    );

    // Held through the promised date: no second reminder at D+15.
    let d15 = dunning_on(&app, &token, date!(2026 - 02 - 15)).await;
    assert_eq!(d15["actions_recorded"], 0);
    set_today(&app, date!(2026 - 02 - 18));
    pay(
        &app,
        &token,
        json!({"client_id": client_id, "amount": 2_000, "method": "cash"}),
    )
    .await
    .assert_status(201);
    let on_date = dunning_on(&app, &token, date!(2026 - 02 - 20)).await;
    assert_eq!(on_date["promises_broken"], 0);

    // The day after, 2 000 of the 5 000 came in: broken, and the second reminder follows.
    let broken = dunning_on(&app, &token, date!(2026 - 02 - 21)).await;
    assert_eq!(broken["promises_broken"], 1);
    assert_eq!(broken["actions_recorded"], 1);
    let case = case_of(&app, &case_id).await;
    assert_eq!(case["status"], "in_progress");
    assert_eq!(case["dunning_level"], 2);
    let again = dunning_on(&app, &token, date!(2026 - 02 - 21)).await;
    assert_eq!(again["promises_broken"], 0);
    assert_eq!(again["actions_recorded"], 0);
    // The suspension keeps its 15 days after the second reminder (D+36, not D+30).
    dunning_on(&app, &token, date!(2026 - 03 - 07)).await;
    assert_eq!(contract_status(&app, &contract_id), "active");
    let d36 = dunning_on(&app, &token, date!(2026 - 03 - 08)).await;
    assert_eq!(d36["contracts_suspended"], 1);
    assert_eq!(
        action_types(&app, &case_id).await,
        [
            "case_opened",
            "reminder_sms",
            "promise_to_pay",
            "promise_broken",
            "second_reminder",
            "suspension"
        ]
    );
    let list = app
        .get(&format!("/collections/cases/{case_id}/actions"))
        .admin()
        .send()
        .await
        .json();
    let broken = &list["items"][3];
    assert_eq!(broken["automatic"], true);
    assert_eq!(broken["actor_id"], "system");
    assert_eq!(
        broken["note"],
        "5000 centimes promised by 2026-02-20, not paid (2000 centimes received since)"
    );
}

#[actix_web::test]
async fn a_kept_promise_is_recorded_and_a_promise_paid_in_full_resolves_the_case() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (client_id, _, case_id) = reminded(&app, &token, "951002").await;
    set_today(&app, date!(2026 - 02 - 05));
    promise(
        &app,
        &token,
        &case_id,
        json!({"action_type": "promise_to_pay", "promised_date": "2026-02-20", "amount": 5_000}),
    )
    .await
    .assert_status(201);
    set_today(&app, date!(2026 - 02 - 18));
    pay(
        &app,
        &token,
        json!({"client_id": client_id, "amount": 5_000, "method": "transfer"}),
    )
    .await
    .assert_status(201);
    // Kept early, it still holds the ladder through its date, as agreed.
    let on_date = dunning_on(&app, &token, date!(2026 - 02 - 20)).await;
    assert_eq!(on_date["promises_kept"], 0);
    assert_eq!(case_of(&app, &case_id).await["status"], "promise_to_pay");
    let after = dunning_on(&app, &token, date!(2026 - 02 - 21)).await;
    assert_eq!(after["promises_kept"], 1);
    assert_eq!(after["promises_broken"], 0);
    // 7 000 is still overdue: the ladder resumes for it at the next step.
    assert_eq!(after["actions_recorded"], 1);
    let case = case_of(&app, &case_id).await;
    assert_eq!(case["status"], "in_progress");
    assert_eq!(case["overdue_amount"], 7_000);
    assert_eq!(
        action_types(&app, &case_id).await[2..],
        ["promise_to_pay", "promise_kept", "second_reminder"]
    );

    // A promise of the whole debt, paid: the case is resolved at the payment.
    let (other, _, other_case) = reminded(&app, &token, "951003").await;
    set_today(&app, date!(2026 - 02 - 05));
    promise(
        &app,
        &token,
        &other_case,
        json!({"action_type": "promise_to_pay", "promised_date": "2026-02-28", "amount": 12_000}),
    )
    .await
    .assert_status(201);
    pay(
        &app,
        &token,
        json!({"client_id": other, "amount": 12_000, "method": "transfer"}),
    )
    .await
    .assert_status(201);
    assert_eq!(case_of(&app, &other_case).await["status"], "resolved");
}

#[actix_web::test]
async fn a_promise_needs_a_date_not_past_and_an_amount_within_the_overdue() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (_, _, case_id) = reminded(&app, &token, "951004").await;
    set_today(&app, date!(2026 - 02 - 05));
    for (body, fields) in [
        (
            json!({"action_type": "promise_to_pay"}),
            vec!["amount", "promised_date"],
        ),
        (
            json!({"action_type": "promise_to_pay", "promised_date": "2026-02-04", "amount": 0}),
            vec!["amount", "promised_date"],
        ),
        (
            json!({"action_type": "promise_to_pay", "promised_date": "20/02/2026", "amount": -5}),
            vec!["amount", "promised_date"],
        ),
        (
            json!({"action_type": "promise_to_pay", "promised_date": "2027-02-07", "amount": 100}),
            vec!["promised_date"],
        ),
        (
            json!({"action_type": "promise_to_pay", "promised_date": "2026-02-20",
                   "amount": 12_001}),
            vec!["amount"],
        ),
        (
            json!({"action_type": "call", "promised_date": "2026-02-20", "amount": 100}),
            vec!["amount", "promised_date"],
        ),
    ] {
        let answer = promise(&app, &token, &case_id, body.clone()).await;
        answer.assert_problem(422, "validation_failed");
        let mut got = answer.error_fields();
        got.sort();
        assert_eq!(got, fields, "{body}");
    }
    assert_eq!(case_of(&app, &case_id).await["status"], "open");
    assert_eq!(
        app.count("SELECT count(*) FROM collection_cases WHERE promised_date IS NOT NULL"),
        0
    );
    // Today and the whole overdue amount are accepted.
    promise(
        &app,
        &token,
        &case_id,
        json!({"action_type": "promise_to_pay", "promised_date": "2026-02-05", "amount": 12_000}),
    )
    .await
    .assert_status(201);
    // The status is entered with terms only.
    let (_, _, bare) = reminded(&app, &token, "951005").await;
    app.put(&format!("/collections/cases/{bare}/status"))
        .token(&token)
        .json(&json!({"status": "promise_to_pay"}))
        .send()
        .await
        .assert_problem(409, "invalid_status_transition");
}

#[actix_web::test]
async fn no_promise_on_a_disputed_or_ended_case() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "951006");
    let inv = invoice_due(&app, &d, date!(2026 - 01 - 31), 12_000);
    dunning_on(&app, &token, date!(2026 - 02 - 01)).await;
    let list = app
        .get(&format!("/collections/cases?client_id={}", d.client_id))
        .admin()
        .send()
        .await
        .json();
    let case_id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let body = json!({"action_type": "promise_to_pay", "promised_date": "2026-02-20",
                      "amount": 1_000});
    app.post(&format!("/collections/cases/{case_id}/dispute"))
        .token(&token)
        .json(&json!({"invoice_ids": [inv]}))
        .send()
        .await
        .assert_status(200);
    promise(&app, &token, &case_id, body.clone())
        .await
        .assert_problem(409, "invalid_status_transition");
    let ended = super::fixtures::case_in(
        &app,
        &crate::support::seed::client(&app, "E951007"),
        "resolved",
    );
    promise(&app, &token, &ended, body)
        .await
        .assert_problem(409, "invalid_status_transition");
    assert_eq!(
        app.count("SELECT count(*) FROM case_actions WHERE action_type = 'promise_to_pay'"),
        0
    );
}

#[actix_web::test]
async fn concurrent_runs_judge_a_promise_once() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let (_, _, case_id) = reminded(&app, &token, "951008").await;
    set_today(&app, date!(2026 - 02 - 05));
    promise(
        &app,
        &token,
        &case_id,
        json!({"action_type": "promise_to_pay", "promised_date": "2026-02-20", "amount": 5_000}),
    )
    .await
    .assert_status(201);
    set_today(&app, date!(2026 - 02 - 21));
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let dunning = app.services.dunning.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                dunning.run(Some("2026-02-21"))
            })
        })
        .collect();
    let reports: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    assert_eq!(reports.iter().map(|r| r.promises_broken).sum::<usize>(), 1);
    assert_eq!(reports.iter().map(|r| r.actions_recorded).sum::<usize>(), 1);
    assert_eq!(
        action_types(&app, &case_id).await,
        [
            "case_opened",
            "reminder_sms",
            "promise_to_pay",
            "promise_broken",
            "second_reminder"
        ]
    );
}
