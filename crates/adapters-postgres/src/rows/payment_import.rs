//! `payment_imports`, `payment_import_lines` and `unidentified_receipts` rows.

use diesel::prelude::*;
use domain::error::Result;
use domain::money::Money;
use domain::payment_imports::{
    ImportLine, ImportTotals, LineStatus, PaymentImport, ReceiptAssignment, UnidentifiedReceipt,
};
use domain::typed_ids::{ClientId, PaymentId, PaymentImportId, ReceiptId};
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::{payment_import_lines, payment_imports, unidentified_receipts};

/// One row of `payment_imports`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_imports)]
pub struct PaymentImportRow {
    pub id: String,
    pub actor_id: String,
    pub line_count: i32,
    pub posted_amount: i64,
    pub unidentified_amount: i64,
    pub duplicate_count: i32,
    pub rejected_count: i32,
    pub created_at: OffsetDateTime,
}

/// One row of `payment_import_lines`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_import_lines)]
pub struct ImportLineRow {
    pub import_id: String,
    pub line: i32,
    pub status: String,
    pub amount: Option<i64>,
    pub payment_id: Option<String>,
    pub receipt_id: Option<String>,
    pub invoice_number: Option<String>,
    pub client_id: Option<String>,
    pub message: Option<String>,
}

/// One row of `unidentified_receipts`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = unidentified_receipts, treat_none_as_null = true)]
pub struct ReceiptRow {
    pub id: String,
    pub import_id: String,
    pub line: i32,
    pub amount: i64,
    pub currency: String,
    pub received_at: Date,
    pub reference: String,
    pub payer: Option<String>,
    pub status: String,
    pub client_id: Option<String>,
    pub payment_id: Option<String>,
    pub assigned_by: Option<String>,
    pub assigned_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

fn count(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

impl PaymentImportRow {
    /// The row of `import` (its lines are [`ImportLineRow`]s).
    pub fn from_domain(import: &PaymentImport) -> Self {
        Self {
            id: import.id.to_string(),
            actor_id: import.actor_id.clone(),
            line_count: i32::try_from(import.lines.len()).unwrap_or(i32::MAX),
            posted_amount: import.totals.posted_amount.centimes(),
            unidentified_amount: import.totals.unidentified_amount.centimes(),
            duplicate_count: count(import.totals.duplicate_count),
            rejected_count: count(import.totals.rejected_count),
            created_at: import.created_at,
        }
    }

    /// The entity with these lines.
    pub fn into_domain(self, lines: Vec<ImportLineRow>) -> Result<PaymentImport> {
        let stored = |value: i32| u32::try_from(value).unwrap_or(0);
        Ok(PaymentImport {
            lines: lines
                .into_iter()
                .map(ImportLineRow::into_domain)
                .collect::<Result<_>>()?,
            totals: ImportTotals {
                posted_amount: Money::from_stored(self.posted_amount),
                unidentified_amount: Money::from_stored(self.unidentified_amount),
                duplicate_count: stored(self.duplicate_count),
                rejected_count: stored(self.rejected_count),
            },
            id: PaymentImportId::from_stored(self.id),
            actor_id: self.actor_id,
            created_at: self.created_at,
        })
    }
}

impl ImportLineRow {
    /// The row of one line of `import_id`.
    pub fn from_domain(import_id: &PaymentImportId, line: &ImportLine) -> Self {
        Self {
            import_id: import_id.to_string(),
            line: i32::try_from(line.line).unwrap_or(i32::MAX),
            status: line.status.as_str().to_owned(),
            amount: line.amount.map(Money::centimes),
            payment_id: line.payment_id.as_ref().map(ToString::to_string),
            receipt_id: line.receipt_id.as_ref().map(ToString::to_string),
            invoice_number: line.invoice_number.clone(),
            client_id: line.client_id.as_ref().map(ToString::to_string),
            message: line.message.clone(),
        }
    }

    fn into_domain(self) -> Result<ImportLine> {
        let status = LineStatus::parse(&self.status)
            .map_err(|m| corrupt("payment_import_lines", &self.import_id, m))?;
        Ok(ImportLine {
            line: u32::try_from(self.line).unwrap_or(0),
            status,
            amount: self.amount.map(Money::from_stored),
            payment_id: self.payment_id.map(PaymentId::from_stored),
            receipt_id: self.receipt_id.map(ReceiptId::from_stored),
            invoice_number: self.invoice_number,
            client_id: self.client_id.map(ClientId::from_stored),
            message: self.message,
        })
    }
}

impl ReceiptRow {
    /// The row of `receipt`.
    pub fn from_domain(receipt: &UnidentifiedReceipt) -> Self {
        let assignment = receipt.assignment.as_ref();
        Self {
            id: receipt.id.to_string(),
            import_id: receipt.import_id.to_string(),
            line: i32::try_from(receipt.line).unwrap_or(i32::MAX),
            amount: receipt.amount.centimes(),
            currency: receipt.currency.clone(),
            received_at: receipt.received_at,
            reference: receipt.reference.clone(),
            payer: receipt.payer.clone(),
            status: receipt.status().as_str().to_owned(),
            client_id: assignment.map(|a| a.client_id.to_string()),
            payment_id: assignment.map(|a| a.payment_id.to_string()),
            assigned_by: assignment.map(|a| a.actor_id.clone()),
            assigned_at: assignment.map(|a| a.at),
            created_at: receipt.created_at,
            updated_at: receipt.updated_at,
        }
    }

    /// The entity. A row marked assigned without its payment is a storage fault.
    pub fn into_domain(self) -> Result<UnidentifiedReceipt> {
        let assignment = match (self.status.as_str(), self.client_id, self.payment_id) {
            ("unidentified", _, _) => None,
            ("assigned", Some(client_id), Some(payment_id)) => Some(ReceiptAssignment {
                client_id: ClientId::from_stored(client_id),
                payment_id: PaymentId::from_stored(payment_id),
                actor_id: self.assigned_by.unwrap_or_default(),
                at: self.assigned_at.unwrap_or(self.updated_at),
            }),
            (status, _, _) => {
                return Err(corrupt(
                    "unidentified_receipts",
                    &self.id,
                    format!("status `{status}` without its assignment"),
                ))
            }
        };
        Ok(UnidentifiedReceipt {
            id: ReceiptId::from_stored(self.id),
            import_id: PaymentImportId::from_stored(self.import_id),
            line: u32::try_from(self.line).unwrap_or(0),
            amount: Money::from_stored(self.amount),
            currency: self.currency,
            received_at: self.received_at,
            reference: self.reference,
            payer: self.payer,
            assignment,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
