//! The credit note entity.

use time::{Date, OffsetDateTime};

use crate::billing::InvoiceStatus;
use crate::money::Money;
use crate::typed_ids::{ClientId, CreditNoteId, InvoiceId};

/// Name (and number prefix) of the credit notes' legal series: `AV-YYYY-NNNNNN`.
pub const CREDIT_NOTE_SEQUENCE: &str = "AV";

/// One credited part of an invoice line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteLine {
    /// Position of the invoice line it credits.
    pub position: i32,
    /// The invoice line's description.
    pub description: String,
    /// Credited amount excl. tax, above zero.
    pub amount_excl_tax: Money,
    /// The invoice line's TVA rate, basis points.
    pub tax_rate_bp: i32,
    /// Credited TVA.
    pub tax_amount: Money,
    /// Credited amount incl. tax.
    pub amount_incl_tax: Money,
}

/// A credit note (facture d'avoir) correcting one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNote {
    /// `cn_…`.
    pub id: CreditNoteId,
    /// Legal number `AV-YYYY-NNNNNN`.
    pub credit_note_number: String,
    /// The invoice it corrects.
    pub invoice_id: InvoiceId,
    /// That invoice's client.
    pub client_id: ClientId,
    /// Issue date.
    pub issue_date: Date,
    /// Why the invoice is corrected.
    pub reason: String,
    /// Credited lines, by position.
    pub lines: Vec<CreditNoteLine>,
    /// Sum of the lines excl. tax.
    pub total_excl_tax: Money,
    /// Sum of the lines' TVA.
    pub total_tax: Money,
    /// Sum of the lines incl. tax.
    pub total_incl_tax: Money,
    /// Part that reduced the invoice's outstanding.
    pub applied_to_invoice: Money,
    /// Part above that outstanding, which became client credit.
    pub credited_to_balance: Money,
    /// Part of that credit not yet applied elsewhere or refunded.
    pub credit_remaining: Money,
    /// `MAD`.
    pub currency: String,
    /// Who issued it (with the gateway it came through, if any).
    pub actor_id: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
}

/// A credit note just issued, with what it left on its invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCreditNote {
    /// The note.
    pub note: CreditNote,
    /// The invoice's status after the note.
    pub invoice_status: InvoiceStatus,
    /// The invoice's outstanding after the note.
    pub invoice_outstanding: Money,
}
