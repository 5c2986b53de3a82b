//! P6: `PUT /contracts/{id}/offer` — offer periods, price snapshot, new document version.

use serde_json::{json, Value};

use super::Setup;
use crate::support::{seed, Answer};

async fn change(s: &Setup, contract_id: &str, body: Value) -> Answer {
    s.app
        .put(&format!("/contracts/{contract_id}/offer"))
        .token(&s.agent)
        .json(&body)
        .send()
        .await
}

#[actix_web::test]
async fn an_offer_change_splits_the_offer_history_and_snapshots_the_new_price() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let bigger = seed::offer(&s.app, "MOB-199", "mobile", 19_900);
    let answer = change(
        &s,
        &id,
        json!({"offer_id": bigger, "effective_date": "2026-04-10"}),
    )
    .await;
    answer.assert_status(200);
    let contract = answer.json();
    assert_eq!(contract["offer_id"], bigger.as_str());
    assert_eq!(contract["monthly_price"], 19_900);
    assert_eq!(contract["monthly_price_incl_tax"], 23_880);
    assert_eq!(contract["document_version"], 2);
    assert_eq!(
        contract["contract_start_date"], "2026-03-15",
        "commitment kept"
    );
    assert_eq!(contract["commitment_end_date"], "2027-03-15");
    assert_eq!(
        s.periods(&id),
        [
            format!("2026-03-15 2026-04-10 9900 {}", s.offer_id),
            format!("2026-04-10 open 19900 {bigger}"),
        ]
    );
    let audit = s.audit(&id).await;
    let change = &audit[audit.len() - 2];
    assert_eq!(change["action"], "offer_changed");
    assert_eq!(change["actor_id"], s.agent_id.as_str());
    assert_eq!(change["before"]["offer_id"], s.offer_id.as_str());
    assert_eq!(change["before"]["monthly_price"], "9900");
    assert_eq!(change["after"]["offer_id"], bigger.as_str());
    assert_eq!(change["after"]["monthly_price"], "19900");
    assert_eq!(change["after"]["effective_date"], "2026-04-10");
    let document = audit.last().unwrap();
    assert_eq!(document["action"], "document_generated");
    assert_eq!(document["after"]["version"], "2");
}

#[actix_web::test]
async fn a_suspended_contract_may_change_offer_effective_today_by_default() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
    let answer = s
        .app
        .post("/contracts")
        .token(&s.agent)
        .json(&json!({
            "client_id": s.client_id, "subscriber_id": line, "offer_id": s.offer_id,
            "contract_start_date": "2026-02-01"
        }))
        .send()
        .await;
    let id = answer.json()["id"].as_str().unwrap().to_owned();
    s.set_status(&id, json!({"status": "suspended"}))
        .await
        .assert_status(200);
    let smaller = seed::offer(&s.app, "MOB-49", "mobile", 4_900);
    change(&s, &id, json!({"offer_id": smaller}))
        .await
        .assert_status(200);
    assert_eq!(
        s.periods(&id),
        [
            format!("2026-02-01 2026-03-10 9900 {}", s.offer_id),
            format!("2026-03-10 open 4900 {smaller}"),
        ]
    );
}

#[actix_web::test]
async fn a_change_on_the_first_day_of_the_period_replaces_its_offer() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let bigger = seed::offer(&s.app, "MOB-199", "mobile", 19_900);
    change(
        &s,
        &id,
        json!({"offer_id": bigger, "effective_date": "2026-03-15"}),
    )
    .await
    .assert_status(200);
    assert_eq!(s.periods(&id), [format!("2026-03-15 open 19900 {bigger}")]);
}

#[actix_web::test]
async fn offer_changes_break_no_rule() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let internet = seed::offer(&s.app, "FIBRE-1", "internet", 29_900);
    change(&s, &id, json!({"offer_id": internet}))
        .await
        .assert_problem(422, "service_type_mismatch");
    change(&s, &id, json!({"offer_id": s.offer_id}))
        .await
        .assert_problem(422, "same_offer");
    let bigger = seed::offer(&s.app, "MOB-199", "mobile", 19_900);
    change(
        &s,
        &id,
        json!({"offer_id": bigger, "effective_date": "2026-03-14"}),
    )
    .await
    .assert_problem(422, "effective_date_too_early");
    let answer = change(
        &s,
        &id,
        json!({"offer_id": bigger, "effective_date": "soon"}),
    )
    .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["effective_date"]);
    let retired = seed::offer(&s.app, "MOB-OLD", "mobile", 5_000);
    s.app.sql(&format!(
        "UPDATE offers SET status = 'retired' WHERE id = '{retired}'"
    ));
    change(&s, &id, json!({"offer_id": retired}))
        .await
        .assert_problem(422, "offer_retired");
    change(
        &s,
        &id,
        json!({"offer_id": "ofr_01JD0000000000000000000000"}),
    )
    .await
    .assert_problem(404, "offer_not_found");
    change(
        &s,
        "ctr_01JD0000000000000000000000",
        json!({"offer_id": bigger}),
    )
    .await
    .assert_problem(404, "contract_not_found");
    let answer = change(&s, &id, json!({"offer": bigger})).await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), ["offer"]);
    s.set_status(
        &id,
        json!({"status": "terminated", "effective_date": "2026-03-31"}),
    )
    .await
    .assert_status(200);
    change(&s, &id, json!({"offer_id": bigger}))
        .await
        .assert_problem(422, "contract_not_active");
    // Nothing but the termination was written.
    assert_eq!(s.contract(&id).await["document_version"], 1);
    assert_eq!(s.periods(&id).len(), 1);
    assert_eq!(s.rows("contract_documents"), 1);
    let viewer = s.app.actor_token(&["viewer"]).await;
    s.app
        .put(&format!("/contracts/{id}/offer"))
        .token(&viewer)
        .json(&json!({"offer_id": bigger}))
        .send()
        .await
        .assert_problem(403, "forbidden");
    s.app
        .put(&format!("/contracts/{id}/offer"))
        .json(&json!({"offer_id": bigger}))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn a_pending_contract_cannot_change_offer() {
    let s = Setup::new().await;
    let line = seed::subscriber(&s.app, &s.client_id, "mobile", "+212612300000");
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
    let id = answer.json()["id"].as_str().unwrap().to_owned();
    let bigger = seed::offer(&s.app, "MOB-199", "mobile", 19_900);
    change(&s, &id, json!({"offer_id": bigger}))
        .await
        .assert_problem(422, "contract_not_active");
}
