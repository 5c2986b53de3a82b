//! Fixtures of the payment-import tests: debtors with numbered invoices, file uploads.

use time::macros::date;

use super::fixtures::{debtor, invoice_due, set_today, Debtor};
use crate::support::{Answer, TestApp};

/// The day every import test runs on.
pub fn import_day(app: &TestApp) {
    set_today(app, date!(2026 - 11 - 10));
}

/// A debtor (CIN `K{tag}`) with one issued invoice of `total` numbered `number`; returns the
/// debtor and the invoice id.
pub fn debtor_with_invoice(app: &TestApp, tag: &str, number: &str, total: i64) -> (Debtor, String) {
    let d = debtor(app, tag);
    let invoice = invoice_due(app, &d, date!(2026 - 11 - 15), total);
    app.sql(&format!(
        "UPDATE invoices SET invoice_number = '{number}' WHERE id = '{invoice}'"
    ));
    (d, invoice)
}

/// Uploads a bank file with a fresh idempotency key.
pub async fn upload(app: &TestApp, token: &str, content_type: &str, body: &str) -> Answer {
    upload_with_key(
        app,
        token,
        content_type,
        body,
        &ulid::Ulid::new().to_string(),
    )
    .await
}

/// Uploads a bank file with this idempotency key.
pub async fn upload_with_key(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: &str,
    key: &str,
) -> Answer {
    app.post("/collections/payment-imports")
        .token(token)
        .header("idempotency-key", key)
        .raw(content_type, body.as_bytes().to_vec())
        .send()
        .await
}

/// The status of each line, in order.
pub fn statuses(answer: &serde_json::Value) -> Vec<String> {
    answer["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["status"].as_str().unwrap_or_default().to_owned())
        .collect()
}
