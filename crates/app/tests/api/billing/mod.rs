//! P11–P13 over HTTP against PostgreSQL: runs, numbering under concurrency and crashes,
//! invoices and their filters, PDFs, and the landing self-service.

mod concurrency;
mod credit_notes;
mod credit_notes_concurrency;
mod credit_notes_outstanding;
mod credit_notes_reads;
mod history;
mod invoice_offer_filter;
mod invoices;
mod landing;
mod pdf;
mod per_account;
mod runs;
mod snapshots;
mod ubl;
mod usage;

use serde_json::{json, Value};
use time::macros::date;

use crate::support::{seed, Answer, TestApp};

/// A small customer base with every billing situation of February 2026 (28 days).
pub struct World {
    pub app: TestApp,
    /// Token of a `billing` actor.
    pub billing: String,
    pub mobile: String,
    pub mobile_plus: String,
    pub internet: String,
    /// Client `AB123456`: `full_month` and `half_internet`.
    pub hajar: String,
    /// Client `CD789012`: `plan_change` and `terminated_mid`.
    pub omar: String,
    /// Mobile 99.00 since December: 9 900 + 1 980.
    pub full_month: String,
    /// Internet 299.00 from 15 February: 14/28 → 14 950 + 2 990.
    pub half_internet: String,
    /// Mobile 99.00 then 199.00 from 15 February: 4 950 + 990 and 9 950 + 1 990.
    pub plan_change: String,
    /// Terminated on 10 February: 10/28 of 9 900 = 3 535.71 → 3 536 + 707.
    pub terminated_mid: String,
}

/// Invoices February 2026 bills in `World`, and their sums.
pub const FEBRUARY_INVOICES: i64 = 4;
pub const FEBRUARY_EXCL: i64 = 9_900 + 14_950 + 4_950 + 9_950 + 3_536;
pub const FEBRUARY_TAX: i64 = 1_980 + 2_990 + 990 + 1_990 + 707;

impl World {
    pub async fn new() -> World {
        let app = TestApp::new().await;
        let billing = app.actor_token(&["billing"]).await;
        let mobile = seed::offer(&app, "MOB-99", "mobile", 9_900);
        let mobile_plus = seed::offer(&app, "MOB-199", "mobile", 19_900);
        let internet = seed::offer(&app, "FIBRE-299", "internet", 29_900);
        let hajar = seed::client(&app, "AB123456");
        let omar = seed::client(&app, "CD789012");
        let full_month = seed::contract(&app, &hajar, &mobile, date!(2025 - 12 - 01), "active");
        let half_internet =
            seed::contract(&app, &hajar, &internet, date!(2026 - 02 - 15), "active");
        let plan_change = seed::contract(&app, &omar, &mobile, date!(2025 - 01 - 01), "active");
        seed::plan_change(&app, &plan_change, &mobile_plus, date!(2026 - 02 - 15));
        let terminated_mid = seed::contract(&app, &omar, &mobile, date!(2025 - 06 - 01), "active");
        seed::terminate(&app, &terminated_mid, date!(2026 - 02 - 10));
        // Never billed in February: pending, cancelled, ended in January, starting in March.
        seed::contract(&app, &omar, &mobile, date!(2026 - 01 - 01), "pending");
        seed::contract(&app, &omar, &mobile, date!(2026 - 01 - 01), "cancelled");
        let ended = seed::contract(&app, &omar, &mobile, date!(2025 - 01 - 01), "active");
        seed::terminate(&app, &ended, date!(2026 - 01 - 20));
        seed::contract(&app, &omar, &mobile, date!(2026 - 03 - 05), "active");
        World {
            app,
            billing,
            mobile,
            mobile_plus,
            internet,
            hajar,
            omar,
            full_month,
            half_internet,
            plan_change,
            terminated_mid,
        }
    }

    /// `POST /billing/runs` as the billing actor with this key and body.
    pub async fn run(&self, key: &str, body: Value) -> Answer {
        self.app
            .post("/billing/runs")
            .token(&self.billing)
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
    }

    /// Bills February 2026, issued 1 March; returns the run's answer body.
    pub async fn bill_february(&self) -> Value {
        let answer = self
            .run(
                "feb-1",
                json!({"period": "2026-02", "issue_date": "2026-03-01"}),
            )
            .await;
        answer.assert_status(201);
        answer.json()
    }

    /// The invoice of `contract_id` (as JSON, through the API).
    pub async fn invoice_of(&self, contract_id: &str) -> Value {
        let answer = self
            .app
            .get("/invoices?limit=500")
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["contract_id"] == contract_id)
            .cloned()
            .unwrap_or_else(|| panic!("no invoice for {contract_id}"))
    }
}

/// The invoice numbers in the database, in order.
pub fn invoice_numbers(app: &TestApp) -> Vec<String> {
    use diesel::{QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = diesel::sql_types::Text)]
        invoice_number: String,
    }
    let mut conn = app.db.connect();
    diesel::sql_query("SELECT invoice_number FROM invoices ORDER BY invoice_number")
        .load::<Number>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|n| n.invoice_number)
        .collect()
}

/// `FAC-2026-000001` … `FAC-2026-{count}`: the only acceptable numbering of `count` invoices.
pub fn gapless(count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("FAC-2026-{n:06}")).collect()
}
