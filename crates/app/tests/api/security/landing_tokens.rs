//! Landing tokens on every landing operation of the served document that takes one: a lookup
//! token opens one CIN for 15 minutes, a document token one document for 7 days; another
//! CIN's or document's, an expired, a tampered or no token is refused, and a refusal carries no
//! data of the other client. Document URLs are harvested from the API's own answers, so a new
//! document endpoint is covered as soon as some answer links to it.

use serde_json::{json, Value};
use time::macros::date;
use time::Duration;

use crate::support::{seed, Answer, TestApp};

use super::operations::{document, example, operations, placeholder_fixtures, Operation};
use super::{describe, method, report, send, unlimited_app};

/// A client as the landing sees it.
pub(super) struct Person {
    pub cin: &'static str,
    pub last_name: &'static str,
    pub client_id: String,
    pub contract_id: String,
    pub lookup_token: String,
}

impl Person {
    /// Strings that must never appear in an answer given to someone else.
    fn secrets(&self) -> Vec<String> {
        vec![
            self.cin.to_owned(),
            self.last_name.to_owned(),
            self.client_id.clone(),
            self.contract_id.clone(),
        ]
    }
}

pub(super) async fn person(
    app: &TestApp,
    cin: &'static str,
    last_name: &'static str,
    offer: &str,
) -> Person {
    let client = app
        .post("/customers")
        .admin()
        .json(&json!({"cin": cin, "first_name": "Prénom", "last_name": last_name}))
        .send()
        .await;
    client.assert_status(201);
    let client_id = client.json()["id"].as_str().unwrap().to_owned();
    let provisioned = app
        .post("/contracts/provision")
        .admin()
        .json(&json!({
            "offer_id": offer, "client_id": client_id, "contract_start_date": "2026-02-01",
            "subscriber": {"service_identifier": format!("06{}00", &cin[2..])}
        }))
        .send()
        .await;
    provisioned.assert_status(201);
    let contract_id = provisioned.json()["id"].as_str().unwrap().to_owned();
    let paths = app.get("/openapi.json").send().await.json()["paths"].clone();
    if paths["/api/v1/landing/clients/{cin}/invoices"].is_object() {
        let invoice_id = seed::invoice(
            app,
            &client_id,
            &contract_id,
            "2026-02",
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 16),
            12_000,
        );
        // A credit note too, so its document link is among the person's documents.
        if paths["/api/v1/invoices/{invoice_id}/credit-notes"].is_object() {
            app.post(&format!("/invoices/{invoice_id}/credit-notes"))
                .admin()
                .header("idempotency-key", &format!("note-{cin}"))
                .json(&json!({"reason": "Geste",
                    "lines": [{"position": 1, "amount_excl_tax": 1_000}]}))
                .send()
                .await
                .assert_status(201);
        }
    }
    let verified = app
        .post("/landing/clients/verify-cin")
        .json(&json!({ "cin": cin }))
        .send()
        .await;
    verified.assert_status(200);
    Person {
        cin,
        last_name,
        client_id,
        contract_id,
        lookup_token: verified.json()["lookup_token"].as_str().unwrap().to_owned(),
    }
}

/// The same token with one character changed.
fn tampered(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let middle = chars.len() / 2;
    chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

/// Fails when a refusal reveals anything of `other`, or is not a refusal.
#[track_caller]
fn refused_without_leak(answer: &Answer, what: &str, other: &Person, allowed: &[u16]) {
    assert!(
        allowed.contains(&answer.status),
        "{what}: expected one of {allowed:?}, got {}",
        describe(answer)
    );
    let body = String::from_utf8_lossy(&answer.body);
    for secret in other.secrets() {
        assert!(!body.contains(&secret), "{what} leaked {secret}: {body}");
    }
    assert_ne!(
        answer.header("content-type").as_deref(),
        Some("application/pdf")
    );
}

/// Whether `op` takes a lookup token (query or body).
fn takes_lookup_token(doc: &Value, op: &Operation) -> bool {
    op.has_query("lookup_token")
        || op.body_schema().is_some_and(|schema| {
            super::operations::resolve(doc, &schema)["properties"]["lookup_token"].is_object()
        })
}

/// How `op` refuses a bad lookup token: `submit/new` sends an existing CIN back to
/// `verify-cin` (409 `client_exists_verify_cin`); every read and other write is 403.
fn refusals(op: &Operation) -> &'static [u16] {
    if op.path.ends_with("/landing/submit/new") {
        &[409]
    } else {
        &[403]
    }
}

/// Whether `op`'s body names a contract.
fn names_a_contract(doc: &Value, op: &Operation) -> bool {
    op.body_schema().is_some_and(|schema| {
        super::operations::resolve(doc, &schema)["properties"]["contract_id"].is_object()
    })
}

/// Calls `op` for `owner` (path CIN, body ids) presenting `token` (`None`: no token).
async fn with_lookup_token(
    app: &TestApp,
    doc: &Value,
    op: &Operation,
    owner: &Person,
    contract_id: &str,
    token: Option<&str>,
    what: &str,
) -> Answer {
    let mut fixtures = placeholder_fixtures();
    fixtures.insert("cin".into(), owner.cin.into());
    fixtures.insert("contract_id".into(), contract_id.into());
    fixtures.insert("client_id".into(), owner.client_id.clone());
    fixtures.insert("contract_start_date".into(), "2026-03-20".into());
    let mut path = op.concrete_path(&fixtures, None);
    if op.has_query("lookup_token") {
        if let Some(token) = token {
            path = format!("{path}?lookup_token={token}");
        }
    }
    let mut call = app.call(method(&op.method), &path);
    if op.needs_idempotency_key() {
        call = call.header("idempotency-key", &ulid::Ulid::new().to_string());
    }
    if let Some(schema) = op.body_schema() {
        let mut body = example(doc, &schema, "", &fixtures);
        if body.get("lookup_token").is_some() {
            body["lookup_token"] = json!(token.unwrap_or(""));
        }
        call = call.json(&body);
    }
    send(call, &format!("{} {what}", op.label())).await
}

#[actix_web::test]
async fn lookup_tokens_open_only_their_own_cin_and_only_for_fifteen_minutes() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let offer = seed::offer(&app, "MOB-SEC", "mobile", 9_900);
    let a = person(&app, "AB123456", "Benkirane", &offer).await;
    let b = person(&app, "CD654321", "Alaoui", &offer).await;
    let ops: Vec<Operation> = operations(&doc)
        .into_iter()
        .filter(|op| op.is_landing() && takes_lookup_token(&doc, op))
        .collect();
    assert!(!ops.is_empty(), "no landing operation takes a lookup token");
    let mut checked = 0;
    for op in &ops {
        let tampered = tampered(&a.lookup_token);
        let attempts: [(Option<&str>, &str); 5] = [
            (Some(&b.lookup_token), "with another CIN's token"),
            (Some(&tampered), "with a tampered token"),
            (None, "without a token"),
            (Some("x"), "with a garbage token"),
            (
                Some(&a.lookup_token[..a.lookup_token.len() / 2]),
                "with a cut token",
            ),
        ];
        for (token, what) in attempts {
            let answer = with_lookup_token(&app, &doc, op, &a, &a.contract_id, token, what).await;
            refused_without_leak(&answer, &format!("{} {what}", op.label()), &b, refusals(op));
            checked += 1;
        }
        // A's own token on B's contract (the body names a contract): never B's data.
        if names_a_contract(&doc, op) {
            let what = "on another client's contract";
            let answer = with_lookup_token(
                &app,
                &doc,
                op,
                &a,
                &b.contract_id,
                Some(&a.lookup_token),
                what,
            )
            .await;
            refused_without_leak(&answer, &format!("{} {what}", op.label()), &b, &[403, 404]);
            checked += 1;
        }
    }
    // The owner's own token works (so the refusals above are about the token).
    for op in ops.iter().filter(|op| !op.is_write()) {
        let answer = with_lookup_token(
            &app,
            &doc,
            op,
            &a,
            &a.contract_id,
            Some(&a.lookup_token),
            "own",
        )
        .await;
        answer.assert_status(200);
        let body = String::from_utf8_lossy(&answer.body);
        for secret in b.secrets() {
            assert!(!body.contains(&secret), "{} leaked {secret}", op.label());
        }
        checked += 1;
    }
    app.clock.advance(Duration::minutes(16));
    for op in &ops {
        let what = "with an expired token";
        let answer = with_lookup_token(
            &app,
            &doc,
            op,
            &a,
            &a.contract_id,
            Some(&a.lookup_token),
            what,
        )
        .await;
        refused_without_leak(&answer, &format!("{} {what}", op.label()), &b, refusals(op));
        checked += 1;
    }
    report("lookup tokens", checked);
}

/// Every `document_download_url` in `value`.
fn harvest(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields {
                match (key.as_str(), field.as_str()) {
                    ("document_download_url", Some(url)) => out.push(url.to_owned()),
                    _ => harvest(field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| harvest(item, out)),
        _ => {}
    }
}

/// Document URLs of `person`, from every landing answer that gives them.
pub(super) async fn document_urls(app: &TestApp, doc: &Value, person: &Person) -> Vec<String> {
    let mut urls = Vec::new();
    let link = app
        .post(&format!(
            "/landing/contracts/{}/document-link",
            person.contract_id
        ))
        .json(&json!({"cin": person.cin}))
        .send()
        .await;
    link.assert_status(200);
    harvest(&link.json(), &mut urls);
    for op in operations(doc) {
        if op.is_landing() && !op.is_write() && op.has_query("lookup_token") {
            let mut fixtures = placeholder_fixtures();
            fixtures.insert("cin".into(), person.cin.into());
            let path = format!(
                "{}?lookup_token={}",
                op.concrete_path(&fixtures, None),
                person.lookup_token
            );
            let answer = app.get(&path).send().await;
            answer.assert_status(200);
            harvest(&answer.json(), &mut urls);
        }
    }
    urls
}

/// The operation a URL path belongs to (literal segments must match).
fn operation_of<'a>(ops: &'a [Operation], url: &str) -> Option<&'a Operation> {
    let path = url.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    ops.iter().find(|op| {
        let template: Vec<&str> = op.path.split('/').collect();
        op.method == "get"
            && template.len() == segments.len()
            && template
                .iter()
                .zip(&segments)
                .all(|(t, s)| t.starts_with('{') || t == s)
    })
}

fn token_of(url: &str) -> &str {
    url.split("token=").nth(1).unwrap_or_default()
}

fn without_token(url: &str) -> &str {
    url.split('?').next().unwrap_or_default()
}

#[actix_web::test]
async fn document_tokens_open_only_their_own_document_and_only_for_seven_days() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let ops = operations(&doc);
    let offer = seed::offer(&app, "MOB-SEC", "mobile", 9_900);
    let a = person(&app, "AB123456", "Benkirane", &offer).await;
    let b = person(&app, "CD654321", "Alaoui", &offer).await;
    let urls_a = document_urls(&app, &doc, &a).await;
    let urls_b = document_urls(&app, &doc, &b).await;
    let document_ops: Vec<&Operation> = ops
        .iter()
        .filter(|op| op.is_landing() && op.has_query("token"))
        .collect();
    assert!(!document_ops.is_empty(), "no landing document operation");
    let mut checked = 0;
    let mut own_urls = Vec::new();
    for op in document_ops {
        let mine = urls_a
            .iter()
            .find(|u| operation_of(&ops, u).is_some_and(|o| o.path == op.path));
        let theirs = urls_b
            .iter()
            .find(|u| operation_of(&ops, u).is_some_and(|o| o.path == op.path));
        let (Some(mine), Some(theirs)) = (mine, theirs) else {
            panic!(
                "{}: no answer links to it; extend document_urls in security/landing_tokens.rs",
                op.label()
            );
        };
        let own = send(app.get(mine), &format!("{} own token", op.label())).await;
        own.assert_status(200);
        assert_eq!(
            own.header("content-type").as_deref(),
            Some("application/pdf")
        );
        own_urls.push(mine.clone());
        let base = without_token(mine);
        let attempts = [
            (
                format!("{base}?token={}", token_of(theirs)),
                "with another document's token",
            ),
            (
                format!("{base}?token={}", tampered(token_of(mine))),
                "with a tampered token",
            ),
            (base.to_owned(), "without a token"),
            (format!("{base}?token="), "with an empty token"),
            (
                format!("{base}?token={}", a.lookup_token),
                "with a lookup token",
            ),
            (
                format!("{}?token={}", without_token(theirs), token_of(mine)),
                "on another document",
            ),
        ];
        for (url, what) in attempts {
            let answer = send(app.get(&url), &format!("{} {what}", op.label())).await;
            refused_without_leak(&answer, &format!("{} {what}", op.label()), &b, &[403]);
            checked += 1;
        }
    }
    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    for url in &own_urls {
        let answer = send(app.get(url), "an expired document token").await;
        refused_without_leak(&answer, &format!("{url} expired"), &b, &[403]);
        checked += 1;
    }
    report("document tokens", checked);
}

#[actix_web::test]
async fn document_links_are_given_only_to_the_owners_cin() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let offer = seed::offer(&app, "MOB-SEC", "mobile", 9_900);
    let a = person(&app, "AB123456", "Benkirane", &offer).await;
    let b = person(&app, "CD654321", "Alaoui", &offer).await;
    let mut checked = 0;
    for op in operations(&doc) {
        let takes_cin = op.body_schema().is_some_and(|schema| {
            super::operations::resolve(&doc, &schema)["properties"]["cin"].is_object()
        });
        let by_id = op.path.contains("{contract_id}") || op.path.contains("{invoice_id}");
        if !(op.is_landing() && takes_cin && by_id && !takes_lookup_token(&doc, &op)) {
            continue;
        }
        let mut fixtures = placeholder_fixtures();
        fixtures.insert("contract_id".into(), b.contract_id.clone());
        let path = op.concrete_path(&fixtures, None);
        let answer = send(
            app.call(method(&op.method), &path)
                .json(&json!({"cin": a.cin})),
            &format!("{} for another CIN", op.label()),
        )
        .await;
        refused_without_leak(&answer, &op.label(), &b, &[404]);
        checked += 1;
    }
    assert!(checked > 0, "no landing link operation found");
    report("document links by ownership", checked);
}

#[actix_web::test]
async fn drafts_expire_and_unknown_or_malformed_ones_are_not_found() {
    let app = unlimited_app().await;
    let draft = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"step": 1, "cin": "AB123456"}}))
        .send()
        .await;
    draft.assert_status(201);
    let id = draft.json()["draft_id"].as_str().unwrap().to_owned();
    send(app.get(&format!("/landing/drafts/{id}")), "own draft")
        .await
        .assert_status(200);
    let days = domain::settings::Settings::default().draft_ttl_days;
    app.clock
        .advance(Duration::days(days) + Duration::minutes(1));
    let mut checked = 0;
    for path in [
        format!("/landing/drafts/{id}"),
        "/landing/drafts/drf_01JD0000000000000000000000".to_owned(),
        "/landing/drafts/not-a-draft".to_owned(),
    ] {
        let read = send(app.get(&path), "expired or unknown draft").await;
        assert_eq!(read.status, 404, "{path}: {read:?}");
        assert!(!String::from_utf8_lossy(&read.body).contains("AB123456"));
        let write = send(
            app.put(&path).json(&json!({"payload": {}})),
            "expired or unknown draft update",
        )
        .await;
        assert_eq!(write.status, 404, "{path}: {write:?}");
        checked += 2;
    }
    report("drafts", checked);
}
