//! Credentials and roles on every internal operation of the served document: 401 without
//! valid credentials, 403 for a role the operation does not grant, and a refused write
//! changes nothing.

use serde_json::Value;
use time::macros::date;

use crate::support::{seed, Answer, Call, TestApp};

use super::operations::{document, example, operations, placeholder_fixtures, Fixtures, Operation};
use super::{assert_none, describe, method, report, send};

/// Roles that are not admin.
const ROLES: [&str; 5] = ["agent", "billing", "collections", "viewer", "mediation"];

/// Whether reads under this role's paths are refused to the other roles too.
fn strict_reads(required: &str) -> bool {
    matches!(required, "admin" | "viewer")
}

/// Real resources for the path parameters, so that a write a role check let through would
/// really change something.
pub(super) fn seeded_fixtures(app: &TestApp) -> Fixtures {
    let mut fixtures = placeholder_fixtures();
    let client = seed::client(app, "AB123456");
    let offer = seed::offer(app, "MOB-SEC", "mobile", 9_900);
    let contract = seed::contract(app, &client, &offer, date!(2026 - 02 - 01), "active");
    let subscriber = seed::subscriber(app, &client, "mobile", "+212611223344");
    let invoice = seed::invoice(
        app,
        &client,
        &contract,
        "2026-02",
        date!(2026 - 03 - 01),
        date!(2026 - 03 - 16),
        12_000,
    );
    for (name, value) in [
        ("client_id", client),
        ("offer_id", offer),
        ("contract_id", contract),
        ("subscriber_id", subscriber),
        ("invoice_id", invoice),
    ] {
        fixtures.insert(name.into(), value);
    }
    fixtures
}

/// A call of `op` with a body that parses and, for idempotent writes, a fresh key.
pub(super) fn request<'a>(
    app: &'a TestApp,
    doc: &Value,
    op: &Operation,
    fixtures: &Fixtures,
) -> Call<'a> {
    let mut call = app.call(method(&op.method), &op.concrete_path(fixtures, None));
    if op.needs_idempotency_key() {
        call = call.header("idempotency-key", &ulid::Ulid::new().to_string());
    }
    if let Some(schema) = op.body_schema() {
        call = call.json(&example(doc, &schema, "", fixtures));
    }
    call
}

/// `op` called as [`request`] builds it, with these credential headers.
async fn call_with(
    app: &TestApp,
    doc: &Value,
    op: &Operation,
    fixtures: &Fixtures,
    credentials: &[(&str, &str)],
    what: &str,
) -> Answer {
    let mut call = request(app, doc, op, fixtures);
    for (name, value) in credentials {
        call = call.header(name, value);
    }
    send(call, &format!("{} {what}", op.label())).await
}

/// Row counts of every table but the ones that record calls rather than business state.
pub(super) fn table_counts(app: &TestApp) -> Vec<(String, i64)> {
    let tables = [
        "actors",
        "offers",
        "clients",
        "subscribers",
        "contracts",
        "contract_offer_periods",
        "contract_audit",
        "contract_documents",
        "drafts",
        "billing_runs",
        "invoices",
        "invoice_lines",
        "invoice_documents",
        "idempotency_records",
        "payments",
        "payment_allocations",
        "collection_cases",
        "case_actions",
        "credit_notes",
        "credit_note_lines",
        "credit_note_documents",
        "ledger_audit",
        "archive_entries",
        "usage_records",
        "usage_thresholds",
    ];
    tables
        .iter()
        .filter(|t| {
            app.count(&format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = '{t}'"
            )) == 1
        })
        .map(|t| {
            (
                t.to_string(),
                app.count(&format!("SELECT count(*) FROM {t}")),
            )
        })
        .collect()
}

#[actix_web::test]
async fn every_internal_operation_answers_401_without_valid_credentials() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let fixtures = placeholder_fixtures();
    let bad: [&[(&str, &str)]; 6] = [
        &[],
        &[("authorization", "Bearer not-a-token")],
        &[("authorization", "Basic YWRtaW46YWRtaW4=")],
        &[("authorization", "Bearer ")],
        &[("x-actor-id", "act_01JD0000000000000000000000")],
        &[("x-actor-id", "' OR 1=1 --")],
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&doc).iter().filter(|op| !op.is_public()) {
        for credentials in bad {
            let answer = call_with(&app, &doc, op, &fixtures, credentials, "bad credentials").await;
            if answer.status != 401 || answer.code() != "unauthenticated" {
                let label = op.label();
                failures.push(format!("{label} {credentials:?}: {}", describe(&answer)));
            }
            checked += 1;
        }
    }
    assert_none(&failures);
    report("401 without valid credentials", checked);
}

#[actix_web::test]
async fn every_internal_write_answers_403_to_the_roles_it_does_not_grant_and_changes_nothing() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let fixtures = seeded_fixtures(&app);
    let mut tokens = Vec::new();
    for role in ROLES {
        tokens.push((role, app.actor_token(&[role]).await));
    }
    let before = table_counts(&app);
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&doc).iter().filter(|op| !op.is_public()) {
        let Some(required) = op.required_role() else {
            continue;
        };
        for (role, token) in &tokens {
            // Reads are open to every role, except under /admin, the exports and the viewers'
            // event feed.
            let refused = *role != required
                && (op.is_write() || !op.may_read(role) || strict_reads(required));
            if !refused {
                continue;
            }
            let bearer = format!("Bearer {token}");
            let credentials = [("authorization", bearer.as_str())];
            let what = format!("as {role}");
            let answer = call_with(&app, &doc, op, &fixtures, &credentials, &what).await;
            if answer.status != 403 || answer.code() != "forbidden" {
                failures.push(format!("{} {what}: {}", op.label(), describe(&answer)));
            }
            checked += 1;
        }
    }
    assert_none(&failures);
    assert_eq!(
        table_counts(&app),
        before,
        "a refused call changed something"
    );
    report("403 for roles not granted", checked);
}

#[actix_web::test]
async fn every_role_passes_the_role_check_of_what_it_may_do() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let fixtures = seeded_fixtures(&app);
    let mut tokens = vec![("admin", crate::support::ADMIN_TOKEN.to_owned())];
    for role in ROLES {
        tokens.push((role, app.actor_token(&[role]).await));
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&doc).iter().filter(|op| !op.is_public()) {
        let required = op.required_role();
        for (role, token) in &tokens {
            let allowed = *role == "admin"
                || (required.is_none() && op.may_read(role))
                || Some(*role) == required
                || (!op.is_write() && op.may_read(role) && !required.is_some_and(strict_reads));
            if !allowed {
                continue;
            }
            let bearer = format!("Bearer {token}");
            let credentials = [("authorization", bearer.as_str())];
            let what = format!("as {role}");
            let answer = call_with(&app, &doc, op, &fixtures, &credentials, &what).await;
            if answer.status == 401 || answer.status == 403 {
                failures.push(format!("{} {what}: {}", op.label(), describe(&answer)));
            }
            checked += 1;
        }
    }
    assert_none(&failures);
    report("allowed roles pass", checked);
}
