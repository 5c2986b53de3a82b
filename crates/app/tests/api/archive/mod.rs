//! Issue #18, the tamper-evident archive: documents sealed after issue in number order, the
//! chain rule over the stored rows, and `GET /archive/verify` finding a break where a row
//! was edited directly in SQL.

mod breaks;
mod sealing;
mod verify;

use diesel::{QueryableByName, RunQueryDsl};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::billing::World;
use crate::support::Answer;

/// The billing world of February 2026 (invoices `FAC-2026-000001`…`000004`, issued 1 March),
/// a credit note on the first (`AV-2026-000001`, 10 March) and two provisioned contracts
/// (their first documents, 10 March).
pub struct Archive {
    pub w: World,
    /// Invoice ids in number order.
    pub invoices: Vec<String>,
    pub credit_note: String,
    pub contracts: Vec<String>,
}

impl Archive {
    /// Everything issued, nothing sealed yet.
    pub async fn issued() -> Archive {
        let w = World::new().await;
        w.bill_february().await;
        let invoices = ids(&w, "SELECT id FROM invoices ORDER BY invoice_number");
        let note = w
            .app
            .post(&format!("/invoices/{}/credit-notes", invoices[0]))
            .token(&w.billing)
            .header("idempotency-key", "archive-note-1")
            .json(&json!({"reason": "Geste commercial"}))
            .send()
            .await;
        note.assert_status(201);
        let credit_note = note.json()["id"].as_str().unwrap().to_owned();
        let agent = w.app.actor_token(&["agent"]).await;
        let mut contracts = Vec::new();
        for line in ["0612300001", "0612300002"] {
            let answer = w
                .app
                .post("/contracts/provision")
                .token(&agent)
                .json(&json!({
                    "offer_id": w.mobile,
                    "contract_start_date": "2026-03-15",
                    "commitment_months": 12,
                    "client_id": w.hajar,
                    "subscriber": {"service_identifier": line},
                    "provisioning_intent": "auto"
                }))
                .send()
                .await;
            answer.assert_status(201);
            contracts.push(answer.json()["id"].as_str().unwrap().to_owned());
        }
        Archive {
            w,
            invoices,
            credit_note,
            contracts,
        }
    }

    /// Everything issued and sealed.
    pub async fn sealed() -> Archive {
        let archive = Archive::issued().await;
        archive.seal();
        archive
    }

    /// Runs the sealer until nothing is left; the number sealed.
    pub fn seal(&self) -> usize {
        let mut total = 0;
        loop {
            let sealed = self.w.app.archive.seal(100).expect("seal");
            if sealed == 0 {
                return total;
            }
            total += sealed;
        }
    }

    /// `GET /archive/verify` over March 2026 as the billing actor.
    pub async fn verify_march(&self) -> Value {
        let answer = self.verify("from=2026-03-01&to=2026-03-31").await;
        answer.assert_status(200);
        answer.json()
    }

    /// `GET /archive/verify?{query}` as the billing actor.
    pub async fn verify(&self, query: &str) -> Answer {
        self.w
            .app
            .get(&format!("/archive/verify?{query}"))
            .token(&self.w.billing)
            .send()
            .await
    }

    /// The stored entries of a series, in position order.
    pub fn entries(&self, series: &str) -> Vec<Entry> {
        let mut conn = self.w.app.db.connect();
        diesel::sql_query(format!(
            "SELECT position, document_id, version, number, pdf_sha256, ubl_sha256, \
             chain_sha256 FROM archive_entries WHERE series = '{series}' ORDER BY position"
        ))
        .load(&mut conn)
        .unwrap()
    }
}

/// A row of `archive_entries`.
#[derive(Debug, Clone, QueryableByName)]
pub struct Entry {
    #[diesel(sql_type = diesel::sql_types::Int8)]
    pub position: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub document_id: String,
    #[diesel(sql_type = diesel::sql_types::Int4)]
    pub version: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub number: String,
    #[diesel(sql_type = diesel::sql_types::Bytea)]
    pub pdf_sha256: Vec<u8>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bytea>)]
    pub ubl_sha256: Option<Vec<u8>>,
    #[diesel(sql_type = diesel::sql_types::Bytea)]
    pub chain_sha256: Vec<u8>,
}

/// Ids returned by a one-column `SELECT id …`.
pub fn ids(w: &World, query: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let mut conn = w.app.db.connect();
    diesel::sql_query(query)
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect()
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The report of `series` in a verification answer.
pub fn chain<'a>(body: &'a Value, series: &str) -> &'a Value {
    body["chains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["series"] == series)
        .unwrap_or_else(|| panic!("no {series} in {body}"))
}

/// Asserts every series is intact, with these documents checked.
pub fn assert_intact(body: &Value, invoices: u64, credit_notes: u64, contract_documents: u64) {
    assert_eq!(body["intact"], true, "{body:#}");
    for (series, checked) in [
        ("invoices", invoices),
        ("credit_notes", credit_notes),
        ("contract_documents", contract_documents),
    ] {
        let report = chain(body, series);
        assert_eq!(report["checked"], checked, "{series}: {body:#}");
        assert!(report["first_break"].is_null(), "{series}: {body:#}");
    }
}

/// Asserts the only break is in `series`, at `number`, for `mismatch`.
pub fn assert_break_at(body: &Value, series: &str, number: &str, mismatch: &str) {
    assert_eq!(body["intact"], false, "{body:#}");
    for report in body["chains"].as_array().unwrap() {
        if report["series"] == series {
            let found = &report["first_break"];
            assert_eq!(found["number"], number, "{body:#}");
            assert_eq!(found["mismatch"], mismatch, "{body:#}");
        } else {
            assert!(report["first_break"].is_null(), "{body:#}");
        }
    }
}
