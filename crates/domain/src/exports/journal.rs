//! Rows of the sales journal (invoices and credit notes) and of the receipts journal
//! (payments, refunds and payment reversals, each with its allocations), and their keyset
//! cursors.

use time::Date;

use crate::money::Money;
use crate::typed_ids::{ClientId, CreditNoteId, InvoiceId, PaymentId, PaymentReversalId, RefundId};

/// Amounts of one TVA rate on a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateAmounts {
    /// TVA rate, basis points.
    pub rate_bp: i32,
    /// Base excl. tax at that rate.
    pub excl_tax: Money,
    /// TVA at that rate.
    pub tax: Money,
}

/// The document a sales-journal row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SalesDocument {
    /// An invoice: its amounts count positive.
    Invoice(InvoiceId),
    /// A credit note: its amounts count negative.
    CreditNote {
        /// The note.
        id: CreditNoteId,
        /// Number of the invoice it corrects.
        invoice_number: String,
    },
}

impl SalesDocument {
    /// Wire name: `invoice` or `credit_note`.
    pub fn kind(&self) -> &'static str {
        match self {
            SalesDocument::Invoice(_) => "invoice",
            SalesDocument::CreditNote { .. } => "credit_note",
        }
    }

    /// The document's id.
    pub fn id(&self) -> &str {
        match self {
            SalesDocument::Invoice(id) => id.as_str(),
            SalesDocument::CreditNote { id, .. } => id.as_str(),
        }
    }

    /// `amount` with the document's sign: a credit note takes off what an invoice adds.
    pub fn signed(&self, amount: Money) -> i64 {
        match self {
            SalesDocument::Invoice(_) => amount.centimes(),
            SalesDocument::CreditNote { .. } => -amount.centimes(),
        }
    }
}

/// One row of the sales journal: an invoice or a credit note as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesEntry {
    /// The document.
    pub document: SalesDocument,
    /// Legal number (`FAC-…` or `AV-…`).
    pub number: String,
    /// Issue date.
    pub date: Date,
    /// The buyer.
    pub client_id: ClientId,
    /// The buyer's display name.
    pub client_name: String,
    /// The buyer's CIN (a person) or ICE (a company).
    pub client_tax_id: String,
    /// Total excl. tax (unsigned; see [`SalesDocument::signed`]).
    pub total_excl_tax: Money,
    /// Total TVA.
    pub total_tax: Money,
    /// Total incl. tax.
    pub total_incl_tax: Money,
    /// Base and TVA per rate, highest rate first.
    pub by_rate: Vec<RateAmounts>,
    /// `MAD`.
    pub currency: String,
}

/// Where the sales journal resumes: after this (date, number). Numbers of both series are
/// unique, so the pair orders every row once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesCursor {
    /// Issue date of the last row read.
    pub date: Date,
    /// Its number (`""` before the first row of a day).
    pub number: String,
}

impl SalesCursor {
    /// Before the first row of `day`.
    pub fn start(day: Date) -> SalesCursor {
        SalesCursor {
            date: day,
            number: String::new(),
        }
    }

    /// Just after `entry`.
    pub fn after(entry: &SalesEntry) -> SalesCursor {
        SalesCursor {
            date: entry.date,
            number: entry.number.clone(),
        }
    }
}

/// The movement a receipts-journal row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptDocument {
    /// Money received: counts positive.
    Payment(PaymentId),
    /// Credit paid back to the client: counts negative.
    Refund(RefundId),
    /// A payment undone: counts negative.
    Reversal {
        /// The reversal.
        id: PaymentReversalId,
        /// The payment it undoes.
        payment_id: PaymentId,
    },
}

impl ReceiptDocument {
    /// Wire name: `payment`, `refund` or `reversal`.
    pub fn kind(&self) -> &'static str {
        match self {
            ReceiptDocument::Payment(_) => "payment",
            ReceiptDocument::Refund(_) => "refund",
            ReceiptDocument::Reversal { .. } => "reversal",
        }
    }

    /// The movement's id.
    pub fn id(&self) -> &str {
        match self {
            ReceiptDocument::Payment(id) => id.as_str(),
            ReceiptDocument::Refund(id) => id.as_str(),
            ReceiptDocument::Reversal { id, .. } => id.as_str(),
        }
    }

    /// `amount` with the movement's sign: money in is positive, money out negative.
    pub fn signed(&self, amount: Money) -> i64 {
        match self {
            ReceiptDocument::Payment(_) => amount.centimes(),
            ReceiptDocument::Refund(_) | ReceiptDocument::Reversal { .. } => -amount.centimes(),
        }
    }
}

/// What an allocation moved money to (payments, reversals) or took it from (refunds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationTarget {
    /// An invoice paid by the payment, or given back its money by the reversal.
    Invoice {
        /// The invoice.
        id: InvoiceId,
        /// Its number.
        number: String,
    },
    /// A payment whose unallocated credit a refund paid back.
    Payment(PaymentId),
    /// A credit note whose remaining credit a refund paid back.
    CreditNote {
        /// The note.
        id: CreditNoteId,
        /// Its number.
        number: String,
    },
}

impl AllocationTarget {
    /// Wire name: `invoice`, `payment` or `credit_note`.
    pub fn kind(&self) -> &'static str {
        match self {
            AllocationTarget::Invoice { .. } => "invoice",
            AllocationTarget::Payment(_) => "payment",
            AllocationTarget::CreditNote { .. } => "credit_note",
        }
    }

    /// The document's id.
    pub fn id(&self) -> &str {
        match self {
            AllocationTarget::Invoice { id, .. } => id.as_str(),
            AllocationTarget::Payment(id) => id.as_str(),
            AllocationTarget::CreditNote { id, .. } => id.as_str(),
        }
    }

    /// The document's legal number, when it has one (payments have none).
    pub fn number(&self) -> Option<&str> {
        match self {
            AllocationTarget::Invoice { number, .. }
            | AllocationTarget::CreditNote { number, .. } => Some(number),
            AllocationTarget::Payment(_) => None,
        }
    }
}

/// One allocation of a receipts-journal movement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptAllocation {
    /// The other document.
    pub target: AllocationTarget,
    /// Amount moved (unsigned: the movement's sign applies).
    pub amount: Money,
    /// Day it was recorded (UTC).
    pub date: Date,
}

/// One row of the receipts journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptEntry {
    /// The movement.
    pub document: ReceiptDocument,
    /// A payment's day of receipt; a refund's or reversal's UTC day of recording.
    pub date: Date,
    /// The client.
    pub client_id: ClientId,
    /// The client's display name.
    pub client_name: String,
    /// The client's CIN or ICE.
    pub client_tax_id: String,
    /// `transfer`, `cash`…; none for a reversal.
    pub method: Option<String>,
    /// Bank reference, or a reversal's reason.
    pub reference: Option<String>,
    /// Amount (unsigned; see [`ReceiptDocument::signed`]).
    pub amount: Money,
    /// `MAD`.
    pub currency: String,
    /// Its allocations, oldest first.
    pub allocations: Vec<ReceiptAllocation>,
}

/// Where the receipts journal resumes: after this (date, id). Ids of the three kinds have
/// different prefixes, so the pair orders every row once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCursor {
    /// Date of the last row read.
    pub date: Date,
    /// Its id (`""` before the first row of a day).
    pub id: String,
}

impl ReceiptCursor {
    /// Before the first row of `day`.
    pub fn start(day: Date) -> ReceiptCursor {
        ReceiptCursor {
            date: day,
            id: String::new(),
        }
    }

    /// Just after `entry`.
    pub fn after(entry: &ReceiptEntry) -> ReceiptCursor {
        ReceiptCursor {
            date: entry.date,
            id: entry.document.id().to_owned(),
        }
    }
}
