//! Issue #20, item 3: an anonymous `submit/new` with someone else's CIN rewrote their e-mail,
//! phone, address and city and billed a new contract to them. Now an existing CIN needs its
//! lookup token, and no public flow changes stored identity or contact details.

use serde_json::{json, Value};
use time::macros::date;
use time::Duration;

use crate::support::pdf_text::text_of;
use crate::support::{seed, TestApp};

use super::unlimited_app;

const VICTIM: &str = "AB123456";

/// The attacker's form: the victim's CIN with the attacker's details.
fn attack(offer: &str) -> Value {
    json!({
        "client": {
            "cin": "ab123456", "first_name": "Mallory", "last_name": "Attaquant",
            "email": "mallory@evil.example", "phone": "0699999999",
            "address": "1 rue du Pirate", "city": "Nulle-Part"
        },
        "offer_id": offer,
        "contract_start_date": "2026-03-15",
        "subscriber": {"service_identifier": "0661234567"}
    })
}

/// The victim's stored row, as text, to compare before and after.
fn victim_row(app: &TestApp) -> i64 {
    app.count(&format!(
        "SELECT count(*) FROM clients WHERE cin = '{VICTIM}' AND first_name = 'Hajar' \
         AND last_name = 'Benkirane' AND email = 'hajar@example.ma' \
         AND phone = '+212612345678' AND address = '12 rue Talaa' AND city = 'Fès'"
    ))
}

async fn submit(app: &TestApp, key: &str, body: &Value) -> crate::support::Answer {
    app.post("/landing/submit/new")
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
}

async fn lookup_token(app: &TestApp, cin: &str) -> String {
    let answer = app
        .post("/landing/clients/verify-cin")
        .json(&json!({ "cin": cin }))
        .send()
        .await;
    answer.assert_status(200);
    answer.json()["lookup_token"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn an_existing_cin_without_a_valid_lookup_token_is_sent_to_verify_cin_and_nothing_changes() {
    let app = unlimited_app().await;
    seed::client(&app, VICTIM);
    let other = seed::client(&app, "CD654321");
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let draft = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"offer_id": offer}}))
        .send()
        .await
        .json()["draft_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let others_token = lookup_token(&app, "CD654321").await;
    let expired = lookup_token(&app, VICTIM).await;
    app.clock.advance(Duration::minutes(16));
    let tokens: [(&str, Option<String>); 5] = [
        ("no token", None),
        ("another CIN's token", Some(others_token)),
        ("an expired token", Some(expired)),
        ("a garbage token", Some("x.y".into())),
        ("an empty token", Some(String::new())),
    ];
    for (i, (what, token)) in tokens.into_iter().enumerate() {
        let mut body = attack(&offer);
        body["draft_id"] = json!(draft);
        if let Some(token) = token {
            body["lookup_token"] = json!(token);
        }
        let answer = submit(&app, &format!("attack-{i}"), &body).await;
        let text = String::from_utf8_lossy(&answer.body).into_owned();
        assert_eq!(answer.status, 409, "{what}: {text}");
        answer.assert_problem(409, "client_exists_verify_cin");
        assert!(
            !text.contains("Hajar") && !text.contains("Benkirane"),
            "{what}: {text}"
        );
    }
    assert_eq!(victim_row(&app), 1);
    assert_eq!(app.count("SELECT count(*) FROM contracts"), 0);
    assert_eq!(app.count("SELECT count(*) FROM subscribers"), 0);
    // Refusals are not stored: the portal may retry the same key once the CIN is verified.
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 0);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM drafts WHERE id = '{draft}' AND status = 'open'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM clients WHERE id = '{other}' AND first_name = 'Hajar'"
        )),
        1
    );
}

#[actix_web::test]
async fn with_its_token_the_contract_uses_the_stored_details_and_keeps_the_differences() {
    let app = unlimited_app().await;
    let victim = seed::client(&app, VICTIM);
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let mut body = attack(&offer);
    body["lookup_token"] = json!(lookup_token(&app, VICTIM).await);
    let answer = submit(&app, "own-1", &body).await;
    answer.assert_status(201);
    let created = answer.json();
    assert_eq!(created["client_id"], victim.as_str());
    assert_eq!(victim_row(&app), 1);
    assert_eq!(app.count("SELECT count(*) FROM clients"), 1);

    // The document shows the stored address, never the one sent.
    let url = created["document_download_url"].as_str().unwrap();
    let pdf = app.get(url).send().await;
    pdf.assert_status(200);
    let text = text_of(&pdf.body);
    assert!(text.contains("12 rue Talaa"), "{text}");
    assert!(
        !text.contains("Pirate") && !text.contains("Mallory"),
        "{text}"
    );

    // What differed is kept for an agent, with the details the contract used.
    let contract = created["contract_id"].as_str().unwrap();
    let audit = app
        .get(&format!("/contracts/{contract}/audit"))
        .admin()
        .send()
        .await
        .json();
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "landing_client_details")
        .cloned()
        .unwrap_or_else(|| panic!("no landing_client_details entry: {audit}"));
    assert_eq!(entry["after"]["details_used"], "stored");
    for (field, stored, sent) in [
        ("first_name", "Hajar", "Mallory"),
        ("last_name", "Benkirane", "Attaquant"),
        ("email", "hajar@example.ma", "mallory@evil.example"),
        ("phone", "+212612345678", "+212699999999"),
        ("address", "12 rue Talaa", "1 rue du Pirate"),
        ("city", "Fès", "Nulle-Part"),
    ] {
        assert_eq!(entry["before"][field], stored, "{field}");
        assert_eq!(
            entry["after"][format!("submitted_{field}")],
            sent,
            "{field}"
        );
    }
}

#[actix_web::test]
async fn a_new_cin_still_subscribes_without_a_token() {
    let app = unlimited_app().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    submit(&app, "new-1", &attack(&offer))
        .await
        .assert_status(201);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM clients WHERE cin = '{VICTIM}' AND first_name = 'Mallory'"
        )),
        1
    );
}

#[actix_web::test]
async fn plan_changes_and_drafts_never_touch_stored_client_details() {
    let app = unlimited_app().await;
    let client = seed::client(&app, VICTIM);
    let mobile = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let dearer = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let contract = seed::contract(&app, &client, &mobile, date!(2026 - 02 - 01), "active");
    let token = lookup_token(&app, VICTIM).await;
    let changed = app
        .post("/landing/submit/plan-change")
        .header("idempotency-key", "pc-1")
        .json(&json!({
            "cin": VICTIM, "lookup_token": token, "contract_id": contract,
            "target_offer_id": dearer, "contract_start_date": "2026-03-20"
        }))
        .send()
        .await;
    changed.assert_status(200);
    let draft = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"client": attack(&mobile)["client"].clone()}}))
        .send()
        .await;
    draft.assert_status(201);
    assert_eq!(victim_row(&app), 1);
}
