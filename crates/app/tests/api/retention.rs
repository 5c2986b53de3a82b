//! Retention: the purge removes expired drafts, old rate-limit windows and idempotency records
//! past `MTF_IDEMPOTENCY_RETENTION_HOURS`, keeps what is live, never touches legal records, and
//! two purges at once (two instances) remove each row exactly once.

use serde_json::{json, Value};
use time::Duration;

use crate::collections::fixtures::{collector, debtor, invoice_due, pay};
use crate::support::TestApp;

/// Legal records and their detail: never purged, whatever their age.
const LEGAL: [&str; 7] = [
    "invoices",
    "invoice_lines",
    "payments",
    "payment_allocations",
    "contract_audit",
    "contracts",
    "number_sequences",
];

fn legal_counts(app: &TestApp) -> Vec<i64> {
    LEGAL
        .iter()
        .map(|table| app.count(&format!("SELECT count(*) FROM {table}")))
        .collect()
}

async fn new_draft(app: &TestApp) -> String {
    let answer = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"note": "kept while live"}}))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()["draft_id"].as_str().unwrap().to_owned()
}

fn payment_body(app: &TestApp, client_id: &str) -> Value {
    json!({"client_id": client_id, "amount": 1_000, "method": "cash",
           "received_at": app.clock_now().date().to_string()})
}

#[actix_web::test]
async fn old_working_data_goes_while_live_and_legal_data_stays() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let owner = debtor(&app, "900001");
    let due = app.clock_now().date() + Duration::days(10);
    invoice_due(&app, &owner, due, 12_000);

    // Day 0: a draft (expires after 30 days), a payment with its idempotency record, and the
    // landing's rate-limit windows.
    let old_draft = new_draft(&app).await;
    pay(&app, &token, payment_body(&app, &owner.client_id))
        .await
        .assert_status(201);
    // Day 30: the same again, still live when the purge runs an hour later.
    app.clock.advance(Duration::days(30));
    let live_draft = new_draft(&app).await;
    let live_key = "retention-live-key";
    let live_body = payment_body(&app, &owner.client_id);
    let first = app
        .post("/collections/payments")
        .token(&token)
        .header("idempotency-key", live_key)
        .json(&live_body)
        .send()
        .await;
    first.assert_status(201);
    app.clock.advance(Duration::hours(1));
    assert_eq!(app.count("SELECT count(*) FROM drafts"), 2);
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 2);
    let windows = app.count("SELECT count(*) FROM rate_limit_windows");
    let recent_windows = app.count(&format!(
        "SELECT count(*) FROM rate_limit_windows WHERE window_start >= '{}'",
        app.clock_now() - Duration::days(1)
    ));
    assert!(
        windows > recent_windows && recent_windows > 0,
        "{windows} {recent_windows}"
    );
    let legal = legal_counts(&app);

    let report = app.services.retention.purge().unwrap();

    assert_eq!(report.drafts, 1);
    assert_eq!(report.idempotency_records, 1);
    assert_eq!(report.rate_limit_windows as i64, windows - recent_windows);
    let kept: Vec<i64> = [
        format!("SELECT count(*) FROM drafts WHERE id = '{live_draft}'"),
        format!("SELECT count(*) FROM drafts WHERE id = '{old_draft}'"),
        format!("SELECT count(*) FROM idempotency_records WHERE idempotency_key = '{live_key}'"),
        "SELECT count(*) FROM idempotency_records".to_owned(),
        "SELECT count(*) FROM rate_limit_windows".to_owned(),
    ]
    .iter()
    .map(|q| app.count(q))
    .collect();
    assert_eq!(kept, [1, 0, 1, 1, recent_windows]);
    assert_eq!(legal_counts(&app), legal, "legal records untouched");
    // What stays still works: the live draft reads, the live key still replays.
    app.get(&format!("/landing/drafts/{live_draft}"))
        .send()
        .await
        .assert_status(200);
    let replay = app
        .post("/collections/payments")
        .token(&token)
        .header("idempotency-key", live_key)
        .json(&live_body)
        .send()
        .await;
    replay.assert_status(201);
    assert_eq!(replay.json()["id"], first.json()["id"]);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 2);

    // A second run finds nothing more.
    let again = app.services.retention.purge().unwrap();
    assert_eq!(
        (
            again.drafts,
            again.rate_limit_windows,
            again.idempotency_records
        ),
        (0, 0, 0)
    );
}

#[actix_web::test]
async fn idempotency_records_are_kept_for_the_configured_hours() {
    let settings = domain::settings::Settings {
        idempotency_retention_hours: 24,
        ..domain::settings::Settings::default()
    };
    let app = TestApp::with_settings(settings).await;
    let token = collector(&app).await;
    let owner = debtor(&app, "900002");
    pay(&app, &token, payment_body(&app, &owner.client_id))
        .await
        .assert_status(201);
    app.clock.advance(Duration::hours(23));
    assert_eq!(
        app.services.retention.purge().unwrap().idempotency_records,
        0
    );
    app.clock.advance(Duration::hours(2));
    assert_eq!(
        app.services.retention.purge().unwrap().idempotency_records,
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
}

#[actix_web::test]
async fn two_purges_at_once_remove_each_expired_row_exactly_once() {
    let app = TestApp::new().await;
    let now = app.clock_now();
    // More than two batches of expired drafts, and some live ones.
    app.sql(&format!(
        "INSERT INTO drafts (id, payload, status, expires_at, created_at, updated_at) \
         SELECT 'drf_old_' || n, '{{}}', 'open', '{past}', '{past}', '{past}' \
         FROM generate_series(1, 2500) n",
        past = now - Duration::days(1)
    ));
    app.sql(&format!(
        "INSERT INTO drafts (id, payload, status, expires_at, created_at, updated_at) \
         SELECT 'drf_live_' || n, '{{}}', 'open', '{future}', '{now}', '{now}' \
         FROM generate_series(1, 10) n",
        future = now + Duration::days(1)
    ));
    let instance_a = app.services.retention.clone();
    let instance_b = app.other_instance().retention.clone();
    let a = std::thread::spawn(move || instance_a.purge());
    let b = std::thread::spawn(move || instance_b.purge());
    let (a, b) = (a.join().unwrap().unwrap(), b.join().unwrap().unwrap());
    assert_eq!(a.drafts + b.drafts, 2500, "{a:?} {b:?}");
    assert_eq!(
        app.count("SELECT count(*) FROM drafts WHERE id LIKE 'drf_old_%'"),
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM drafts WHERE id LIKE 'drf_live_%'"),
        10
    );
}
