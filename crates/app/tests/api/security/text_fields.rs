//! Issue #20, items 5 and 8: text fields refuse control characters, ANSI escapes and bidi
//! controls (a first name holding them was greeted back by `verify-cin`), printed fields
//! refuse what the documents cannot print (Arabic came out as `????`), and a contract never
//! loses a long name or address (genpdf dropped a word wider than its column).

use serde_json::{json, Value};

use crate::landing::{get_url, new_subscription, submit_new, CIN};
use crate::support::pdf_text::text_of;
use crate::support::{seed, Answer, TestApp};

/// Clears the screen and paints red: shown raw in a terminal or a log viewer.
const ANSI: &str = "Hajar\u{1b}[2J\u{1b}[31m";
/// Right-to-left override: `Benkirane` spelt backwards displays forwards.
const BIDI: &str = "\u{202E}eriknneB";
/// C1 control (NEL) inside the text, where trimming does not remove it.
const C1: &str = "12 rue\u{85}Talaa";
/// Arabic script: the documents' built-in fonts cannot print it.
const ARABIC: &str = "حجر";

/// Asserts a 422 `validation_failed` naming exactly `fields`, and returns the messages.
#[track_caller]
fn assert_refused(answer: &Answer, fields: &[&str]) -> Vec<String> {
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), fields);
    answer.json()["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn offer_body(name: &str, description: &str) -> Value {
    json!({"code": "MOB-TXT", "name": name, "description": description,
           "service_type": "mobile", "monthly_price": 9_900})
}

fn client_body(first_name: &str, last_name: &str, address: &str, city: &str) -> Value {
    json!({"cin": "AB123456", "first_name": first_name, "last_name": last_name,
           "email": null, "phone": null, "birth_date": null, "status": null,
           "address": address, "city": city})
}

#[actix_web::test]
async fn offer_names_and_descriptions_refuse_controls_and_bidi_names_refuse_arabic() {
    let app = TestApp::new().await;
    for (name, description, fields) in [
        (ANSI, "ok", vec!["name"]),
        ("Forfait", "Appels\u{1b}[8m illimités", vec!["description"]),
        (BIDI, "\u{2066}19 MAD\u{2069}", vec!["name", "description"]),
        (ARABIC, "ok", vec!["name"]),
    ] {
        let answer = app
            .post("/offers")
            .admin()
            .json(&offer_body(name, description))
            .send()
            .await;
        let messages = assert_refused(&answer, &fields);
        if name == ARABIC {
            assert!(messages[0].contains("Latin script only"), "{messages:?}");
        }
    }
    assert_eq!(app.count("SELECT count(*) FROM offers"), 0);
    // Arabic is shown, not printed, in a description; line feeds keep a description's lines.
    app.post("/offers")
        .admin()
        .json(&offer_body("Forfait 20 Go", "باقة شهرية\nSans engagement"))
        .send()
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn client_fields_refuse_controls_bidi_and_arabic_on_create_and_update() {
    let app = TestApp::new().await;
    let answer = app
        .post("/customers")
        .admin()
        .json(&client_body(ANSI, BIDI, C1, ARABIC))
        .send()
        .await;
    let messages = assert_refused(&answer, &["first_name", "last_name", "address", "city"]);
    assert!(messages[0].contains("U+001B"), "{messages:?}");
    assert!(messages[1].contains("bidirectional"), "{messages:?}");
    assert!(messages[3].contains("Latin script only"), "{messages:?}");
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);

    let id = seed::client(&app, "AB123456");
    let answer = app
        .put(&format!("/customers/{id}"))
        .admin()
        .json(&client_body(
            "Hajar",
            "Benkirane\u{7f}",
            "12 rue Talaa",
            "Fès",
        ))
        .send()
        .await;
    assert_refused(&answer, &["last_name"]);
    assert_eq!(
        app.count("SELECT count(*) FROM clients WHERE last_name = 'Benkirane'"),
        1
    );
}

#[actix_web::test]
async fn the_landing_refuses_a_first_name_verify_cin_would_greet_the_public_with() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    for (first_name, city) in [(ANSI, "Fès"), (BIDI, "Fès"), ("Hajar", ARABIC)] {
        let mut request = new_subscription(&offer);
        request["client"]["first_name"] = json!(first_name);
        request["client"]["city"] = json!(city);
        let answer = submit_new(&app, &ulid::Ulid::new().to_string(), &request).await;
        let field = if city == ARABIC {
            "client.city"
        } else {
            "client.first_name"
        };
        assert_refused(&answer, &[field]);
    }
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);
    // So verify-cin has no one to greet.
    app.post("/landing/clients/verify-cin")
        .json(&json!({"cin": CIN}))
        .send()
        .await
        .assert_problem(404, "client_not_found");
}

#[actix_web::test]
async fn verify_cin_never_greets_the_public_with_controls_stored_before_the_rule() {
    let app = TestApp::new().await;
    let id = seed::client(&app, CIN);
    app.sql(&format!(
        "UPDATE clients SET first_name = E'Ha\\x1b[2Jjar\\u202E', \
         last_name = E'\\u202Ebenkirane' WHERE id = '{id}'"
    ));
    let answer = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": CIN}))
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(
        answer.json()["client"],
        json!({"first_name": "Ha[2Jjar", "last_name_initial": "B."})
    );
}

#[actix_web::test]
async fn landing_drafts_refuse_escaped_and_raw_controls_in_their_strings() {
    let app = TestApp::new().await;
    for payload in [
        json!({"client": {"first_name": ANSI}}),
        json!({"client": {"last_name": BIDI}}),
        json!({"notes": ["ok", "a\u{9b}b"]}),
    ] {
        let answer = app
            .post("/landing/drafts")
            .json(&json!({"payload": payload}))
            .send()
            .await;
        assert_refused(&answer, &["payload"]);
    }
    assert_eq!(app.count("SELECT count(*) FROM drafts"), 0);
    app.post("/landing/drafts")
        .json(&json!({"payload": {"client": {"first_name": "Hajar", "note": "l1\nl2"}}}))
        .send()
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn operator_free_text_refuses_controls_and_bidi() {
    let app = TestApp::new().await;
    let client = seed::client(&app, "AB123456");
    let offer = seed::offer(&app, "MOB-99", "mobile", 9_900);
    let start = time::macros::date!(2026 - 01 - 01);
    let contract = seed::contract(&app, &client, &offer, start, "active");

    let answer = app
        .put(&format!("/contracts/{contract}/status"))
        .admin()
        .json(&json!({"status": "suspended", "reason": "impayé\u{1b}[0m"}))
        .send()
        .await;
    assert_refused(&answer, &["reason"]);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contracts WHERE id = '{contract}' AND status = 'active'"
        )),
        1
    );

    let answer = app
        .post("/collections/payments")
        .admin()
        .header("idempotency-key", "text-1")
        .json(
            &json!({"client_id": client, "amount": 1_000, "method": "cash",
                      "reference": "REC-\u{202E}1"}),
        )
        .send()
        .await;
    assert_refused(&answer, &["reference"]);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);

    let case = "case_01JD0000000000000000000000";
    let answer = app
        .post(&format!("/collections/cases/{case}/actions"))
        .admin()
        .json(&json!({"action_type": "call", "note": "no answer\u{1b}]0;owned\u{7}"}))
        .send()
        .await;
    assert_refused(&answer, &["note"]);

    let answer = app
        .post("/admin/actors")
        .admin()
        .json(&json!({"name": "Salma\u{200F}", "roles": ["viewer"]}))
        .send()
        .await;
    assert_refused(&answer, &["name"]);
}

/// The contract PDF of a landing subscription for `client` fields, as a client downloads it.
async fn contract_text(app: &TestApp, client: Value) -> String {
    let offer = seed::offer(app, "MOB-100", "mobile", 10_000);
    let mut request = new_subscription(&offer);
    request["client"] = client;
    let answer = submit_new(app, "sub-1", &request).await;
    answer.assert_status(201);
    let url = answer.json()["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = get_url(app, &url).await;
    pdf.assert_status(200);
    text_of(&pdf.body)
}

/// Whitespace aside (a word broken across lines ends a line), `value` is in `text` whole.
#[track_caller]
fn assert_printed_in_full(text: &str, value: &str) {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert!(
        squeeze(text).contains(&squeeze(value)),
        "missing {value:?} in:\n{text}"
    );
}

#[actix_web::test]
async fn the_reported_long_last_name_and_address_are_printed_on_the_contract() {
    let app = TestApp::new().await;
    let last_name = "Benkirane-El-Idrissi-Alaoui-Mdaghri-Lahlou-Sqalli-Benjelloun";
    assert_eq!(last_name.chars().count(), 60);
    let text = contract_text(
        &app,
        json!({"cin": CIN, "first_name": "Hajar", "last_name": last_name,
               "address": "Résidence-Al-Manar-Immeuble-12-Appartement-34-Hay-Riad",
               "city": "Rabat"}),
    )
    .await;
    assert_printed_in_full(&text, &format!("Hajar {last_name}"));
    assert_printed_in_full(
        &text,
        "Résidence-Al-Manar-Immeuble-12-Appartement-34-Hay-Riad, Rabat",
    );
    assert_printed_in_full(&text, "Fait le 10/03/2026.");
}

#[actix_web::test]
async fn the_longest_accepted_client_fields_are_printed_on_the_contract() {
    use domain::clients::input::{MAX_ADDRESS_CHARS, MAX_CITY_CHARS, MAX_NAME_CHARS};
    let app = TestApp::new().await;
    let unbroken = |n: usize| "WÉMÇwéàœ€Ÿ".chars().cycle().take(n).collect::<String>();
    let (first, last) = (unbroken(MAX_NAME_CHARS), unbroken(MAX_NAME_CHARS));
    let (address, city) = (unbroken(MAX_ADDRESS_CHARS), unbroken(MAX_CITY_CHARS));
    let text = contract_text(
        &app,
        json!({"cin": CIN, "first_name": first, "last_name": last,
               "address": address, "city": city}),
    )
    .await;
    for value in [&first, &last, &address, &city] {
        assert_printed_in_full(&text, value);
    }
    // One character more is refused, naming the field and its limit.
    let offer = seed::offer(&app, "MOB-200", "mobile", 10_000);
    let mut request = new_subscription(&offer);
    request["client"]["last_name"] = json!(unbroken(MAX_NAME_CHARS + 1));
    let answer = submit_new(&app, "sub-2", &request).await;
    let messages = assert_refused(&answer, &["client.last_name"]);
    assert!(messages[0].contains(&MAX_NAME_CHARS.to_string()));
}
