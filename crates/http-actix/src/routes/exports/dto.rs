//! JSON shapes of the journals (`?format=json`): amounts in signed centimes, credit notes,
//! refunds and reversals negative. The CSV columns carry the same fields (docs/finance.md).

use domain::exports::{
    RateAmounts, ReceiptAllocation, ReceiptDocument, ReceiptEntry, SalesDocument, SalesEntry,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Base and TVA of one rate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RateFigures {
    /// TVA rate, basis points (`2000` = 20 %).
    pub rate_bp: i32,
    /// Base excl. tax, signed centimes.
    pub excl_tax: i64,
    /// TVA, signed centimes.
    pub tax: i64,
}

/// One invoice or credit note of the sales journal.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SalesJournalRow {
    /// Issue date.
    pub date: String,
    /// `invoice` or `credit_note`.
    pub kind: String,
    /// `inv_…` or `cn_…`.
    pub document_id: String,
    /// Legal number (`FAC-…`, `AV-…`).
    pub number: String,
    /// For a credit note, the number of the invoice it corrects.
    pub invoice_number: Option<String>,
    /// The buyer.
    pub client_id: String,
    /// The buyer's display name.
    pub client_name: String,
    /// The buyer's CIN (a person) or ICE (a company).
    pub client_tax_id: String,
    /// Total excl. tax, signed centimes.
    pub total_excl_tax: i64,
    /// Base and TVA per rate, highest rate first.
    pub taxes: Vec<RateFigures>,
    /// Total TVA, signed centimes.
    pub total_tax: i64,
    /// Total incl. tax, signed centimes.
    pub total_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
}

impl SalesJournalRow {
    /// The row of `entry`, with its document's sign.
    pub fn new(entry: &SalesEntry) -> Self {
        let doc = &entry.document;
        Self {
            date: entry.date.to_string(),
            kind: doc.kind().into(),
            document_id: doc.id().into(),
            number: entry.number.clone(),
            invoice_number: match doc {
                SalesDocument::Invoice(_) => None,
                SalesDocument::CreditNote { invoice_number, .. } => Some(invoice_number.clone()),
            },
            client_id: entry.client_id.to_string(),
            client_name: entry.client_name.clone(),
            client_tax_id: entry.client_tax_id.clone(),
            total_excl_tax: doc.signed(entry.total_excl_tax),
            taxes: entry.by_rate.iter().map(|r| signed_rate(doc, r)).collect(),
            total_tax: doc.signed(entry.total_tax),
            total_incl_tax: doc.signed(entry.total_incl_tax),
            currency: entry.currency.clone(),
        }
    }
}

fn signed_rate(doc: &SalesDocument, rate: &RateAmounts) -> RateFigures {
    RateFigures {
        rate_bp: rate.rate_bp,
        excl_tax: doc.signed(rate.excl_tax),
        tax: doc.signed(rate.tax),
    }
}

/// Sums of the sales journal's rows.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct SalesJournalTotals {
    /// Documents listed.
    pub count: i64,
    /// Sum excl. tax (invoices minus credit notes), centimes.
    pub total_excl_tax: i64,
    /// Sum of TVA, centimes.
    pub total_tax: i64,
    /// Sum incl. tax, centimes.
    pub total_incl_tax: i64,
    /// Per rate, highest first.
    pub taxes: Vec<RateFigures>,
}

/// The sales journal as JSON (streamed; the CSV has the same rows without the totals).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SalesJournal {
    /// First day.
    pub from: String,
    /// Last day, included.
    pub to: String,
    /// `MAD`.
    pub currency: String,
    /// The TVA rates of the range, highest first (the CSV's `tax_…` columns).
    pub tax_rates_bp: Vec<i32>,
    /// Invoices and credit notes by issue date, then number.
    pub items: Vec<SalesJournalRow>,
    /// Their sums.
    pub totals: SalesJournalTotals,
}

/// One allocation of a receipts-journal movement.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceiptAllocationRow {
    /// `invoice` (paid, or given back by a reversal), `payment` or `credit_note` (the credit
    /// a refund paid back).
    pub kind: String,
    /// That document's id.
    pub id: String,
    /// Its legal number, if it has one.
    pub number: Option<String>,
    /// Amount, signed like the movement, centimes.
    pub amount: i64,
    /// Day recorded.
    pub date: String,
}

impl ReceiptAllocationRow {
    fn new(doc: &ReceiptDocument, allocation: &ReceiptAllocation) -> Self {
        Self {
            kind: allocation.target.kind().into(),
            id: allocation.target.id().into(),
            number: allocation.target.number().map(str::to_owned),
            amount: doc.signed(allocation.amount),
            date: allocation.date.to_string(),
        }
    }
}

/// One payment, refund or reversal of the receipts journal.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceiptsJournalRow {
    /// Day received (payment) or recorded (refund, reversal; UTC).
    pub date: String,
    /// `payment`, `refund` or `reversal`.
    pub kind: String,
    /// `pay_…`, `rfd_…` or `rev_…`.
    pub id: String,
    /// For a reversal, the payment it undoes.
    pub payment_id: Option<String>,
    /// The client.
    pub client_id: String,
    /// The client's display name.
    pub client_name: String,
    /// The client's CIN or ICE.
    pub client_tax_id: String,
    /// `transfer`, `cash`…; none for a reversal.
    pub method: Option<String>,
    /// Bank reference; a reversal's reason.
    pub reference: Option<String>,
    /// Money in (+) or out (−), centimes.
    pub amount: i64,
    /// `MAD`.
    pub currency: String,
    /// Its allocations, oldest first.
    pub allocations: Vec<ReceiptAllocationRow>,
}

impl ReceiptsJournalRow {
    /// The row of `entry`, with its movement's sign.
    pub fn new(entry: &ReceiptEntry) -> Self {
        let doc = &entry.document;
        Self {
            date: entry.date.to_string(),
            kind: doc.kind().into(),
            id: doc.id().into(),
            payment_id: match doc {
                ReceiptDocument::Reversal { payment_id, .. } => Some(payment_id.to_string()),
                _ => None,
            },
            client_id: entry.client_id.to_string(),
            client_name: entry.client_name.clone(),
            client_tax_id: entry.client_tax_id.clone(),
            method: entry.method.clone(),
            reference: entry.reference.clone(),
            amount: doc.signed(entry.amount),
            currency: entry.currency.clone(),
            allocations: entry
                .allocations
                .iter()
                .map(|a| ReceiptAllocationRow::new(doc, a))
                .collect(),
        }
    }
}

/// Sums of the receipts journal.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ReceiptsJournalTotals {
    /// Movements listed.
    pub count: i64,
    /// Payments received, centimes.
    pub received: i64,
    /// Refunds paid out, centimes (negative).
    pub refunded: i64,
    /// Payments reversed, centimes (negative).
    pub reversed: i64,
    /// `received + refunded + reversed`.
    pub net: i64,
}

/// The receipts journal as JSON (streamed).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReceiptsJournal {
    /// First day.
    pub from: String,
    /// Last day, included.
    pub to: String,
    /// `MAD`.
    pub currency: String,
    /// Payments, refunds and reversals by date, then id.
    pub items: Vec<ReceiptsJournalRow>,
    /// Their sums.
    pub totals: ReceiptsJournalTotals,
}
