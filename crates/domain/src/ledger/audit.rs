//! Entries of the ledger audit: who moved money between which documents, before and after.

use time::OffsetDateTime;

use crate::typed_ids::{ClientId, LedgerAuditEntryId};

/// What a ledger audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerAction {
    /// Client credit paid (part of) an invoice.
    CreditApplied,
    /// Credit paid back to the client.
    Refunded,
    /// A payment was undone.
    PaymentReversed,
    /// A credit note corrected an invoice.
    CreditNoteIssued,
}

impl LedgerAction {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerAction::CreditApplied => "credit_applied",
            LedgerAction::Refunded => "refunded",
            LedgerAction::PaymentReversed => "payment_reversed",
            LedgerAction::CreditNoteIssued => "credit_note_issued",
        }
    }
}

/// One append-only entry of `ledger_audit`. Figures are centimes, named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAuditEntry {
    /// `lau_…`.
    pub id: LedgerAuditEntryId,
    /// Whose money.
    pub client_id: ClientId,
    /// `invoice`, `refund`, `payment`…
    pub document_kind: &'static str,
    /// The document written or changed.
    pub document_id: String,
    /// What happened.
    pub action: LedgerAction,
    /// Who (`act_…`, `act_… via act_…`, or `system`).
    pub actor_id: String,
    /// When.
    pub at: OffsetDateTime,
    /// Figures before.
    pub before: Vec<(String, i64)>,
    /// Figures after.
    pub after: Vec<(String, i64)>,
}
