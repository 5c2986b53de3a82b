//! P15: case listing and filters, one case, actions history, manual actions, and every
//! status transition legal and illegal.

use serde_json::json;
use time::macros::date;

use super::fixtures::{case_in, collector, debtor, dunning_on, invoice_due};
use crate::support::{seed, TestApp};

const STATUSES: [&str; 7] = [
    "open",
    "in_progress",
    "promise_to_pay",
    "disputed",
    "resolved",
    "written_off",
    "closed",
];

// `promise_to_pay` and `disputed` carry terms: they are entered by recording a promise or
// opening a dispute, never by a plain status change, and a disputed case leaves by closing
// its dispute (decision 0240).
const ALLOWED: [(&str, &str); 10] = [
    ("open", "in_progress"),
    ("open", "resolved"),
    ("open", "written_off"),
    ("in_progress", "resolved"),
    ("in_progress", "written_off"),
    ("promise_to_pay", "in_progress"),
    ("promise_to_pay", "resolved"),
    ("promise_to_pay", "written_off"),
    ("resolved", "closed"),
    ("written_off", "closed"),
];

#[actix_web::test]
async fn every_case_transition_is_checked_against_the_state_machine() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let mut n = 0;
    for from in STATUSES {
        for to in STATUSES {
            n += 1;
            let client = seed::client(&app, &format!("T{n:06}"));
            let case_id = case_in(&app, &client, from);
            let answer = app
                .put(&format!("/collections/cases/{case_id}/status"))
                .token(&token)
                .json(&json!({"status": to, "note": "checked"}))
                .send()
                .await;
            if ALLOWED.contains(&(from, to)) {
                answer.assert_status(200);
                assert_eq!(answer.json()["status"], to, "{from} -> {to}");
                let resolved = answer.json()["resolved_at"].is_string();
                assert_eq!(
                    resolved,
                    matches!(to, "resolved" | "written_off" | "closed"),
                    "{from} -> {to}"
                );
            } else {
                answer.assert_problem(409, "invalid_status_transition");
                assert_eq!(
                    app.count(&format!(
                        "SELECT count(*) FROM collection_cases WHERE id = '{case_id}' \
                         AND status = '{from}'"
                    )),
                    1,
                    "a refused move changes nothing ({from} -> {to})"
                );
            }
        }
    }
    assert_eq!(
        app.count("SELECT count(*) FROM case_actions WHERE action_type = 'status_changed'"),
        ALLOWED.len() as i64
    );
}

#[actix_web::test]
async fn a_status_change_is_validated_and_recorded_as_an_action() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let client = seed::client(&app, "S100001");
    let case_id = case_in(&app, &client, "open");
    let put = |body: serde_json::Value| {
        app.put(&format!("/collections/cases/{case_id}/status"))
            .token(&token)
            .json(&body)
            .send()
    };
    let bad = put(json!({"status": "paused", "note": "x".repeat(1001)})).await;
    bad.assert_problem(422, "validation_failed");
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["note", "status"]);
    put(json!({"status": "in_progress", "note": "called twice"}))
        .await
        .assert_status(200);
    let actions = app
        .get(&format!("/collections/cases/{case_id}/actions"))
        .token(&token)
        .send()
        .await
        .json();
    let action = &actions["items"][0];
    assert_eq!(action["action_type"], "status_changed");
    assert_eq!(action["note"], "open → in_progress: called twice");
    assert_eq!(action["automatic"], false);
    assert!(action["actor_id"].as_str().unwrap().starts_with("act_"));
    app.put("/collections/cases/case_01JD0000000000000000000000/status")
        .token(&token)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .assert_problem(404, "case_not_found");
}

#[actix_web::test]
async fn manual_actions_are_validated_and_listed_oldest_first() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let client = seed::client(&app, "S100002");
    let case_id = case_in(&app, &client, "open");
    let post = |body: serde_json::Value| {
        app.post(&format!("/collections/cases/{case_id}/actions"))
            .token(&token)
            .json(&body)
            .send()
    };
    let call = post(json!({"action_type": "call", "note": "no answer"})).await;
    call.assert_status(201);
    let body = call.json();
    assert!(body["id"].as_str().unwrap().starts_with("cact_"));
    assert_eq!(body["case_id"], case_id.as_str());
    assert_eq!(body["action_type"], "call");
    assert_eq!(body["note"], "no answer");
    assert_eq!(body["automatic"], false);
    assert_eq!(body["at"], "2026-03-10T09:00:00Z");
    app.clock.advance(time::Duration::minutes(5));
    post(json!({"action_type": "letter"}))
        .await
        .assert_status(201);
    let bad = post(json!({"action_type": "suspension"})).await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.error_fields(), ["action_type"]);
    post(json!({"note": "missing type"}))
        .await
        .assert_problem(400, "invalid_body");
    app.post("/collections/cases/case_01JD0000000000000000000000/actions")
        .token(&token)
        .json(&json!({"action_type": "call"}))
        .send()
        .await
        .assert_problem(404, "case_not_found");
    let list = app
        .get(&format!("/collections/cases/{case_id}/actions"))
        .token(&token)
        .send()
        .await
        .json();
    let types: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["call", "letter"]);
    for missing in ["case_01JD0000000000000000000000", "nope"] {
        app.get(&format!("/collections/cases/{missing}/actions"))
            .token(&token)
            .send()
            .await
            .assert_problem(404, "case_not_found");
        app.get(&format!("/collections/cases/{missing}"))
            .token(&token)
            .send()
            .await
            .assert_problem(404, "case_not_found");
    }
}

#[actix_web::test]
async fn cases_are_filtered_by_status_client_overdue_and_level() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let small = debtor(&app, "500001");
    let large = debtor(&app, "500002");
    let small_inv = invoice_due(&app, &small, date!(2026 - 02 - 20), 3_000);
    invoice_due(&app, &large, date!(2026 - 02 - 01), 20_000);
    let report = dunning_on(&app, &token, date!(2026 - 03 - 10)).await;
    assert_eq!(report["cases_opened"], 2);
    let quiet = seed::client(&app, "S100003");
    case_in(&app, &quiet, "closed");
    let ids = |query: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            let answer = app
                .get(&format!("/collections/cases{query}"))
                .token(&token)
                .send()
                .await;
            answer.assert_status(200);
            answer.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["client_id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ids("").await.len(), 3);
    assert_eq!(ids("?status=closed").await, [quiet.as_str()]);
    let mut open = ids("?status=open").await;
    open.sort();
    let mut expected = vec![small.client_id.clone(), large.client_id.clone()];
    expected.sort();
    assert_eq!(open, expected);
    assert_eq!(ids("?min_overdue=3001").await, [large.client_id.as_str()]);
    assert_eq!(ids("?min_overdue=3000").await.len(), 2);
    // 18 days past due for `small` (level 2), 37 for `large` (level 3).
    assert_eq!(ids("?dunning_level=3").await, [large.client_id.as_str()]);
    assert_eq!(ids("?dunning_level=2").await, [small.client_id.as_str()]);
    let one = app
        .get(&format!("/collections/cases?client_id={}", small.client_id))
        .token(&token)
        .send()
        .await
        .json();
    let case = &one["items"][0];
    assert_eq!(case["overdue_amount"], 3_000);
    assert_eq!(case["currency"], "MAD");
    assert_eq!(case["invoice_ids"], json!([small_inv]));
    assert_eq!(case["opened_at"], "2026-03-10T09:00:00Z");
    assert_eq!(case["resolved_at"], json!(null));
    let page = app
        .get("/collections/cases?limit=2")
        .token(&token)
        .send()
        .await
        .json();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/collections/cases?limit=2&cursor={cursor}"))
        .token(&token)
        .send()
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], json!(null));
    for (query, field) in [
        ("?status=lost", "status"),
        ("?dunning_level=5", "dunning_level"),
        ("?min_overdue=-1", "min_overdue"),
        ("?client_id=42", "client_id"),
        ("?limit=600", "limit"),
        ("?sort=id", "sort"),
    ] {
        let answer = app
            .get(&format!("/collections/cases{query}"))
            .token(&token)
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}
