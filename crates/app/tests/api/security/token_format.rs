//! Issue #20, item 8: the lookup token was readable base64 containing the CIN. Every landing
//! token (lookup, contract document, invoice document) is now a random id and an expiry with
//! a MAC: nothing personal inside, and a token of one purpose never opens another.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::seed;

use super::landing_tokens::{document_urls, person};
use super::operations::document;
use super::unlimited_app;

/// Every byte sequence a token decodes to.
fn decoded(token: &str) -> Vec<Vec<u8>> {
    token
        .split('.')
        .map(|part| {
            URL_SAFE_NO_PAD
                .decode(part)
                .unwrap_or_else(|_| part.as_bytes().to_vec())
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn token_in(url: &str) -> String {
    url.split("token=").nth(1).unwrap_or_default().to_owned()
}

#[actix_web::test]
async fn tokens_carry_no_cin_no_id_and_do_not_cross_purposes() {
    let app = unlimited_app().await;
    let doc = document(&app).await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let a = person(&app, "AB123456", "Benkirane", &offer).await;
    let urls = document_urls(&app, &doc, &a).await;
    assert!(urls.iter().any(|u| u.contains("/contracts/")), "{urls:?}");
    let mut tokens = vec![a.lookup_token.clone()];
    tokens.extend(urls.iter().map(|u| token_in(u)));
    let invoice_ids: Vec<String> = urls
        .iter()
        .filter_map(|u| u.split("/invoices/").nth(1))
        .filter_map(|rest| rest.split('/').next())
        .map(str::to_owned)
        .collect();
    for token in &tokens {
        assert_eq!(token.split('.').count(), 2, "{token}");
        for part in decoded(token) {
            for secret in [
                a.cin,
                "ab123456",
                &a.client_id,
                &a.contract_id,
                "lookup",
                "ctrdoc",
            ] {
                assert!(!contains(&part, secret), "token {token} contains {secret}");
            }
            for id in &invoice_ids {
                assert!(!contains(&part, id), "token {token} contains {id}");
            }
        }
    }
    // Two tokens for the same thing differ (random part).
    let again = person_token(&app, a.cin).await;
    assert_ne!(again, a.lookup_token);

    // A lookup token does not open a document, a document token does not open the lookup.
    for url in &urls {
        let base = url.split('?').next().unwrap();
        app.get(&format!("{base}?token={}", a.lookup_token))
            .send()
            .await
            .assert_problem(403, "forbidden");
        let document_token = token_in(url);
        app.get(&format!(
            "/landing/clients/{}/subscriptions?lookup_token={document_token}",
            a.cin
        ))
        .send()
        .await
        .assert_problem(403, "forbidden");
    }
}

async fn person_token(app: &crate::support::TestApp, cin: &str) -> String {
    app.post("/landing/clients/verify-cin")
        .json(&serde_json::json!({ "cin": cin }))
        .send()
        .await
        .json()["lookup_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn old_readable_tokens_signed_with_the_same_secret_no_longer_open_anything() {
    let app = unlimited_app().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let a = person(&app, "AB123456", "Benkirane", &offer).await;
    // The former format: base64url("lookup|<CIN>|<expiry>") . base64url(HMAC(payload)).
    let expiry = (app.clock_now() + time::Duration::minutes(10)).unix_timestamp();
    let payload = format!("lookup|{}|{expiry}", a.cin);
    let mut mac = Hmac::<Sha256>::new_from_slice(b"test-secret-test-secret-test-secret").unwrap();
    mac.update(payload.as_bytes());
    let old = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload.as_bytes()),
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    app.get(&format!(
        "/landing/clients/{}/subscriptions?lookup_token={old}",
        a.cin
    ))
    .send()
    .await
    .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn tampered_and_expired_tokens_are_refused() {
    let app = unlimited_app().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let a = person(&app, "AB123456", "Benkirane", &offer).await;
    let path = |token: &str| {
        format!(
            "/landing/clients/{}/subscriptions?lookup_token={token}",
            a.cin
        )
    };
    let (body, mac) = a.lookup_token.split_once('.').unwrap();
    // Push the expiry a year later, keeping the MAC: refused.
    let mut raw = URL_SAFE_NO_PAD.decode(body).unwrap();
    let mut expiry = [0u8; 8];
    expiry.copy_from_slice(&raw[16..]);
    let later = i64::from_be_bytes(expiry) + 365 * 86_400;
    raw[16..].copy_from_slice(&later.to_be_bytes());
    let extended = format!("{}.{mac}", URL_SAFE_NO_PAD.encode(&raw));
    app.get(&path(&extended))
        .send()
        .await
        .assert_problem(403, "forbidden");
    app.get(&path(&a.lookup_token))
        .send()
        .await
        .assert_status(200);
    app.clock.advance(time::Duration::minutes(15));
    app.get(&path(&a.lookup_token))
        .send()
        .await
        .assert_problem(403, "forbidden");
}
