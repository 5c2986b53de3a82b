//! The archive verification's query and answer.

use domain::archive::{Break, ChainReport, Verification};
use domain::error::{Error, FieldError};
use domain::exports::DateRange;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::query::{parse_date, FromQuery, QueryParams};

/// Query of `GET /archive/verify`: documents issued from `from` to `to`, both included.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// First issue date, `YYYY-MM-DD` (required)
    #[param(value_type = String, format = Date)]
    pub from: Date,
    /// Last issue date, included, `YYYY-MM-DD`; at most 366 days counted inclusively
    /// (required)
    #[param(value_type = String, format = Date)]
    pub to: Date,
    /// `from` and `to` as one valid range.
    #[param(ignore)]
    pub range: DateRange,
}

/// A required date parameter; a problem is recorded in `problems`.
fn required_date(
    params: &mut QueryParams,
    name: &str,
    problems: &mut Vec<FieldError>,
) -> Result<Option<Date>, ApiError> {
    match params.take(name)? {
        None => {
            problems.push(FieldError::new(name, "is required"));
            Ok(None)
        }
        Some(raw) => match parse_date(&raw) {
            Ok(date) => Ok(Some(date)),
            Err(message) => {
                problems.push(FieldError::new(name, message));
                Ok(None)
            }
        },
    }
}

impl FromQuery for VerifyQuery {
    // The range is the subject of the request, not a list filter: a missing, malformed or
    // inverted bound is a 422 naming it, as for the exports.
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let mut problems = Vec::new();
        let from = required_date(params, "from", &mut problems)?;
        let to = required_date(params, "to", &mut problems)?;
        let (from, to) = match from.zip(to) {
            Some(both) if problems.is_empty() => both,
            _ => return Err(Error::Validation(problems).into()),
        };
        let range = DateRange::new(from, to).map_err(Error::Validation)?;
        Ok(VerifyQuery { from, to, range })
    }
}

/// Where a chain breaks.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BreakResponse {
    /// The invoice (`inv_…`), credit note (`cn_…`) or contract (`ctr_…`) id.
    pub document_id: String,
    /// The number sealed (`FAC-2026-000001`; the contract's number for a contract document).
    pub number: String,
    /// The contract document's version; 1 for invoices and credit notes.
    pub version: i32,
    /// Position of the document in its series, from 1.
    pub position: i64,
    /// What did not match: `missing_entry` (the entry before it is gone), `missing_document`,
    /// `number` (the document's number changed), `missing_pdf`, `pdf_hash` (the stored PDF
    /// is not the one sealed), `ubl_hash` (a fresh UBL of the stored document differs: its
    /// data changed) or `chain_hash` (the link to the previous document does not hold).
    #[schema(example = "pdf_hash")]
    pub mismatch: String,
    /// What the archive sealed (a SHA-256 in hex, or the number), when it applies.
    pub sealed: Option<String>,
    /// What was found instead, when it applies.
    pub found: Option<String>,
}

impl From<Break> for BreakResponse {
    fn from(b: Break) -> Self {
        BreakResponse {
            document_id: b.document.document_id,
            number: b.document.number,
            version: b.document.version,
            position: b.position,
            mismatch: b.mismatch.as_str().to_owned(),
            sealed: b.sealed,
            found: b.found,
        }
    }
}

/// The verification of one series.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChainResponse {
    /// `invoices`, `credit_notes` or `contract_documents`.
    #[schema(example = "invoices")]
    pub series: String,
    /// Sealed documents of the range checked, up to and including the first break.
    pub checked: usize,
    /// The first break in position order; `null` when the series is intact over the range.
    pub first_break: Option<BreakResponse>,
}

impl From<ChainReport> for ChainResponse {
    fn from(report: ChainReport) -> Self {
        ChainResponse {
            series: report.series.as_str().to_owned(),
            checked: report.checked,
            first_break: report.first_break.map(BreakResponse::from),
        }
    }
}

/// The verification of the archive over a range of issue dates.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerificationResponse {
    /// First issue date checked, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub from: String,
    /// Last issue date checked, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub to: String,
    /// Whether every series is intact over the range.
    pub intact: bool,
    /// One report per series: invoices, credit notes, contract documents.
    pub chains: Vec<ChainResponse>,
}

impl From<Verification> for VerificationResponse {
    fn from(verification: Verification) -> Self {
        VerificationResponse {
            from: verification.range.from().to_string(),
            to: verification.range.to().to_string(),
            intact: verification.intact(),
            chains: verification
                .chains
                .into_iter()
                .map(ChainResponse::from)
                .collect(),
        }
    }
}
