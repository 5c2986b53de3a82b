//! The `TaxAuthority` port: submits one document for clearance and says what came of it.

use time::{Date, OffsetDateTime};

use super::DocumentKind;

/// What is submitted: the UBL document and the facts an authority checks it against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Invoice or credit note.
    pub kind: DocumentKind,
    /// `inv_…` or `cn_…`: the same on every attempt, so an authority can recognise a retry.
    pub document_id: String,
    /// The legal number (`FAC-…`, `AV-…`).
    pub number: String,
    /// Issue date.
    pub issue_date: Date,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// The seller's ICE.
    pub seller_ice: String,
    /// The OASIS UBL 2.1 document.
    pub ubl: Vec<u8>,
}

/// What the authority answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Valid: the document may be offered, with this reference and verification code.
    Cleared {
        /// The authority's reference of the document.
        reference: String,
        /// When it was cleared.
        cleared_at: OffsetDateTime,
        /// What the QR code printed on the document carries.
        verification_code: String,
    },
    /// Refused, for these reasons: final; the document is corrected by a credit note and a
    /// new invoice (decision 0313).
    Rejected {
        /// The authority's reasons.
        reasons: Vec<String>,
    },
    /// No verdict (unreachable, time-out, 5xx, an answer that could not be read): submitted
    /// again later.
    Unavailable {
        /// What went wrong, for operators.
        error: String,
    },
}

/// The tax authority's clearance platform. Adapters: the built-in simulator and the HTTP
/// client of the platform (crate `app`). Never fails: anything short of a verdict is
/// [`Verdict::Unavailable`].
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TaxAuthority: Send + Sync {
    /// Submits the document and waits for the verdict (bounded by the adapter's time-outs).
    fn submit(&self, submission: &Submission) -> Verdict;
}
