//! P14–P15: every collections endpoint needs credentials (401); writes need the collections
//! role (403 for others, admins pass); any actor may read.

use serde_json::json;

use crate::support::TestApp;

const CASE: &str = "case_01JD0000000000000000000000";
const INVOICE: &str = "inv_01JD0000000000000000000000";

fn writes() -> Vec<(&'static str, String, serde_json::Value)> {
    vec![
        (
            "POST",
            "/collections/payments".into(),
            json!({"client_id": "cli_01JD0000000000000000000000", "amount": 1, "method": "cash"}),
        ),
        (
            "POST",
            format!("/collections/invoices/{INVOICE}/approve-paid"),
            json!({}),
        ),
        ("POST", "/collections/dunning/runs".into(), json!({})),
        (
            "POST",
            format!("/collections/cases/{CASE}/actions"),
            json!({"action_type": "call"}),
        ),
        (
            "PUT",
            format!("/collections/cases/{CASE}/status"),
            json!({"status": "closed"}),
        ),
        (
            "POST",
            format!("/collections/cases/{CASE}/actions"),
            json!({"action_type": "promise_to_pay", "promised_date": "2026-04-01", "amount": 100}),
        ),
        (
            "POST",
            format!("/collections/cases/{CASE}/dispute"),
            json!({"invoice_ids": [INVOICE]}),
        ),
        (
            "POST",
            format!("/collections/cases/{CASE}/dispute/close"),
            json!({"outcome": "rejected"}),
        ),
    ]
}

fn reads() -> Vec<String> {
    vec![
        "/collections/payments".into(),
        "/collections/overview".into(),
        "/collections/cases".into(),
        format!("/collections/cases/{CASE}"),
        format!("/collections/cases/{CASE}/actions"),
    ]
}

#[actix_web::test]
async fn collections_endpoints_refuse_calls_without_credentials() {
    let app = TestApp::new().await;
    for (method, path, body) in writes() {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
        app.call(method, &path)
            .header("idempotency-key", "k")
            .json(&body)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
    }
    for path in reads() {
        app.get(&path)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
    }
}

#[actix_web::test]
async fn collections_writes_need_the_collections_role_and_reads_do_not() {
    let app = TestApp::new().await;
    for roles in [vec!["viewer"], vec!["agent", "billing"]] {
        let token = app.actor_token(&roles).await;
        for (method, path, body) in writes() {
            let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
            app.call(method, &path)
                .token(&token)
                .header("idempotency-key", "k")
                .json(&body)
                .send()
                .await
                .assert_problem(403, "forbidden");
        }
        for path in reads() {
            let answer = app.get(&path).token(&token).send().await;
            assert!(
                answer.status == 200 || answer.code() == "case_not_found",
                "{path}: {}",
                answer.status
            );
        }
    }
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 0);
}
