//! Request and response bodies of payment imports and unidentified receipts.

use domain::money::CURRENCY;
use domain::payment_imports::{AssignedReceipt, ImportLine, PaymentImport, UnidentifiedReceipt};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::dto::PaymentResponse;
use crate::auth::recorded_parts;

/// One payment line of the JSON form of a bank file. Every value is a string.
// Documents the JSON form only: `import_body` reads each line by hand, so that one bad line
// is rejected alone instead of failing the whole body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ImportLineRequest {
    /// `YYYY-MM-DD` or `DD/MM/YYYY`, not in the future.
    pub date: String,
    /// Decimal MAD as a string: `"1234.56"` or `"1234,56"` (at most two decimals).
    pub amount: String,
    /// The bank's reference, 1 to 100 characters: with date and amount, what tells a line
    /// from its duplicate. May hold an invoice number.
    pub reference: String,
    /// Who paid; may hold a CIN (or a company's ICE). At most 200 characters.
    pub payer: Option<String>,
    /// `FAC-YYYY-NNNNNN`.
    pub invoice_number: Option<String>,
}

/// The outcome of one line.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportLineResponse {
    /// 1 for the first payment line (the CSV header and blank lines are not counted).
    pub line: u32,
    /// `matched`, `partial`, `duplicate`, `unidentified` or `rejected` (see docs/finance.md).
    pub status: String,
    /// The line's amount in centimes, when it could be read.
    pub amount: Option<i64>,
    /// The payment posted (`matched`, `partial`), or the one the line duplicates.
    pub payment_id: Option<String>,
    /// The unidentified receipt kept (`unidentified`), or the one the line duplicates.
    pub receipt_id: Option<String>,
    /// The invoice the payment went to: the one named, else the first it paid.
    pub invoice_number: Option<String>,
    /// The client the money was posted to.
    pub client_id: Option<String>,
    /// Why: the rejection reason, the invoice left partly paid, the credit kept…
    pub message: Option<String>,
}

impl From<&ImportLine> for ImportLineResponse {
    fn from(line: &ImportLine) -> Self {
        ImportLineResponse {
            line: line.line,
            status: line.status.as_str().into(),
            amount: line.amount.map(|a| a.centimes()),
            payment_id: line.payment_id.as_ref().map(ToString::to_string),
            receipt_id: line.receipt_id.as_ref().map(ToString::to_string),
            invoice_number: line.invoice_number.clone(),
            client_id: line.client_id.as_ref().map(ToString::to_string),
            message: line.message.clone(),
        }
    }
}

/// Sums of an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportTotalsResponse {
    /// Posted as payments (`matched` and `partial` lines), centimes.
    pub posted_amount: i64,
    /// Kept as unidentified receipts, centimes.
    pub unidentified_amount: i64,
    /// Lines reported `duplicate`.
    pub duplicate_count: u32,
    /// Lines reported `rejected`.
    pub rejected_count: u32,
    /// `MAD`.
    pub currency: String,
}

/// An imported bank file and what became of each line.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentImportResponse {
    /// `imp_…` (same as `import_id`).
    pub id: String,
    /// `imp_…`.
    pub import_id: String,
    /// Every payment line, in file order.
    pub lines: Vec<ImportLineResponse>,
    /// Sums.
    pub totals: ImportTotalsResponse,
    /// Who imported it.
    pub actor_id: String,
    /// The gateway actor that asserted `actor_id`, else `null`.
    pub via_gateway: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<&PaymentImport> for PaymentImportResponse {
    fn from(import: &PaymentImport) -> Self {
        let (actor_id, via_gateway) = recorded_parts(&import.actor_id);
        PaymentImportResponse {
            id: import.id.to_string(),
            import_id: import.id.to_string(),
            lines: import.lines.iter().map(ImportLineResponse::from).collect(),
            totals: ImportTotalsResponse {
                posted_amount: import.totals.posted_amount.centimes(),
                unidentified_amount: import.totals.unidentified_amount.centimes(),
                duplicate_count: import.totals.duplicate_count,
                rejected_count: import.totals.rejected_count,
                currency: CURRENCY.into(),
            },
            actor_id,
            via_gateway,
            created_at: import.created_at,
        }
    }
}

/// Money received that no client was found for, or since assigned.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptResponse {
    /// `rcp_…` (same as `receipt_id`).
    pub id: String,
    /// `rcp_…`.
    pub receipt_id: String,
    /// The import it came from (`imp_…`).
    pub import_id: String,
    /// Its line in that file.
    pub line: u32,
    /// Amount received, centimes.
    pub amount: i64,
    /// `MAD`.
    pub currency: String,
    /// Date received, `YYYY-MM-DD`.
    pub received_at: String,
    /// The bank's reference.
    pub reference: String,
    /// Who paid, as the bank names them.
    pub payer: Option<String>,
    /// `unidentified` or `assigned`.
    pub status: String,
    /// The client it was assigned to.
    pub client_id: Option<String>,
    /// The payment it became.
    pub payment_id: Option<String>,
    /// Who assigned it.
    pub assigned_by: Option<String>,
    /// When it was assigned.
    #[serde(with = "time::serde::rfc3339::option")]
    pub assigned_at: Option<OffsetDateTime>,
    /// When it was kept.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<&UnidentifiedReceipt> for ReceiptResponse {
    fn from(r: &UnidentifiedReceipt) -> Self {
        let assignment = r.assignment.as_ref();
        ReceiptResponse {
            id: r.id.to_string(),
            receipt_id: r.id.to_string(),
            import_id: r.import_id.to_string(),
            line: r.line,
            amount: r.amount.centimes(),
            currency: r.currency.clone(),
            received_at: r.received_at.to_string(),
            reference: r.reference.clone(),
            payer: r.payer.clone(),
            status: r.status().as_str().into(),
            client_id: assignment.map(|a| a.client_id.to_string()),
            payment_id: assignment.map(|a| a.payment_id.to_string()),
            assigned_by: assignment.map(|a| recorded_parts(&a.actor_id).0),
            assigned_at: assignment.map(|a| a.at),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The client an unidentified receipt belongs to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The client (`cli_…`).
    pub client_id: String,
    /// An invoice of that client to pay first (`inv_…`); else the usual allocation.
    pub invoice_id: Option<String>,
}

/// A receipt assigned, and the payment it became.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignResponse {
    /// The receipt, now `assigned`.
    pub receipt: ReceiptResponse,
    /// The payment posted, with its allocations, as `POST /collections/payments` answers.
    pub payment: PaymentResponse,
}

impl From<&AssignedReceipt> for AssignResponse {
    fn from(assigned: &AssignedReceipt) -> Self {
        AssignResponse {
            receipt: ReceiptResponse::from(&assigned.receipt),
            payment: PaymentResponse::from(&assigned.payment),
        }
    }
}
