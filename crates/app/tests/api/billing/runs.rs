//! P11 `POST/GET /billing/runs`: figures, re-runs, idempotency, dry runs, validation, roles.

use domain::idempotency::{execute, IdempotencyRequest, StoredResponse};
use serde_json::json;
use time::macros::date;

use super::{gapless, invoice_numbers, World, FEBRUARY_EXCL, FEBRUARY_INVOICES, FEBRUARY_TAX};
use crate::support::seed;

#[actix_web::test]
async fn a_run_bills_every_billable_contract_with_prorated_lines_and_totals() {
    let w = World::new().await;
    let run = w.bill_february().await;
    assert!(run["billing_run_id"].as_str().unwrap().starts_with("run_"));
    assert_eq!(run["id"], run["billing_run_id"]);
    assert_eq!(run["period"], "2026-02");
    assert_eq!(run["status"], "completed");
    assert_eq!(run["dry_run"], false);
    assert_eq!(run["issue_date"], "2026-03-01");
    assert_eq!(run["due_date"], "2026-03-16");
    assert_eq!(run["invoice_count"], FEBRUARY_INVOICES);
    assert_eq!(run["skipped_count"], 0);
    assert_eq!(
        run["totals"],
        json!({"excl_tax": FEBRUARY_EXCL, "tax": FEBRUARY_TAX,
               "incl_tax": FEBRUARY_EXCL + FEBRUARY_TAX, "currency": "MAD"})
    );
    assert_eq!(run["invoice_ids"].as_array().unwrap().len(), 4);
    assert_eq!(invoice_numbers(&w.app), gapless(4));

    let change = w.invoice_of(&w.plan_change).await;
    let lines: Vec<_> = change["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["offer_id"].as_str().unwrap().to_owned(),
                l["start_date"].as_str().unwrap().to_owned(),
                l["end_date"].as_str().unwrap().to_owned(),
                l["days"].as_i64().unwrap(),
                l["amount_excl_tax"].as_i64().unwrap(),
                l["tax_amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                w.mobile.clone(),
                "2026-02-01".into(),
                "2026-02-14".into(),
                14,
                4_950,
                990
            ),
            (
                w.mobile_plus.clone(),
                "2026-02-15".into(),
                "2026-02-28".into(),
                14,
                9_950,
                1_990
            ),
        ]
    );
    assert_eq!(change["offer_id"], w.mobile_plus.as_str());
    let ended = w.invoice_of(&w.terminated_mid).await;
    assert_eq!(ended["total_excl_tax"], 3_536);
    assert_eq!(ended["total_tax"], 707);
    assert_eq!(ended["lines"][0]["end_date"], "2026-02-10");
    let internet = w.invoice_of(&w.half_internet).await;
    assert_eq!(internet["service_type"], "internet");
    assert_eq!(internet["total_incl_tax"], 14_950 + 2_990);
}

#[actix_web::test]
async fn running_a_period_again_bills_only_contracts_not_yet_invoiced() {
    let w = World::new().await;
    w.bill_february().await;
    let late = seed::contract(&w.app, &w.hajar, &w.mobile, date!(2026 - 01 - 10), "active");
    let again = w.run("feb-2", json!({"period": "2026-02"})).await;
    again.assert_status(201);
    let again = again.json();
    assert_eq!(again["invoice_count"], 1);
    assert_eq!(again["skipped_count"], FEBRUARY_INVOICES);
    assert_eq!(again["totals"]["excl_tax"], 9_900);
    assert_eq!(again["invoice_ids"].as_array().unwrap().len(), 1);
    assert_eq!(
        w.invoice_of(&late).await["invoice_number"],
        "FAC-2026-000005"
    );
    assert_eq!(
        w.app.count(
            "SELECT count(*) FROM invoices GROUP BY contract_id, period ORDER BY 1 DESC LIMIT 1"
        ),
        1
    );
}

#[actix_web::test]
async fn the_same_key_replays_the_first_answer_byte_for_byte_and_bills_nothing_more() {
    let w = World::new().await;
    let body = json!({"period": "2026-02", "issue_date": "2026-03-01"});
    let first = w.run("once", body.clone()).await;
    first.assert_status(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    seed::contract(&w.app, &w.hajar, &w.mobile, date!(2026 - 01 - 10), "active");
    let replay = w.run("once", body).await;
    replay.assert_status(201);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, first.body);
    assert_eq!(
        w.app.count("SELECT count(*) FROM invoices"),
        FEBRUARY_INVOICES
    );
    assert_eq!(w.app.count("SELECT count(*) FROM billing_runs"), 1);
}

#[actix_web::test]
async fn the_same_key_with_another_body_is_refused_and_a_missing_key_too() {
    let w = World::new().await;
    w.run("k", json!({"period": "2026-02"}))
        .await
        .assert_status(201);
    w.run("k", json!({"period": "2026-01"}))
        .await
        .assert_problem(422, "idempotency_key_reused");
    w.app
        .post("/billing/runs")
        .token(&w.billing)
        .json(&json!({"period": "2026-01"}))
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    assert_eq!(w.app.count("SELECT count(*) FROM billing_runs"), 1);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM invoices WHERE period = '2026-01'"),
        0
    );
}

#[actix_web::test]
async fn a_key_held_by_a_running_request_answers_409_and_changes_nothing() {
    let w = World::new().await;
    let me = w.app.get("/me").token(&w.billing).send().await.json();
    let actor = me["actor_id"].as_str().unwrap().to_owned();
    let held = w
        .app
        .services
        .ports
        .key_locks
        .try_hold(&actor, "busy")
        .unwrap()
        .expect("free at first");
    w.run("busy", json!({"period": "2026-02"}))
        .await
        .assert_problem(409, "idempotency_key_in_use");
    assert_eq!(w.app.count("SELECT count(*) FROM billing_runs"), 0);
    drop(held);
    w.run("busy", json!({"period": "2026-02"}))
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn a_held_run_key_also_blocks_single_transaction_idempotent_writes_with_that_key() {
    let w = World::new().await;
    let _held = w
        .app
        .services
        .ports
        .key_locks
        .try_hold("act_x", "shared")
        .unwrap();
    let request = IdempotencyRequest {
        scope: "act_x".into(),
        key: "shared".into(),
        fingerprint: "fp".into(),
    };
    let result = execute(
        &w.app.store,
        &request,
        w.app.clock_now(),
        |_| Ok(()),
        |_| {
            Ok(StoredResponse {
                status: 200,
                body: Vec::new(),
            })
        },
    );
    assert!(matches!(
        result,
        Err(domain::Error::Conflict(
            domain::error::Conflict::IdempotencyKeyInUse
        ))
    ));
}

#[actix_web::test]
async fn a_dry_run_answers_the_same_figures_and_writes_nothing() {
    let w = World::new().await;
    let dry = w
        .run(
            "dry",
            json!({"period": "2026-02", "issue_date": "2026-03-01", "dry_run": true}),
        )
        .await;
    dry.assert_status(201);
    let dry = dry.json();
    assert_eq!(dry["billing_run_id"], json!(null));
    assert_eq!(dry["id"], json!(null));
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["invoice_ids"], json!([]));
    for table in [
        "billing_runs",
        "invoices",
        "invoice_lines",
        "idempotency_records",
        "number_sequences",
    ] {
        assert_eq!(
            w.app.count(&format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    let real = w.bill_february().await;
    for field in [
        "invoice_count",
        "skipped_count",
        "totals",
        "period",
        "issue_date",
        "due_date",
    ] {
        assert_eq!(dry[field], real[field], "{field}");
    }
    // Nothing was stored under the key, so the same dry run computes again (not a replay).
    let again = w
        .run(
            "dry",
            json!({"period": "2026-02", "issue_date": "2026-03-01", "dry_run": true}),
        )
        .await;
    again.assert_status(201);
    assert_eq!(again.header("idempotent-replayed"), None);
    assert_eq!(again.json()["skipped_count"], FEBRUARY_INVOICES);
}

#[actix_web::test]
async fn the_issue_date_defaults_to_today_and_the_due_date_to_fifteen_days_later() {
    let w = World::new().await;
    let run = w.run("d", json!({"period": "2026-02"})).await;
    run.assert_status(201);
    assert_eq!(run.json()["issue_date"], "2026-03-10");
    assert_eq!(run.json()["due_date"], "2026-03-25");
    let issued = w
        .run(
            "e",
            json!({"period": "2026-03", "issue_date": "2026-03-20"}),
        )
        .await;
    assert_eq!(issued.json()["due_date"], "2026-04-04");
    // The payment term is the operator's setting, not the caller's.
    let custom = w
        .run("f", json!({"period": "2026-03", "due_in_days": 0}))
        .await;
    custom.assert_problem(422, "validation_failed");
    assert_eq!(custom.error_fields(), ["due_in_days"]);
    // Sent equal to the setting (the deprecated field of older integrations), it is accepted.
    let same = w
        .run(
            "g",
            json!({"period": "2026-03", "issue_date": "2026-03-20", "due_in_days": 15}),
        )
        .await;
    same.assert_status(201);
    assert_eq!(same.json()["due_date"], "2026-04-04");
}

#[actix_web::test]
async fn invalid_fields_are_named_and_nothing_is_written() {
    let w = World::new().await;
    let answer = w
        .run(
            "bad",
            json!({"period": "2026-13", "issue_date": "01/03/2026"}),
        )
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["period", "issue_date"]);
    let early = w.run("early", json!({"period": "2026-04"})).await;
    early.assert_problem(422, "validation_failed");
    assert_eq!(early.error_fields(), ["issue_date"]);
    let unknown = w
        .run("typo", json!({"period": "2026-02", "dryrun": true}))
        .await;
    unknown.assert_problem(400, "invalid_body");
    assert_eq!(unknown.error_fields(), ["dryrun"]);
    w.run("missing", json!({}))
        .await
        .assert_problem(400, "invalid_body");
    assert_eq!(w.app.count("SELECT count(*) FROM billing_runs"), 0);
    assert_eq!(w.app.count("SELECT count(*) FROM idempotency_records"), 0);
}

#[actix_web::test]
async fn only_billing_actors_start_runs_and_any_actor_reads_them() {
    let w = World::new().await;
    let body = json!({"period": "2026-02"});
    w.app
        .post("/billing/runs")
        .header("idempotency-key", "x")
        .json(&body)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    for role in ["agent", "viewer", "collections"] {
        let token = w.app.actor_token(&[role]).await;
        w.app
            .post("/billing/runs")
            .token(&token)
            .header("idempotency-key", "x")
            .json(&body)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    let admin = w
        .app
        .post("/billing/runs")
        .admin()
        .header("idempotency-key", "x")
        .json(&body)
        .send()
        .await;
    admin.assert_status(201);
    let id = admin.json()["billing_run_id"].as_str().unwrap().to_owned();

    let viewer = w.app.actor_token(&["viewer"]).await;
    let one = w
        .app
        .get(&format!("/billing/runs/{id}"))
        .token(&viewer)
        .send()
        .await;
    one.assert_status(200);
    assert_eq!(one.json()["invoice_ids"], admin.json()["invoice_ids"]);
    assert_eq!(one.json()["totals"], admin.json()["totals"]);
    w.app
        .get("/billing/runs")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn runs_are_listed_by_pages_and_unknown_ids_are_404() {
    let w = World::new().await;
    for (key, period) in [("a", "2026-01"), ("b", "2026-02"), ("c", "2026-03")] {
        w.run(key, json!({"period": period}))
            .await
            .assert_status(201);
    }
    let first = w
        .app
        .get("/billing/runs?limit=2")
        .token(&w.billing)
        .send()
        .await;
    first.assert_status(200);
    let first = first.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert!(first["items"][0].get("invoice_ids").is_none());
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = w
        .app
        .get(&format!("/billing/runs?limit=2&cursor={cursor}"))
        .token(&w.billing)
        .send()
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_cursor"], json!(null));
    assert_eq!(rest["items"][0]["period"], "2026-03");
    for bad in [
        "run_01JD0000000000000000000000",
        "nope",
        "inv_01JD0000000000000000000000",
    ] {
        w.app
            .get(&format!("/billing/runs/{bad}"))
            .token(&w.billing)
            .send()
            .await
            .assert_problem(404, "billing_run_not_found");
    }
    for (query, field) in [
        ("limit=0", "limit"),
        ("cursor=inv_01JD0000000000000000000000", "cursor"),
        ("status=done", "status"),
    ] {
        let answer = w
            .app
            .get(&format!("/billing/runs?{query}"))
            .token(&w.billing)
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}
