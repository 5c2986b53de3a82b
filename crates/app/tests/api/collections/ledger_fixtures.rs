//! Fixtures of the ledger tests: client credit written as it stands in the books (a payment's
//! unallocated amount, a credit note's credit remaining) and the ledger's identity.

use crate::support::{Answer, TestApp};

/// A payment of `amount` received on 1 January 2026 that nothing used: all of it is credit.
pub fn credit_payment(app: &TestApp, client_id: &str, amount: i64) -> String {
    let id = format!("pay_{}", ulid::Ulid::new());
    app.sql(&format!(
        "INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at, \
         unallocated_amount, actor_id, created_at, updated_at) VALUES ('{id}', '{client_id}', \
         {amount}, 'MAD', 'transfer', NULL, DATE '2026-01-01', {amount}, 'act_seed', \
         TIMESTAMPTZ '2026-01-01 09:00Z', TIMESTAMPTZ '2026-01-01 09:00Z')"
    ));
    id
}

/// A credit note of `amount` on `invoice_id` (already paid) whose whole value is client
/// credit, issued on `day` (`YYYY-MM-DD`).
pub fn credit_note(
    app: &TestApp,
    client_id: &str,
    invoice_id: &str,
    amount: i64,
    day: &str,
) -> String {
    let id = format!("cn_{}", ulid::Ulid::new());
    let number = app.count("SELECT count(*) FROM credit_notes") + 1;
    app.sql(&format!(
        "INSERT INTO credit_notes (id, credit_note_number, invoice_id, client_id, issue_date, \
         reason, total_excl_tax, total_tax, total_incl_tax, applied_to_invoice, \
         credited_to_balance, credit_remaining, currency, actor_id, created_at) VALUES \
         ('{id}', 'AV-2026-{number:06}', '{invoice_id}', '{client_id}', DATE '{day}', 'geste', \
         {amount}, 0, {amount}, 0, {amount}, {amount}, 'MAD', 'act_seed', \
         TIMESTAMPTZ '{day} 09:00Z')"
    ));
    id
}

/// The client's unused credit, straight from the documents.
pub fn credit_of(app: &TestApp, client_id: &str) -> i64 {
    app.count(&format!(
        "SELECT (COALESCE((SELECT sum(unallocated_amount) FROM payments \
         WHERE client_id = '{client_id}'), 0) + COALESCE((SELECT sum(credit_remaining) \
         FROM credit_notes WHERE client_id = '{client_id}'), 0))::int8"
    ))
}

/// The client's outstanding, straight from the invoices.
pub fn outstanding_of(app: &TestApp, client_id: &str) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(sum(total_incl_tax - amount_paid - credited_amount), 0)::int8 \
         FROM invoices WHERE client_id = '{client_id}'"
    ))
}

/// `POST /collections/refunds` with this key.
pub async fn refund(app: &TestApp, token: &str, key: &str, body: serde_json::Value) -> Answer {
    app.post("/collections/refunds")
        .token(token)
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await
}

/// `POST /collections/payments/{payment_id}/reversal` with this key.
pub async fn reverse(
    app: &TestApp,
    token: &str,
    payment_id: &str,
    key: &str,
    reason: &str,
) -> Answer {
    app.post(&format!("/collections/payments/{payment_id}/reversal"))
        .token(token)
        .header("idempotency-key", key)
        .json(&serde_json::json!({ "reason": reason }))
        .send()
        .await
}

/// `GET /customers/{client_id}/balance` as the admin.
pub async fn balance(app: &TestApp, client_id: &str) -> serde_json::Value {
    let answer = app
        .get(&format!("/customers/{client_id}/balance"))
        .admin()
        .send()
        .await;
    answer.assert_status(200);
    answer.json()
}

/// Checks the ledger's identity for the client through the API and the database:
/// `invoiced − credited − paid + refunded = outstanding − credit_available`, the figures
/// agree with the documents, and the statement closes on the same balance.
pub async fn assert_books_balance(app: &TestApp, client_id: &str) {
    let b = balance(app, client_id).await;
    let n = |k: &str| b[k].as_i64().unwrap();
    assert_eq!(
        n("invoiced") - n("credited") - n("paid") + n("refunded"),
        n("outstanding") - n("credit_available"),
        "identity: {b}"
    );
    assert_eq!(n("outstanding"), outstanding_of(app, client_id), "{b}");
    assert_eq!(n("credit_available"), credit_of(app, client_id), "{b}");
    let statement = app
        .get(&format!("/customers/{client_id}/statement?to=2099-12-31"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(
        statement["closing_balance"].as_i64().unwrap(),
        n("outstanding") - n("credit_available"),
        "{statement}"
    );
}
