//! Fixtures of the collections tests: a debtor with an active contract, invoices due on given
//! dates, cases in a given state, posting helpers and direct SQL reads.

use serde_json::{json, Value};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::support::{seed, Answer, TestApp};

/// A client with one active contract.
pub struct Debtor {
    pub client_id: String,
    pub contract_id: String,
}

/// A client with an active mobile contract; `tag` keeps CIN and offer code unique.
pub fn debtor(app: &TestApp, tag: &str) -> Debtor {
    let offer = seed::offer(app, &format!("MOB-{tag}"), "mobile", 10_000);
    let client_id = seed::client(app, &format!("K{tag}"));
    let start = time::macros::date!(2025 - 06 - 01);
    let contract_id = seed::contract(app, &client_id, &offer, start, "active");
    Debtor {
        client_id,
        contract_id,
    }
}

/// An issued invoice of the debtor due on `due` (issued 15 days before); returns its id.
pub fn invoice_due(app: &TestApp, debtor: &Debtor, due: Date, total: i64) -> String {
    let issue = due - Duration::days(15);
    // One invoice per contract and period: a further invoice of the same contract is given
    // its own well-formed month, January of 2000 + the count of invoices already there.
    let taken = app.count(&format!(
        "SELECT count(*) FROM invoices WHERE contract_id = '{}'",
        debtor.contract_id
    ));
    let period = if taken == 0 {
        format!("{}-{:02}", issue.year(), u8::from(issue.month()))
    } else {
        format!("{}-01", 2000 + taken)
    };
    seed::invoice(
        app,
        &debtor.client_id,
        &debtor.contract_id,
        &period,
        issue,
        due,
        total,
    )
}

/// Moves the clock to 09:00 UTC on `day`.
pub fn set_today(app: &TestApp, day: Date) {
    app.clock.set(OffsetDateTime::new_utc(
        day,
        Time::from_hms(9, 0, 0).unwrap(),
    ));
}

/// A token of a `collections` actor.
pub async fn collector(app: &TestApp) -> String {
    app.actor_token(&["collections"]).await
}

/// Posts a payment with a fresh idempotency key.
pub async fn pay(app: &TestApp, token: &str, body: Value) -> Answer {
    app.post("/collections/payments")
        .token(token)
        .header("idempotency-key", &ulid::Ulid::new().to_string())
        .json(&body)
        .send()
        .await
}

/// Runs dunning for `day` (moving the clock there first) and returns the report.
pub async fn dunning_on(app: &TestApp, token: &str, day: Date) -> Value {
    set_today(app, day);
    let answer = app
        .post("/collections/dunning/runs")
        .token(token)
        .json(&json!({"as_of": day.to_string()}))
        .send()
        .await;
    answer.assert_status(200);
    answer.json()
}

/// A case of `client_id` in `status`, written directly; returns its id.
pub fn case_in(app: &TestApp, client_id: &str, status: &str) -> String {
    let id = format!("case_{}", ulid::Ulid::new());
    let resolved = if matches!(status, "resolved" | "written_off" | "closed") {
        "now()"
    } else {
        "NULL"
    };
    app.sql(&format!(
        "INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at, \
         resolved_at, created_at, updated_at) VALUES ('{id}', '{client_id}', '{status}', 0, \
         now(), {resolved}, now(), now())"
    ));
    id
}

/// One text value selected by `query` (`SELECT … AS value`).
pub fn text(app: &TestApp, query: &str) -> String {
    use diesel::sql_types::Text;
    use diesel::{Connection, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        value: String,
    }
    let mut conn = diesel::PgConnection::establish(&app.db.url).unwrap();
    let row: Row = diesel::sql_query(query).get_result(&mut conn).unwrap();
    row.value
}

/// An invoice's (status, amount_paid).
pub fn invoice_state(app: &TestApp, invoice_id: &str) -> (String, i64) {
    let status = text(
        app,
        &format!("SELECT status AS value FROM invoices WHERE id = '{invoice_id}'"),
    );
    let paid = app.count(&format!(
        "SELECT amount_paid FROM invoices WHERE id = '{invoice_id}'"
    ));
    (status, paid)
}

/// A contract's status.
pub fn contract_status(app: &TestApp, contract_id: &str) -> String {
    text(
        app,
        &format!("SELECT status AS value FROM contracts WHERE id = '{contract_id}'"),
    )
}
