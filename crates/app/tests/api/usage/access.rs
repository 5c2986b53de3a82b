//! Who may send usage records: the mediation role (and admins) only; a mediation actor may
//! call nothing else.

use super::{ndjson, record, usage_contract};
use crate::support::TestApp;

const LINE: &str = "+212611000005";

#[actix_web::test]
async fn only_mediation_and_admin_may_send_records() {
    let app = TestApp::new().await;
    usage_contract(&app, "AB400001", LINE);
    let body = ndjson(&[record("m-1", LINE, "sms", "2026-04-10T08:00:00Z", 1)]);
    app.post("/usage/records")
        .raw("application/x-ndjson", body.clone())
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    for role in ["agent", "billing", "collections", "viewer"] {
        let token = app.actor_token(&[role]).await;
        app.post("/usage/records")
            .token(&token)
            .raw("application/x-ndjson", body.clone())
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 0);
    let mediation = app.actor_token(&["mediation"]).await;
    app.post("/usage/records")
        .token(&mediation)
        .raw("application/x-ndjson", body)
        .send()
        .await
        .assert_status(200);
    assert_eq!(app.count("SELECT count(*) FROM usage_records"), 1);
}

#[actix_web::test]
async fn a_mediation_actor_may_call_nothing_else() {
    let app = TestApp::new().await;
    let mediation = app.actor_token(&["mediation"]).await;
    for path in [
        "/me",
        "/customers",
        "/contracts",
        "/billing/runs",
        "/events",
    ] {
        app.get(path)
            .token(&mediation)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    app.post("/customers")
        .token(&mediation)
        .json(&serde_json::json!({}))
        .send()
        .await
        .assert_problem(403, "forbidden");
    // Holding another role as well lifts the confinement for that role's calls.
    let both = app.actor_token(&["mediation", "viewer"]).await;
    app.get("/customers")
        .token(&both)
        .send()
        .await
        .assert_status(200);
}
