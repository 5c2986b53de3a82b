//! Ids in the paths of billing and collections are parsed once at the HTTP edge: a malformed
//! id answers exactly as an unknown one (the resource's `…_not_found`, or `forbidden` for a
//! landing document), and nothing is written.

use serde_json::json;
use time::macros::date;

use super::fixtures::{case_in, collector, debtor, invoice_due};
use crate::support::TestApp;

const MALFORMED: [&str; 3] = ["nope", "inv_1", "ctr_01JD0000000000000000000000"];

#[actix_web::test]
async fn approving_a_malformed_or_unknown_invoice_is_not_found_and_posts_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "300001");
    invoice_due(&app, &d, date!(2026 - 02 - 20), 12_000);
    for (n, bad) in MALFORMED
        .into_iter()
        .chain(["inv_01JD0000000000000000000000"])
        .enumerate()
    {
        app.post(&format!("/collections/invoices/{bad}/approve-paid"))
            .token(&token)
            .header("idempotency-key", &format!("approve-{n}"))
            .json(&json!({}))
            .send()
            .await
            .assert_problem(404, "invoice_not_found");
    }
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
}

#[actix_web::test]
async fn a_malformed_case_id_is_not_found_before_the_body_is_checked_and_writes_nothing() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let d = debtor(&app, "300002");
    case_in(&app, &d.client_id, "open");
    let actions_before = app.count("SELECT count(*) FROM case_actions");
    for bad in MALFORMED.into_iter().chain(["case_1"]) {
        // An invalid body too: the id is judged first, as before ids were typed.
        app.post(&format!("/collections/cases/{bad}/actions"))
            .token(&token)
            .json(&json!({"action_type": "suspension"}))
            .send()
            .await
            .assert_problem(404, "case_not_found");
        app.put(&format!("/collections/cases/{bad}/status"))
            .token(&token)
            .json(&json!({"status": "nowhere"}))
            .send()
            .await
            .assert_problem(404, "case_not_found");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM case_actions"),
        actions_before
    );
    assert_eq!(
        app.count("SELECT count(*) FROM collection_cases WHERE status = 'open'"),
        1
    );
}

#[actix_web::test]
async fn malformed_invoice_and_run_ids_are_not_found_on_reads() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    for bad in MALFORMED {
        app.get(&format!("/invoices/{bad}/pdf"))
            .token(&token)
            .send()
            .await
            .assert_problem(404, "invoice_not_found");
        app.get(&format!("/billing/runs/{bad}"))
            .token(&token)
            .send()
            .await
            .assert_problem(404, "billing_run_not_found");
    }
}

#[actix_web::test]
async fn a_landing_document_of_a_malformed_id_is_forbidden_like_a_wrong_token() {
    let app = TestApp::new().await;
    for bad in MALFORMED {
        for query in ["", "?token=forged"] {
            app.get(&format!("/landing/invoices/{bad}/document{query}"))
                .send()
                .await
                .assert_problem(403, "forbidden");
        }
    }
}
