//! Client credit and where it comes from.

use time::OffsetDateTime;

use crate::money::Money;
use crate::typed_ids::{ClientId, CreditNoteId, InvoiceId, PaymentId};

/// The document holding a piece of client credit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceRef {
    /// A payment's `unallocated_amount`.
    Payment(PaymentId),
    /// A credit note's `credit_remaining`.
    CreditNote(CreditNoteId),
}

impl SourceRef {
    /// Stored and wire name of the kind of document.
    pub fn kind(&self) -> &'static str {
        match self {
            SourceRef::Payment(_) => "payment",
            SourceRef::CreditNote(_) => "credit_note",
        }
    }

    /// The document's id.
    pub fn id(&self) -> &str {
        match self {
            SourceRef::Payment(id) => id.as_str(),
            SourceRef::CreditNote(id) => id.as_str(),
        }
    }
}

/// Unused credit on one source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditSource {
    /// Payment or credit note.
    pub source: SourceRef,
    /// Whose credit.
    pub client_id: ClientId,
    /// Credit left on the document, centimes (> 0 when read).
    pub remaining: Money,
    /// When the document was recorded: credit is used oldest first.
    pub created_at: OffsetDateTime,
}

/// Credit of one source applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditApplication {
    /// Where the credit came from.
    pub source: SourceRef,
    /// Whose credit and invoice.
    pub client_id: ClientId,
    /// Invoice paid.
    pub invoice_id: InvoiceId,
    /// Amount applied, centimes (> 0).
    pub amount: Money,
    /// Invoice outstanding before this application.
    pub outstanding_before: Money,
    /// Invoice outstanding after it.
    pub outstanding_after: Money,
    /// Credit left on the source before this application.
    pub source_before: Money,
}
