//! Request and response bodies of usage ingestion.

use domain::usage::{IngestReport, Rejection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One usage record (one NDJSON line, or one item of the JSON array).
// Documents the body only: `body` reads each record by hand so that one bad record is
// rejected alone instead of failing the batch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UsageRecordRequest {
    /// The network's own id of the record, 1 to 128 characters: a record sent again with
    /// the same id is a duplicate and is not stored twice.
    #[schema(example = "CDR-20260310-000042")]
    pub record_id: String,
    /// The line used: a Moroccan number in any usual spelling (normalised to E.164) or an
    /// internet access identifier.
    #[schema(example = "+212612345678")]
    pub service_identifier: String,
    /// `voice`, `sms` or `data`.
    #[schema(example = "voice")]
    pub kind: String,
    /// When the use started, RFC 3339; its day in Morocco decides its month.
    #[schema(example = "2026-03-10T08:15:00+01:00")]
    pub started_at: String,
    /// Seconds (voice, at most 2,678,400), messages (sms, at most 100,000) or bytes (data, at
    /// most 2^40); a whole number above 0.
    #[schema(example = 125, minimum = 1)]
    pub quantity: i64,
    /// Called number or APN, at most 128 characters.
    pub destination: Option<String>,
}

/// A record not stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRecord {
    /// Its line (NDJSON, blank lines counted) or 1-based position (JSON array).
    pub line: u32,
    /// Its id, when it could be read.
    pub record_id: Option<String>,
    /// `invalid_record`, `invalid_quantity`, `unknown_line` or `no_contract_at_time`.
    pub code: String,
    /// What is wrong, naming the field.
    pub message: String,
}

/// What the batch did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageIngestResponse {
    /// Records stored now (late ones included).
    pub accepted: u64,
    /// Records already stored, by this batch or an earlier one: ignored, so a whole file
    /// may be sent again safely.
    pub duplicates: u64,
    /// Of the accepted, records whose month was already invoiced for their contract: billed
    /// on the contract's next invoice.
    pub late: u64,
    /// Records not stored, in line order.
    pub rejected: Vec<RejectedRecord>,
}

impl From<&Rejection> for RejectedRecord {
    fn from(rejection: &Rejection) -> Self {
        RejectedRecord {
            line: rejection.line,
            record_id: rejection.record_id.clone(),
            code: rejection.code.as_str().into(),
            message: rejection.message.clone(),
        }
    }
}

impl From<&IngestReport> for UsageIngestResponse {
    fn from(report: &IngestReport) -> Self {
        UsageIngestResponse {
            accepted: report.accepted,
            duplicates: report.duplicates,
            late: report.late,
            rejected: report.rejected.iter().map(RejectedRecord::from).collect(),
        }
    }
}

/// `usage.allowance_threshold_reached`: a contract's month reached 80 % or 100 % of an
/// allowance.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThresholdReachedData {
    /// `ctr_…`.
    pub contract_id: String,
    /// `cli_…`.
    pub client_id: String,
    /// `YYYY-MM`.
    pub period: String,
    /// `voice`, `sms` or `data`.
    pub kind: String,
    /// 80 or 100.
    pub percent: i32,
    /// Used so far in the month (seconds, messages or bytes).
    pub used: i64,
    /// The month's allowance, prorated.
    pub included: i64,
}

impl From<&domain::usage::ThresholdReached> for ThresholdReachedData {
    fn from(reached: &domain::usage::ThresholdReached) -> Self {
        ThresholdReachedData {
            contract_id: reached.contract_id.to_string(),
            client_id: reached.client_id.to_string(),
            period: reached.period.to_string(),
            kind: reached.kind.as_str().into(),
            percent: reached.percent,
            used: reached.used,
            included: reached.included,
        }
    }
}
