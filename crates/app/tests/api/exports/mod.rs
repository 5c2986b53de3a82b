//! Issue #22 §4 over HTTP: the invoice list's new filters and buyer name, the sales and
//! receipts journals (CSV parsed back, JSON), the TVA report under both regimes on golden
//! figures, the revenue report, and who may read them.

mod access;
mod invoice_list;
mod receipts_journal;
mod revenue;
mod sales_journal;
mod tva;

use serde_json::{json, Value};
use time::macros::date;
use time::Date;

use crate::support::seed::SEED_RUN_ID;
use crate::support::{seed, Answer, TestApp};

/// March 2026's books: two clients, a 20 % and a 10 % offer, four invoices (three issued in
/// March), a partial credit note and two payments. The golden figures of the tests follow.
pub struct Books {
    pub app: TestApp,
    /// Token of a `billing` actor.
    pub billing: String,
    /// Token of a `collections` actor.
    pub collector: String,
    pub hajar: String,
    pub omar: String,
    pub mobile: String,
    /// `FAC-2026-000001`, Hajar, 1 March: mobile 100.00 + 20.00, internet 50.00 + 5.00.
    pub inv1: String,
    /// `FAC-2026-000002`, Omar, 5 March: mobile 83.33 + 16.67 = 100.00.
    pub inv2: String,
    /// `FAC-2026-000004`, Omar, 6 March: mobile 50.00 + 10.00.
    pub inv4: String,
}

/// A TVA-exact line: (offer, rate in basis points, amount excl. tax).
pub type Line<'a> = (&'a str, i32, i64);

fn tax(excl: i64, rate_bp: i32) -> i64 {
    (excl * i64::from(rate_bp) * 2 + 10_000) / 20_000
}

/// An invoice written as billing writes it, with this number, day and lines, on a contract
/// of its own; returns its id.
pub fn invoice(
    app: &TestApp,
    client_id: &str,
    number: &str,
    issue_date: Date,
    lines: &[Line<'_>],
) -> String {
    let contract = seed::contract(app, client_id, lines[0].0, date!(2025 - 01 - 01), "active");
    app.sql(&format!(
        "INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency, \
         actor_id, created_at, updated_at) VALUES ('{SEED_RUN_ID}', '2026-02', \
         DATE '{issue_date}', DATE '{issue_date}', 'completed', false, 'MAD', 'system', now(), \
         now()) ON CONFLICT (id) DO NOTHING"
    ));
    let id = format!("inv_{}", ulid::Ulid::new());
    let excl: i64 = lines.iter().map(|l| l.2).sum();
    let taxes: i64 = lines.iter().map(|l| tax(l.2, l.1)).sum();
    app.sql(&format!(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
         offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, \
         total_tax, total_incl_tax, amount_paid, currency, created_at, updated_at, \
         buyer_name, buyer_cin, buyer_address, buyer_city, service_identifier, \
         seller_identity_id) \
         SELECT '{id}', '{number}', '{SEED_RUN_ID}', '{client_id}', c.id, c.offer_id, \
         c.service_type, '2026-02', DATE '{issue_date}', DATE '{issue_date}' + 15, 'issued', \
         {excl}, {taxes}, {}, 0, 'MAD', now(), now(), \
         cl.first_name || ' ' || cl.last_name, cl.cin, cl.address, cl.city, \
         s.service_identifier, (SELECT min(id) FROM seller_identities) \
         FROM contracts c JOIN clients cl ON cl.id = c.client_id \
         JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = '{contract}'",
        excl + taxes
    ));
    for (position, (offer, rate_bp, amount)) in lines.iter().enumerate() {
        let t = tax(*amount, *rate_bp);
        app.sql(&format!(
            "INSERT INTO invoice_lines (invoice_id, position, description, offer_id, \
             start_date, end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, \
             tax_amount, amount_incl_tax) VALUES ('{id}', {}, 'Ligne', '{offer}', \
             DATE '2026-02-01', DATE '2026-02-28', 28, {amount}, {amount}, {rate_bp}, {t}, {})",
            position + 1,
            amount + t
        ));
    }
    id
}

/// Moves the clock to 09:00 UTC on `day`.
pub fn set_today(app: &TestApp, day: Date) {
    app.clock.set(time::OffsetDateTime::new_utc(
        day,
        time::Time::from_hms(9, 0, 0).unwrap(),
    ));
}

impl Books {
    /// The invoices only: no credit note, no payment.
    pub async fn invoices_only() -> Books {
        let app = TestApp::new().await;
        set_today(&app, date!(2026 - 03 - 20));
        let billing = app.actor_token(&["billing"]).await;
        let collector = app.actor_token(&["collections"]).await;
        let mobile = seed::offer(&app, "MOB-100", "mobile", 10_000);
        let internet = seed::offer(&app, "FIBRE-50", "internet", 5_000);
        app.sql(&format!(
            "UPDATE offers SET tax_rate_bp = 1000 WHERE id = '{internet}'"
        ));
        let hajar = seed::client(&app, "AB123456");
        let omar = seed::client(&app, "CD789012");
        app.sql(&format!(
            "UPDATE clients SET first_name = 'Omar', last_name = 'Alaoui' WHERE id = '{omar}'"
        ));
        let inv1 = invoice(
            &app,
            &hajar,
            "FAC-2026-000001",
            date!(2026 - 03 - 01),
            &[(&mobile, 2000, 10_000), (&internet, 1000, 5_000)],
        );
        let inv2 = invoice(
            &app,
            &omar,
            "FAC-2026-000002",
            date!(2026 - 03 - 05),
            &[(&mobile, 2000, 8_333)],
        );
        invoice(
            &app,
            &omar,
            "FAC-2026-000003",
            date!(2026 - 04 - 01),
            &[(&internet, 1000, 20_000)],
        );
        let inv4 = invoice(
            &app,
            &omar,
            "FAC-2026-000004",
            date!(2026 - 03 - 06),
            &[(&mobile, 2000, 5_000)],
        );
        Books {
            app,
            billing,
            collector,
            hajar,
            omar,
            mobile,
            inv1,
            inv2,
            inv4,
        }
    }

    /// The invoices, then on 20 March a credit note of 20.00 + 4.00 on `inv4`, Hajar's payment
    /// of `inv1` in full (175.00, received 15 March) and Omar's 50.00 on `inv2` (10 March).
    pub async fn march() -> Books {
        let books = Books::invoices_only().await;
        books
            .credit(&books.inv4, json!({"reason": "Geste commercial", "lines": [{"position": 1, "amount_excl_tax": 2_000}]}))
            .await;
        books
            .pay(&books.hajar, &books.inv1, 17_500, "2026-03-15")
            .await;
        books
            .pay(&books.omar, &books.inv2, 5_000, "2026-03-10")
            .await;
        books
    }

    /// Issues a credit note on `invoice_id`.
    pub async fn credit(&self, invoice_id: &str, body: Value) -> Value {
        let answer = self
            .app
            .post(&format!("/invoices/{invoice_id}/credit-notes"))
            .token(&self.billing)
            .header("idempotency-key", &ulid::Ulid::new().to_string())
            .json(&body)
            .send()
            .await;
        answer.assert_status(201);
        answer.json()
    }

    /// Posts a payment of `amount` by `client_id` aimed at `invoice_id`, received on `day`;
    /// returns its id.
    pub async fn pay(&self, client_id: &str, invoice_id: &str, amount: i64, day: &str) -> String {
        let answer = self
            .app
            .post("/collections/payments")
            .token(&self.collector)
            .header("idempotency-key", &ulid::Ulid::new().to_string())
            .json(&json!({
                "client_id": client_id,
                "invoice_id": invoice_id,
                "amount": amount,
                "method": "transfer",
                "reference": format!("VIR-{day}"),
                "received_at": day,
            }))
            .send()
            .await;
        answer.assert_status(201);
        answer.json()["payment_id"].as_str().unwrap().to_owned()
    }

    /// `GET path` as the billing actor.
    pub async fn get(&self, path: &str) -> Answer {
        self.app.get(path).token(&self.billing).send().await
    }
}

/// A CSV answer read back: the BOM checked and removed, records split on `;`, amounts with a
/// decimal comma turned into centimes by [`centimes`].
pub fn csv_records(answer: &Answer) -> Vec<Vec<String>> {
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let text = String::from_utf8(answer.body.clone()).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte-order mark");
    assert!(text.ends_with("\r\n"), "records end with CRLF");
    text.split("\r\n")
        .filter(|line| !line.is_empty())
        .map(|line| line.split(';').map(str::to_owned).collect())
        .collect()
}

/// `-1234,56` → -123456.
pub fn centimes(field: &str) -> i64 {
    let (units, cents) = field.split_once(',').expect("a decimal comma");
    assert_eq!(cents.len(), 2, "two decimals in {field}");
    let negative = units.starts_with('-');
    let value =
        units.trim_start_matches('-').parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
    if negative {
        -value
    } else {
        value
    }
}

/// The column `name` of records whose first record is the header.
pub fn column(records: &[Vec<String>], name: &str) -> Vec<String> {
    let index = records[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", records[0]));
    records[1..].iter().map(|r| r[index].clone()).collect()
}
