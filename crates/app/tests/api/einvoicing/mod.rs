//! E-invoicing (issue #18) over HTTP against PostgreSQL: clearance by the simulator behind
//! the `TaxAuthority` port, documents refused until cleared, the QR code of cleared PDFs,
//! rejections corrected by a credit note, and the operators' status.

mod clearance;
mod events;
mod landing;
mod off;
mod qr;
mod reissue;
mod rejection;
mod sealing;
mod unavailable;

use std::sync::Arc;
use std::time::Duration;

use app::einvoicing::{Simulator, SimulatorHandle};
use domain::einvoicing::{ClearanceSettings, ClearanceWorker};
use domain::settings::Settings;
use domain::tokens::TokenPurpose;
use serde_json::{json, Value};
use time::macros::date;

use crate::support::{seed, Answer, TestApp};

/// An application with e-invoicing on (`MTF_EINVOICING=simulator`), one client `AB123456`
/// with one mobile contract (9 900 + 1 980 a month), and the worker that submits documents.
pub struct World {
    pub app: TestApp,
    /// Token of a `billing` actor.
    pub billing: String,
    /// The simulator's steering.
    pub simulator: SimulatorHandle,
    /// The clearance worker, on the app's manual clock.
    pub worker: ClearanceWorker,
}

/// Retries 30 s after an unavailable platform, doubled each time.
/// An app with e-invoicing off (the default) whose one active contract was billed for
/// `period` (`YYYY-MM`) on `issue_date`: the baseline the "off" tests compare against.
pub async fn billed_without_einvoicing(period: &str, issue_date: &str) -> TestApp {
    let app = TestApp::new().await;
    let mobile = seed::offer(&app, "MOB-99", "mobile", 9_900);
    let client = seed::client(&app, "AB123456");
    seed::contract(&app, &client, &mobile, date!(2025 - 12 - 01), "active");
    app.post("/billing/runs")
        .admin()
        .header("idempotency-key", "run")
        .json(&json!({"period": period, "issue_date": issue_date}))
        .send()
        .await
        .assert_status(201);
    app
}

pub fn test_clearance_settings() -> ClearanceSettings {
    ClearanceSettings {
        batch: 10,
        lease: Duration::from_secs(60),
        backoff_base: Duration::from_secs(30),
        backoff_max: Duration::from_secs(600),
    }
}

impl World {
    pub async fn new() -> World {
        let app = TestApp::with_settings(Settings {
            einvoicing: true,
            ..Settings::default()
        })
        .await;
        let billing = app.actor_token(&["billing"]).await;
        let mobile = seed::offer(&app, "MOB-99", "mobile", 9_900);
        let client = seed::client(&app, "AB123456");
        seed::contract(&app, &client, &mobile, date!(2025 - 12 - 01), "active");
        let (simulator, handle) = Simulator::new(app.clock.clone());
        let worker = app::wiring::clearance_worker(
            &app.services.ports,
            Arc::new(simulator),
            test_clearance_settings(),
        );
        World {
            app,
            billing,
            simulator: handle,
            worker,
        }
    }

    /// Bills `period` (`YYYY-MM`) with this idempotency key; the run's answer.
    pub async fn bill(&self, period: &str, issue_date: &str) -> Value {
        let answer = self
            .app
            .post("/billing/runs")
            .token(&self.billing)
            .header("idempotency-key", &format!("run-{period}"))
            .json(&json!({"period": period, "issue_date": issue_date}))
            .send()
            .await;
        answer.assert_status(201);
        answer.json()
    }

    /// Bills February 2026 and returns its one invoice (JSON).
    pub async fn bill_february(&self) -> Value {
        self.bill("2026-02", "2026-03-01").await;
        self.invoices().await.remove(0)
    }

    /// Every invoice, through the list.
    pub async fn invoices(&self) -> Vec<Value> {
        let answer = self.app.get("/invoices").token(&self.billing).send().await;
        answer.assert_status(200);
        answer.json()["items"].as_array().unwrap().clone()
    }

    /// One invoice, through its own endpoint.
    pub async fn invoice(&self, id: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/invoices/{id}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }

    /// One worker round, as the server's worker runs it; the documents it claimed.
    pub fn submit_due(&self) -> usize {
        self.worker.run_round().unwrap()
    }

    /// `GET /invoices/{id}/pdf` as the billing actor.
    pub async fn invoice_pdf(&self, id: &str) -> Answer {
        self.app
            .get(&format!("/invoices/{id}/pdf"))
            .token(&self.billing)
            .send()
            .await
    }

    /// The client's landing list (invoices and credit notes).
    pub async fn landing_items(&self) -> Vec<Value> {
        let token = self.app.services.ports.tokens.issue(
            TokenPurpose::Lookup,
            "AB123456",
            self.app.clock_now() + time::Duration::minutes(15),
        );
        let answer = self
            .app
            .get(&format!(
                "/landing/clients/AB123456/invoices?lookup_token={token}"
            ))
            .send()
            .await;
        answer.assert_status(200);
        answer.json()["items"].as_array().unwrap().clone()
    }

    /// The landing list's item of the client's invoice `id`.
    pub async fn landing_item(&self, id: &str) -> Value {
        self.landing_items()
            .await
            .into_iter()
            .find(|i| i["kind"] == "invoice" && i["invoice_id"] == id)
            .unwrap()
    }

    /// The landing's download link of the client's invoice `id` (the list offers one once
    /// the invoice is cleared).
    pub async fn landing_link(&self, id: &str) -> String {
        let item = self.landing_item(id).await;
        item["document_download_url"]
            .as_str()
            .unwrap_or_else(|| panic!("no link offered: {item}"))
            .to_owned()
    }

    /// A landing link to invoice `id`'s document with a token issued directly, as an old or
    /// forged link would carry: the document endpoint itself must refuse it until cleared.
    pub fn direct_link(&self, id: &str) -> String {
        let token = self.app.services.ports.tokens.issue(
            TokenPurpose::InvoiceDocument,
            id,
            self.app.clock_now() + time::Duration::minutes(15),
        );
        format!("/landing/invoices/{id}/document?token={token}")
    }

    /// `GET /einvoicing/status` as the billing actor.
    pub async fn status(&self) -> Value {
        let answer = self
            .app
            .get("/einvoicing/status")
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }
}
