//! The clearance of one document and the figures operators watch.

use time::OffsetDateTime;

use crate::typed_ids::{CreditNoteId, InvoiceId};

/// The kinds of documents cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// An invoice (`FAC-…`).
    Invoice,
    /// A credit note (`AV-…`).
    CreditNote,
}

impl DocumentKind {
    /// As stored and answered.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    /// A stored kind; `None` for anything else.
    pub fn from_stored(stored: &str) -> Option<DocumentKind> {
        match stored {
            "invoice" => Some(DocumentKind::Invoice),
            "credit_note" => Some(DocumentKind::CreditNote),
            _ => None,
        }
    }
}

/// A cleared document, by its typed id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClearedDocument {
    /// An invoice.
    Invoice(InvoiceId),
    /// A credit note.
    CreditNote(CreditNoteId),
}

impl ClearedDocument {
    /// Its kind.
    pub fn kind(&self) -> DocumentKind {
        match self {
            ClearedDocument::Invoice(_) => DocumentKind::Invoice,
            ClearedDocument::CreditNote(_) => DocumentKind::CreditNote,
        }
    }

    /// Its id as text.
    pub fn id(&self) -> &str {
        match self {
            ClearedDocument::Invoice(id) => id.as_str(),
            ClearedDocument::CreditNote(id) => id.as_str(),
        }
    }

    /// A stored kind and id.
    pub fn from_stored(kind: DocumentKind, id: String) -> ClearedDocument {
        match kind {
            DocumentKind::Invoice => ClearedDocument::Invoice(InvoiceId::from_stored(id)),
            DocumentKind::CreditNote => ClearedDocument::CreditNote(CreditNoteId::from_stored(id)),
        }
    }
}

/// Where a document stands at the authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClearanceStatus {
    /// Issued, waiting for its (next) submission.
    Pending,
    /// Claimed by a worker and sent; the answer is awaited.
    Submitted,
    /// Valid: offered to the client.
    Cleared,
    /// Refused: never offered; corrected by a credit note and a new invoice.
    Rejected,
}

impl ClearanceStatus {
    /// Every status, in the order operators read them.
    pub const ALL: [ClearanceStatus; 4] = [
        ClearanceStatus::Pending,
        ClearanceStatus::Submitted,
        ClearanceStatus::Cleared,
        ClearanceStatus::Rejected,
    ];

    /// As stored and answered.
    pub fn as_str(self) -> &'static str {
        match self {
            ClearanceStatus::Pending => "pending",
            ClearanceStatus::Submitted => "submitted",
            ClearanceStatus::Cleared => "cleared",
            ClearanceStatus::Rejected => "rejected",
        }
    }

    /// A stored status (unknown text reads as `pending`, which a worker settles).
    pub fn from_stored(stored: &str) -> ClearanceStatus {
        match stored {
            "submitted" => ClearanceStatus::Submitted,
            "cleared" => ClearanceStatus::Cleared,
            "rejected" => ClearanceStatus::Rejected,
            _ => ClearanceStatus::Pending,
        }
    }
}

/// The clearance of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearance {
    /// The document.
    pub document: ClearedDocument,
    /// Its legal number.
    pub number: String,
    /// Where it stands.
    pub status: ClearanceStatus,
    /// The authority's reference, once cleared.
    pub reference: Option<String>,
    /// When it was cleared.
    pub cleared_at: Option<OffsetDateTime>,
    /// What the QR code carries, once cleared.
    pub verification_code: Option<String>,
    /// The authority's reasons, when rejected.
    pub reasons: Vec<String>,
    /// Submissions made so far.
    pub attempts: i32,
    /// The last failure to get a verdict, if any.
    pub last_error: Option<String>,
    /// When the next submission is due (pending), or the lease ends (submitted).
    pub next_attempt_at: Option<OffsetDateTime>,
}

impl Clearance {
    /// The clearance `document` has once written at `now`, before any submission (what
    /// `insert_pending` stores).
    pub fn pending(document: &PendingClearance, now: OffsetDateTime) -> Clearance {
        Clearance {
            document: document.document.clone(),
            number: document.number.clone(),
            status: ClearanceStatus::Pending,
            reference: None,
            cleared_at: None,
            verification_code: None,
            reasons: Vec::new(),
            attempts: 0,
            last_error: None,
            next_attempt_at: Some(now),
        }
    }
}

/// A document to clear, written when it is issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingClearance {
    /// The document.
    pub document: ClearedDocument,
    /// Its legal number.
    pub number: String,
}

/// A document a worker claimed for submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedClearance {
    /// The document.
    pub document: ClearedDocument,
    /// Its legal number.
    pub number: String,
    /// The number of this submission (1 for the first).
    pub attempt: i32,
}

/// What a submission came to, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClearanceOutcome {
    /// Cleared.
    Cleared {
        /// Reference.
        reference: String,
        /// When.
        cleared_at: OffsetDateTime,
        /// QR content.
        verification_code: String,
    },
    /// Rejected, for these reasons.
    Rejected {
        /// Reasons.
        reasons: Vec<String>,
    },
    /// Pending again, submitted anew at `retry_at`.
    Retry {
        /// Why there was no verdict.
        error: String,
        /// When the next submission is due.
        retry_at: OffsetDateTime,
    },
}

/// The oldest document still waiting for its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldestPending {
    /// The document.
    pub document: ClearedDocument,
    /// Its number.
    pub number: String,
    /// When it was issued (its clearance written).
    pub since: OffsetDateTime,
    /// Submissions made so far.
    pub attempts: i32,
}

/// The latest failure to get a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastError {
    /// The document it happened to.
    pub document: ClearedDocument,
    /// Its number.
    pub number: String,
    /// What went wrong.
    pub error: String,
    /// When.
    pub at: OffsetDateTime,
}

/// The figures of `GET /einvoicing/status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearanceSummary {
    /// Documents per status (every status present, 0 when none).
    pub counts: Vec<(ClearanceStatus, i64)>,
    /// The oldest document not yet cleared or rejected.
    pub oldest_pending: Option<OldestPending>,
    /// The latest failure to get a verdict.
    pub last_error: Option<LastError>,
}
