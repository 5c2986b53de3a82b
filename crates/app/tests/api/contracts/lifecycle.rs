//! P6: `PUT /contracts/{id}/status` — every transition, termination, audit.

use serde_json::json;

use super::Setup;
use crate::support::seed;

const ALL: [&str; 5] = ["pending", "active", "suspended", "terminated", "cancelled"];
const ALLOWED: [(&str, &str); 6] = [
    ("pending", "active"),
    ("pending", "cancelled"),
    ("active", "suspended"),
    ("active", "terminated"),
    ("suspended", "active"),
    ("suspended", "terminated"),
];

/// A contract in `status` on a new line `n`, reached through the API.
async fn contract_in(s: &Setup, status: &str, n: usize) -> String {
    let number = format!("+2126123000{n:02}");
    let id = if status == "pending" || status == "cancelled" {
        let line = seed::subscriber(&s.app, &s.client_id, "mobile", &number);
        let answer = s
            .app
            .post("/contracts")
            .token(&s.agent)
            .json(&json!({
                "client_id": s.client_id, "subscriber_id": line, "offer_id": s.offer_id,
                "contract_start_date": "2026-03-15", "status": "pending"
            }))
            .send()
            .await;
        answer.assert_status(201);
        answer.json()["id"].as_str().unwrap().to_owned()
    } else {
        s.contract_on(&number).await
    };
    let path: &[&str] = match status {
        "suspended" => &["suspended"],
        "terminated" => &["terminated"],
        "cancelled" => &["cancelled"],
        _ => &[],
    };
    for step in path {
        s.set_status(&id, json!({"status": step, "effective_date": "2026-03-20"}))
            .await
            .assert_status(200);
    }
    assert_eq!(s.contract(&id).await["status"], status);
    id
}

#[actix_web::test]
async fn every_allowed_transition_succeeds_and_is_audited_with_before_and_after() {
    let s = Setup::new().await;
    for (n, (from, to)) in ALLOWED.into_iter().enumerate() {
        let id = contract_in(&s, from, n).await;
        let answer = s
            .set_status(&id, json!({"status": to, "reason": "requested by client"}))
            .await;
        answer.assert_status(200);
        assert_eq!(answer.json()["status"], to);
        let audit = s.audit(&id).await;
        let last = audit.last().unwrap();
        assert_eq!(last["action"], "status_changed", "{from} -> {to}");
        assert_eq!(last["actor_id"], s.agent_id.as_str());
        assert_eq!(last["before"]["status"], from);
        assert_eq!(last["after"]["status"], to);
        assert_eq!(last["after"]["reason"], "requested by client");
    }
}

#[actix_web::test]
async fn every_other_transition_is_409_and_changes_nothing() {
    let s = Setup::new().await;
    for (n, from) in ALL.into_iter().enumerate() {
        let id = contract_in(&s, from, n).await;
        let audit_before = s.audit(&id).await.len();
        let contract_before = s.contract(&id).await;
        for to in ALL {
            if ALLOWED.contains(&(from, to)) {
                continue;
            }
            s.set_status(&id, json!({"status": to}))
                .await
                .assert_problem(409, "invalid_status_transition");
        }
        assert_eq!(s.contract(&id).await, contract_before, "{from}");
        assert_eq!(s.audit(&id).await.len(), audit_before, "{from}");
    }
}

#[actix_web::test]
async fn termination_records_the_last_day_and_closes_the_offer_period_after_it() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let answer = s
        .set_status(
            &id,
            json!({"status": "terminated", "effective_date": "2026-03-31"}),
        )
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["termination_date"], "2026-03-31");
    assert_eq!(
        s.periods(&id),
        [format!("2026-03-15 2026-04-01 9900 {}", s.offer_id)]
    );
    let last = s.audit(&id).await.pop().unwrap();
    assert_eq!(last["after"]["termination_date"], "2026-03-31");
    assert_eq!(last["after"]["effective_date"], "2026-03-31");
    assert!(last["before"].get("termination_date").is_none());
}

#[actix_web::test]
async fn termination_defaults_to_today() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let answer = s
        .app
        .post("/contracts")
        .token(&s.agent)
        .json(&json!({
            "client_id": s.client_id, "subscriber_id": line, "offer_id": s.offer_id,
            "contract_start_date": "2026-03-01"
        }))
        .send()
        .await;
    let id = answer.json()["id"].as_str().unwrap().to_owned();
    let answer = s.set_status(&id, json!({"status": "terminated"})).await;
    answer.assert_status(200);
    assert_eq!(answer.json()["termination_date"], "2026-03-10");
    assert_eq!(
        s.periods(&id),
        [format!("2026-03-01 2026-03-11 9900 {}", s.offer_id)]
    );
}

#[actix_web::test]
async fn terminating_a_contract_not_yet_started_defaults_to_its_first_day() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await; // starts 2026-03-15, today is 2026-03-10
    let answer = s.set_status(&id, json!({"status": "terminated"})).await;
    answer.assert_status(200);
    assert_eq!(answer.json()["termination_date"], "2026-03-15");
    assert_eq!(
        s.periods(&id),
        [format!("2026-03-15 2026-03-16 9900 {}", s.offer_id)]
    );
}

#[actix_web::test]
async fn termination_before_the_current_offer_period_is_refused() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    s.set_status(
        &id,
        json!({"status": "terminated", "effective_date": "2026-03-14"}),
    )
    .await
    .assert_problem(422, "effective_date_too_early");
    let contract = s.contract(&id).await;
    assert_eq!(contract["status"], "active");
    assert_eq!(
        s.periods(&id),
        [format!("2026-03-15 open 9900 {}", s.offer_id)]
    );
}

#[actix_web::test]
async fn cancelling_a_pending_contract_frees_its_line() {
    let s = Setup::new().await;
    let id = contract_in(&s, "cancelled", 0).await;
    assert_eq!(
        s.contract(&id).await["termination_date"],
        serde_json::Value::Null
    );
    assert_eq!(
        s.periods(&id),
        [format!("2026-03-15 2026-03-15 9900 {}", s.offer_id)]
    );
    s.contract_on("+212612300000").await;
}

#[actix_web::test]
async fn a_manual_reactivation_clears_the_dunning_mark() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    s.app.sql(&format!(
        "UPDATE contracts SET status = 'suspended', suspended_by_dunning = true WHERE id = '{id}'"
    ));
    s.set_status(&id, json!({"status": "active"}))
        .await
        .assert_status(200);
    assert_eq!(
        s.app.count(&format!(
            "SELECT count(*) FROM contracts WHERE id = '{id}' AND suspended_by_dunning"
        )),
        0
    );
    let last = s.audit(&id).await.pop().unwrap();
    assert_eq!(last["before"]["suspended_by_dunning"], "true");
    assert!(last["after"].get("suspended_by_dunning").is_none());
}

#[actix_web::test]
async fn status_changes_validate_fields_ids_and_roles() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let answer = s
        .set_status(
            &id,
            json!({"status": "paused", "effective_date": "2026-13-01", "reason": "x".repeat(501)}),
        )
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        ["status", "effective_date", "reason"]
    );
    let answer = s.set_status(&id, json!({"reason": "no status"})).await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["status"]);
    s.set_status(
        "ctr_01JD0000000000000000000000",
        json!({"status": "suspended"}),
    )
    .await
    .assert_problem(404, "contract_not_found");
    s.set_status("nope", json!({"status": "suspended"}))
        .await
        .assert_problem(404, "contract_not_found");
    let viewer = s.app.actor_token(&["viewer"]).await;
    s.app
        .put(&format!("/contracts/{id}/status"))
        .token(&viewer)
        .json(&json!({"status": "suspended"}))
        .send()
        .await
        .assert_problem(403, "forbidden");
    s.app
        .put(&format!("/contracts/{id}/status"))
        .json(&json!({"status": "suspended"}))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    assert_eq!(s.contract(&id).await["status"], "active");
}
