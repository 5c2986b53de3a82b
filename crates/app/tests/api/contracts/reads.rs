//! `GET /contracts` (filters, pagination), `GET /contracts/{id}`, `GET /contracts/{id}/audit`.

use serde_json::{json, Value};

use super::Setup;
use crate::support::seed;

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn list(s: &Setup, query: &str) -> Value {
    let answer = s
        .app
        .get(&format!("/contracts{query}"))
        .token(&s.agent)
        .send()
        .await;
    answer.assert_status(200);
    answer.json()
}

#[actix_web::test]
async fn contracts_are_listed_by_id_with_every_filter() {
    let s = Setup::new().await;
    let first = s.contract_on("0612300000").await;
    let second = s.contract_on("0612300001").await;
    s.set_status(&second, json!({"status": "suspended"}))
        .await
        .assert_status(200);
    let other_client = seed::client(&s.app, "K98765");
    let fibre = seed::offer(&s.app, "FIBRE-1", "internet", 29_900);
    let mut body = s.provision_body("ADSL-0001");
    body["client_id"] = json!(other_client);
    body["offer_id"] = json!(fibre);
    let answer = s.provision(&body).await;
    answer.assert_status(201);
    let third = answer.json()["id"].as_str().unwrap().to_owned();
    let third_line = answer.json()["subscriber_id"].as_str().unwrap().to_owned();

    let all = list(&s, "").await;
    assert_eq!(ids(&all), [first.clone(), second.clone(), third.clone()]);
    assert_eq!(all["next_cursor"], Value::Null);
    assert_eq!(all["items"][0]["contract_number"], "CTR-2026-000001");
    let by_client = list(&s, &format!("?client_id={}", s.client_id)).await;
    assert_eq!(ids(&by_client), [first.clone(), second.clone()]);
    assert_eq!(ids(&list(&s, "?status=suspended").await), [second.as_str()]);
    assert_eq!(ids(&list(&s, "?service=internet").await), [third.as_str()]);
    assert_eq!(
        ids(&list(&s, &format!("?offer_id={fibre}")).await),
        [third.as_str()]
    );
    assert_eq!(
        ids(&list(&s, &format!("?subscriber_id={third_line}")).await),
        [third.as_str()]
    );
    let query = format!("?client_id={}&status=active&service=mobile", s.client_id);
    assert_eq!(ids(&list(&s, &query).await), [first]);
    assert!(ids(&list(&s, "?client_id=cli_01JD0000000000000000000000").await).is_empty());
}

#[actix_web::test]
async fn pages_follow_the_cursor_and_stay_stable_under_inserts() {
    let s = Setup::new().await;
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(s.contract_on(&format!("06123000{n:02}")).await);
    }
    let page = list(&s, "?limit=2").await;
    assert_eq!(ids(&page), created[..2]);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(cursor, created[1]);
    s.contract_on("0612300099").await; // inserted meanwhile: sorts after every earlier id
    let page = list(&s, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&page), created[2..4]);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let page = list(&s, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn bad_query_parameters_are_400_naming_the_parameter() {
    let s = Setup::new().await;
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?limit=x", "limit"),
        ("?status=closed", "status"),
        ("?service=fax", "service"),
        ("?cursor=ctr_x", "cursor"),
        ("?clientid=cli_1", "clientid"),
        ("?client_id=cli_1", "client_id"),
        ("?status=active&status=pending", "status"),
    ] {
        let answer = s
            .app
            .get(&format!("/contracts{query}"))
            .token(&s.agent)
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
    assert_eq!(list(&s, "?limit=500").await["items"], json!([]));
}

#[actix_web::test]
async fn reads_need_credentials_but_any_role() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    let viewer = s.app.actor_token(&["viewer"]).await;
    for path in [
        "/contracts".to_owned(),
        format!("/contracts/{id}"),
        format!("/contracts/{id}/audit"),
    ] {
        s.app
            .get(&path)
            .token(&viewer)
            .send()
            .await
            .assert_status(200);
        s.app
            .get(&path)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
    }
}

#[actix_web::test]
async fn unknown_or_malformed_contract_ids_are_404() {
    let s = Setup::new().await;
    for id in [
        "ctr_01JD0000000000000000000000",
        "ctr_nope",
        "ofr_01JD0000000000000000000000",
    ] {
        for path in [format!("/contracts/{id}"), format!("/contracts/{id}/audit")] {
            s.app
                .get(&path)
                .token(&s.agent)
                .send()
                .await
                .assert_problem(404, "contract_not_found");
        }
    }
}

#[actix_web::test]
async fn the_audit_trail_tells_who_did_what_oldest_first() {
    let s = Setup::new().await;
    let id = s.contract_on("0612300000").await;
    s.app.clock.advance(time::Duration::hours(1));
    s.set_status(&id, json!({"status": "suspended", "reason": "unpaid"}))
        .await
        .assert_status(200);
    s.app.clock.advance(time::Duration::hours(1));
    let admin_id = s.app.get("/me").admin().send().await.json()["actor_id"].clone();
    s.app
        .put(&format!("/contracts/{id}/status"))
        .admin()
        .json(&json!({"status": "active"}))
        .send()
        .await
        .assert_status(200);
    let audit = s.audit(&id).await;
    let summary: Vec<(String, String)> = audit
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let agent = s.agent_id.clone();
    let admin = admin_id.as_str().unwrap().to_owned();
    assert_eq!(
        summary,
        [
            ("created".to_owned(), agent.clone()),
            ("document_generated".to_owned(), agent.clone()),
            ("status_changed".to_owned(), agent),
            ("status_changed".to_owned(), admin),
        ]
    );
    let created = &audit[0];
    assert!(created["id"].as_str().unwrap().starts_with("aud_"));
    assert_eq!(created["at"], "2026-03-10T09:00:00Z");
    assert_eq!(created["before"], Value::Null);
    assert_eq!(created["after"]["contract_number"], "CTR-2026-000001");
    assert_eq!(created["after"]["status"], "active");
    assert_eq!(created["after"]["monthly_price"], "9900");
    assert_eq!(created["after"]["offer_id"], s.offer_id.as_str());
    assert_eq!(audit[2]["at"], "2026-03-10T10:00:00Z");
    assert_eq!(audit[2]["after"]["reason"], "unpaid");
    assert_eq!(audit[3]["before"]["status"], "suspended");
    assert_eq!(audit[3]["after"]["status"], "active");
}
