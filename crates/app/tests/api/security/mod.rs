//! Whole-system security suite, driven by the OpenAPI document the application serves, so an
//! operation merged later is covered without editing these tests: credentials and roles on
//! every internal operation, hostile inputs on every operation, landing tokens, rate limits.
//! Every response of the suite is checked not to be a 5xx.

mod access;
mod actors;
mod bounds;
mod downloads;
mod draft_ids;
mod edges;
mod forwarded;
mod gateway;
mod inputs;
mod landing_tokens;
mod operations;
mod otp;
mod rate_limits;
mod submit_existing_cin;
mod text_fields;
mod token_format;
mod typed_ids;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::Method;
use domain::settings::Settings;

use crate::support::{Answer, Call, TestApp};

/// Requests sent by the suite (printed by each test, for the reliability report).
static REQUESTS: AtomicUsize = AtomicUsize::new(0);

/// A test application whose landing rate limits do not get in the way of loops over every
/// operation (the limits have their own tests).
pub async fn unlimited_app() -> TestApp {
    TestApp::with_settings(Settings {
        verify_cin_per_minute: 1_000_000,
        landing_per_minute: 1_000_000,
        verify_cin_per_cin_per_hour: 1_000_000,
        drafts_per_address: 1_000_000,
        ..Settings::default()
    })
    .await
}

/// Sends `call` and fails on any 5xx, naming `what` was sent.
#[track_caller]
pub fn checked(answer: Answer, what: &str) -> Answer {
    REQUESTS.fetch_add(1, Ordering::Relaxed);
    assert!(
        answer.status < 500,
        "{what} answered {}: {}",
        answer.status,
        String::from_utf8_lossy(&answer.body)
    );
    answer
}

/// Sends a request and checks it is not a 5xx.
pub async fn send(call: Call<'_>, what: &str) -> Answer {
    checked(call.send().await, what)
}

/// Prints how many requests this test binary has checked so far.
pub fn report(test: &str, assertions: usize) {
    eprintln!(
        "security: {test}: {assertions} assertions, {} requests checked in this process",
        REQUESTS.load(Ordering::Relaxed)
    );
}

/// Status and body text of an answer, for failure messages.
pub fn describe(answer: &Answer) -> String {
    format!(
        "{} {}",
        answer.status,
        String::from_utf8_lossy(&answer.body)
            .chars()
            .take(400)
            .collect::<String>()
    )
}

/// Fails listing every collected failure (so one run shows them all).
#[track_caller]
pub fn assert_none(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The HTTP method of an OpenAPI method name.
pub fn method(name: &str) -> Method {
    Method::from_bytes(name.to_uppercase().as_bytes()).expect("method")
}
