//! P4–P6 over HTTP: provisioning, manual path, lifecycle, offer changes, audit, documents.

mod backdated;
mod documents;
mod lifecycle;
mod manual;
mod offer_change;
mod provision;
mod reads;

use serde_json::{json, Value};

use crate::support::{seed, Answer, TestApp};

/// A test app with an agent, an active client and an active mobile offer (99 MAD HT, 12
/// months).
pub struct Setup {
    pub app: TestApp,
    pub agent: String,
    pub agent_id: String,
    pub client_id: String,
    pub offer_id: String,
}

impl Setup {
    pub async fn new() -> Setup {
        let app = TestApp::new().await;
        let agent = app.actor_token(&["agent"]).await;
        let agent_id = app.get("/me").token(&agent).send().await.json()["actor_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let client_id = seed::client(&app, "AB123456");
        let offer_id = seed::offer(&app, "MOB-99", "mobile", 9_900);
        Setup {
            app,
            agent,
            agent_id,
            client_id,
            offer_id,
        }
    }

    /// The provisioning body of the process map, for `line`.
    pub fn provision_body(&self, line: &str) -> Value {
        json!({
            "offer_id": self.offer_id,
            "contract_start_date": "2026-03-15",
            "commitment_months": 12,
            "client_id": self.client_id,
            "subscriber": {"service_identifier": line},
            "provisioning_intent": "auto"
        })
    }

    /// `POST /contracts/provision` as the agent.
    pub async fn provision(&self, body: &Value) -> Answer {
        self.app
            .post("/contracts/provision")
            .token(&self.agent)
            .json(body)
            .send()
            .await
    }

    /// Provisions `line` and returns the contract id.
    pub async fn contract_on(&self, line: &str) -> String {
        let answer = self.provision(&self.provision_body(line)).await;
        answer.assert_status(201);
        answer.json()["id"].as_str().unwrap().to_owned()
    }

    /// `PUT /contracts/{id}/status` as the agent.
    pub async fn set_status(&self, contract_id: &str, body: Value) -> Answer {
        self.app
            .put(&format!("/contracts/{contract_id}/status"))
            .token(&self.agent)
            .json(&body)
            .send()
            .await
    }

    /// `GET /contracts/{id}` as the agent.
    pub async fn contract(&self, contract_id: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/contracts/{contract_id}"))
            .token(&self.agent)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }

    /// The contract's audit entries.
    pub async fn audit(&self, contract_id: &str) -> Vec<Value> {
        let answer = self
            .app
            .get(&format!("/contracts/{contract_id}/audit"))
            .token(&self.agent)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()["items"].as_array().unwrap().clone()
    }

    /// The contract's offer periods as `start end price offer_id` lines (`open` end while
    /// current), read through `ContractRepository::offer_periods` (billing's view).
    pub fn periods(&self, contract_id: &str) -> Vec<String> {
        let periods = domain::tx::transaction(self.app.services.ports.tx.as_ref(), |uow| {
            uow.contracts()
                .offer_periods(&domain::typed_ids::ContractId::from_stored(contract_id))
        })
        .unwrap();
        periods
            .into_iter()
            .map(|p| {
                let end = p.end_date.map_or("open".to_owned(), |d| d.to_string());
                format!(
                    "{} {end} {} {}",
                    p.start_date,
                    p.monthly_price.centimes(),
                    p.offer_id
                )
            })
            .collect()
    }

    /// Rows of `table` (a quick "nothing changed" check).
    pub fn rows(&self, table: &str) -> i64 {
        self.app.count(&format!("SELECT count(*) FROM {table}"))
    }
}

/// The text a PDF shows (shared decoder of the built-in WinAnsiEncoding fonts).
pub use crate::support::pdf_text::text_of as pdf_text;
