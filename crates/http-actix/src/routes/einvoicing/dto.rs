//! The `clearance` object of invoices and credit notes, and `GET /einvoicing/status`.

use domain::einvoicing::{Clearance, ClearanceSummary, LastError, OldestPending};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a document stands at the tax authority (present only with e-invoicing on, on
/// documents issued since it was turned on).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClearanceResponse {
    /// `pending` (waiting for its submission), `submitted` (sent, answer awaited), `cleared`
    /// (valid: offered to the client) or `rejected` (never offered; corrected by a credit
    /// note and a new invoice).
    #[schema(example = "cleared")]
    pub status: String,
    /// The authority's reference, once cleared.
    #[schema(example = "SIM-2026-3F2A9C01B7D4")]
    pub reference: Option<String>,
    /// When it was cleared.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub cleared_at: Option<time::OffsetDateTime>,
    /// The authority's reasons, when rejected (else empty).
    pub reasons: Vec<String>,
    /// Submissions made so far.
    pub attempts: i32,
}

impl From<&Clearance> for ClearanceResponse {
    fn from(clearance: &Clearance) -> Self {
        Self {
            status: clearance.status.as_str().to_owned(),
            reference: clearance.reference.clone(),
            cleared_at: clearance.cleared_at,
            reasons: clearance.reasons.clone(),
            attempts: clearance.attempts,
        }
    }
}

/// The clearance of the document with `id` among `clearances`.
pub fn clearance_of(clearances: &[Clearance], id: &str) -> Option<ClearanceResponse> {
    clearances
        .iter()
        .find(|c| c.document.id() == id)
        .map(ClearanceResponse::from)
}

/// Documents per clearance status.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClearanceCounts {
    /// Waiting for their submission.
    pub pending: i64,
    /// Sent, answer awaited.
    pub submitted: i64,
    /// Cleared.
    pub cleared: i64,
    /// Rejected.
    pub rejected: i64,
}

/// A document, as the status names it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClearanceDocumentRef {
    /// `invoice` or `credit_note`.
    pub document_type: String,
    /// `inv_…` or `cn_…`.
    pub document_id: String,
    /// Its legal number.
    pub number: String,
}

/// The oldest document not yet cleared or rejected.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OldestPendingResponse {
    /// The document.
    #[serde(flatten)]
    pub document: ClearanceDocumentRef,
    /// When it was issued.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub since: time::OffsetDateTime,
    /// Submissions made so far.
    pub attempts: i32,
}

/// The latest failure to get a verdict.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LastErrorResponse {
    /// The document it happened to.
    #[serde(flatten)]
    pub document: ClearanceDocumentRef,
    /// What went wrong (time-out, answer, …).
    pub error: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: time::OffsetDateTime,
}

/// E-invoicing at a glance, for operators.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EinvoicingStatusResponse {
    /// Whether documents wait for clearance (`MTF_EINVOICING` is not `off`).
    pub enabled: bool,
    /// Documents per clearance status.
    pub counts: ClearanceCounts,
    /// The oldest document still waiting; null when none waits.
    pub oldest_pending: Option<OldestPendingResponse>,
    /// The latest failure to get a verdict; null when none happened.
    pub last_error: Option<LastErrorResponse>,
}

fn reference(document: &domain::einvoicing::ClearedDocument, number: &str) -> ClearanceDocumentRef {
    ClearanceDocumentRef {
        document_type: document.kind().as_str().to_owned(),
        document_id: document.id().to_owned(),
        number: number.to_owned(),
    }
}

impl EinvoicingStatusResponse {
    /// The answer for `summary`.
    pub fn new(enabled: bool, summary: &ClearanceSummary) -> Self {
        let count = |wanted: &str| {
            summary
                .counts
                .iter()
                .find(|(status, _)| status.as_str() == wanted)
                .map_or(0, |(_, n)| *n)
        };
        Self {
            enabled,
            counts: ClearanceCounts {
                pending: count("pending"),
                submitted: count("submitted"),
                cleared: count("cleared"),
                rejected: count("rejected"),
            },
            oldest_pending: summary.oldest_pending.as_ref().map(|o: &OldestPending| {
                OldestPendingResponse {
                    document: reference(&o.document, &o.number),
                    since: o.since,
                    attempts: o.attempts,
                }
            }),
            last_error: summary
                .last_error
                .as_ref()
                .map(|e: &LastError| LastErrorResponse {
                    document: reference(&e.document, &e.number),
                    error: e.error.clone(),
                    at: e.at,
                }),
        }
    }
}
