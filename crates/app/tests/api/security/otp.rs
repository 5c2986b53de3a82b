//! Issue #20, item 4: a CIN alone opened a client's personal data. With `MTF_LANDING_OTP=on`,
//! `verify-cin` only sends a one-time code to the details on file; the lookup token comes
//! from `verify-cin/confirm` with that code (6 digits, 5 minutes, 5 tries, stored hashed).

use domain::settings::Settings;
use serde_json::{json, Value};
use time::Duration;

use crate::support::{seed, Answer, TestApp};

const CIN: &str = "AB123456";
const CONFIRM: &str = "/landing/clients/verify-cin/confirm";

async fn otp_app() -> TestApp {
    TestApp::with_settings(Settings {
        landing_otp: true,
        verify_cin_per_minute: 1_000_000,
        landing_per_minute: 1_000_000,
        ..Settings::default()
    })
    .await
}

async fn verify(app: &TestApp, cin: &str) -> Answer {
    app.post("/landing/clients/verify-cin")
        .json(&json!({ "cin": cin }))
        .send()
        .await
}

async fn confirm(app: &TestApp, challenge: &str, code: &str) -> Answer {
    app.post(CONFIRM)
        .json(&json!({"challenge_id": challenge, "code": code}))
        .send()
        .await
}

/// A challenge for `cin` and the code the client received.
async fn challenge(app: &TestApp, cin: &str) -> (String, String) {
    let answer = verify(app, cin).await;
    answer.assert_status(200);
    let id = answer.json()["challenge_id"].as_str().unwrap().to_owned();
    let sent = app.otp_messages();
    let message = sent.last().unwrap();
    assert_eq!(message.challenge_id, id);
    (id, message.code.clone())
}

fn wrong(code: &str) -> String {
    if code == "000000" {
        "000001".into()
    } else {
        "000000".into()
    }
}

#[actix_web::test]
async fn with_the_code_on_a_cin_alone_gives_no_token_and_no_personal_data() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let answer = verify(&app, CIN).await;
    answer.assert_status(200);
    let body = answer.json();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["challenge_id", "channel", "masked_destination"]);
    assert_eq!(body["channel"], "sms");
    assert_eq!(body["masked_destination"], "06••••••78");
    let text = String::from_utf8_lossy(&answer.body);
    for secret in ["lookup_token", "Hajar", "Benkirane", "612345678", "hajar@"] {
        assert!(!text.contains(secret), "verify-cin leaked {secret}: {text}");
    }
    // The code went to the number on file, and only its hash is stored.
    let sent = app.otp_messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "+212612345678");
    assert!(sent[0].text.contains(&sent[0].code));
    let code = &sent[0].code;
    assert_eq!(code.len(), 6);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM landing_otp_challenges WHERE code_hash LIKE '%{code}%' \
             OR code_hash = '{code}'"
        )),
        0
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM landing_otp_challenges WHERE attempts_left = 5 \
                   AND expires_at = created_at + interval '5 minutes'"
        ),
        1
    );
    // The subscriptions stay closed without the confirmed token.
    app.get(&format!("/landing/clients/{CIN}/subscriptions"))
        .send()
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn the_right_code_gives_the_same_body_as_verify_cin_once() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let (id, code) = challenge(&app, CIN).await;
    let answer = confirm(&app, &id, &code).await;
    answer.assert_status(200);
    let body = answer.json();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["client", "expires_at", "lookup_token"]);
    assert_eq!(
        body["client"],
        json!({"first_name": "Hajar", "last_name_initial": "B."})
    );
    let token = body["lookup_token"].as_str().unwrap();
    app.get(&format!(
        "/landing/clients/{CIN}/subscriptions?lookup_token={token}"
    ))
    .send()
    .await
    .assert_status(200);
    // A code works once.
    confirm(&app, &id, &code)
        .await
        .assert_problem(422, "otp_expired");
}

#[actix_web::test]
async fn wrong_codes_count_down_and_the_fifth_spends_the_challenge() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let (id, code) = challenge(&app, CIN).await;
    for left in (0..5).rev() {
        let answer = confirm(&app, &id, &wrong(&code)).await;
        answer.assert_problem(422, "otp_invalid");
        assert_eq!(answer.json()["attempts_left"], left);
    }
    confirm(&app, &id, &code)
        .await
        .assert_problem(422, "otp_expired");
    assert_eq!(
        app.count("SELECT count(*) FROM landing_otp_challenges WHERE attempts_left = 0"),
        1
    );
}

#[actix_web::test]
async fn codes_expire_after_five_minutes() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let (id, code) = challenge(&app, CIN).await;
    app.clock.advance(Duration::minutes(5));
    confirm(&app, &id, &code)
        .await
        .assert_problem(422, "otp_expired");
}

#[actix_web::test]
async fn a_new_code_replaces_the_previous_one() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let (first, first_code) = challenge(&app, CIN).await;
    let (second, second_code) = challenge(&app, CIN).await;
    assert_ne!(first, second);
    confirm(&app, &first, &first_code)
        .await
        .assert_problem(404, "otp_challenge_not_found");
    confirm(&app, &second, &second_code)
        .await
        .assert_status(200);
    assert_eq!(app.count("SELECT count(*) FROM landing_otp_challenges"), 1);
}

#[actix_web::test]
async fn bad_confirmations_are_clear_errors_that_spend_nothing() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let (id, code) = challenge(&app, CIN).await;
    for bad in ["12345", "1234567", "12a456", ""] {
        let answer = confirm(&app, &id, bad).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), vec!["code"]);
    }
    confirm(&app, "otp_01JD0000000000000000000000", &code)
        .await
        .assert_problem(404, "otp_challenge_not_found");
    confirm(&app, "anything", &code)
        .await
        .assert_problem(404, "otp_challenge_not_found");
    app.post(CONFIRM)
        .json(&json!({"challenge_id": id}))
        .send()
        .await
        .assert_problem(400, "invalid_body");
    assert_eq!(
        app.count("SELECT count(*) FROM landing_otp_challenges WHERE attempts_left = 5"),
        1
    );
    verify(&app, "ZZ999999")
        .await
        .assert_problem(404, "client_not_found");
}

#[actix_web::test]
async fn without_a_mobile_the_code_goes_by_e_mail_and_without_either_it_is_refused() {
    let app = otp_app().await;
    let by_mail = seed::client(&app, CIN);
    app.sql(&format!(
        "UPDATE clients SET phone = '+212537000000' WHERE id = '{by_mail}'"
    ));
    let answer = verify(&app, CIN).await;
    answer.assert_status(200);
    assert_eq!(answer.json()["channel"], "email");
    assert_eq!(answer.json()["masked_destination"], "h•••@example.ma");
    let nowhere = seed::client(&app, "CD654321");
    app.sql(&format!(
        "UPDATE clients SET phone = NULL, email = NULL WHERE id = '{nowhere}'"
    ));
    verify(&app, "CD654321")
        .await
        .assert_problem(422, "otp_no_destination");
}

#[actix_web::test]
async fn the_portal_reads_the_mode_and_submit_new_takes_the_confirmed_token() {
    let app = otp_app().await;
    seed::client(&app, CIN);
    let bootstrap: Value = app.get("/landing/bootstrap").send().await.json();
    assert_eq!(bootstrap["otp"], true);
    let off = super::unlimited_app().await;
    assert_eq!(
        off.get("/landing/bootstrap").send().await.json()["otp"],
        false
    );
    // Off: no challenge can be confirmed.
    confirm(&off, "otp_01JD0000000000000000000000", "123456")
        .await
        .assert_problem(404, "otp_challenge_not_found");

    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let (id, code) = challenge(&app, CIN).await;
    let token = confirm(&app, &id, &code).await.json()["lookup_token"].clone();
    let answer = app
        .post("/landing/submit/new")
        .header("idempotency-key", "otp-sub-1")
        .json(&json!({
            "client": {"cin": CIN, "first_name": "Hajar", "last_name": "Benkirane"},
            "lookup_token": token,
            "offer_id": offer,
            "contract_start_date": "2026-03-15",
            "subscriber": {"service_identifier": "0661234567"}
        }))
        .send()
        .await;
    answer.assert_status(201);
}
