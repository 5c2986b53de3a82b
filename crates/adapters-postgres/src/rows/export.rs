//! Rows of the accounting exports, read through `sql_query`: journal documents, their
//! amounts per rate and allocations, and the month's figures of the reports.

use diesel::prelude::*;
use diesel::sql_types::{Date as SqlDate, Int4, Int8, Nullable, Text};
use domain::error::Result;
use domain::exports::{
    AllocationTarget, RateAmounts, ReceiptAllocation, ReceiptDocument, ReceiptEntry, RevenueLine,
    SalesDocument, SalesEntry, TaxByRate,
};
use domain::money::Money;
use domain::service_type::ServiceType;
use domain::typed_ids::{
    ClientId, CreditNoteId, InvoiceId, OfferId, PaymentId, PaymentReversalId, RefundId,
};
use time::Date;

use super::corrupt;

/// An invoice or a credit note of the sales journal.
#[derive(Debug, QueryableByName)]
pub struct SalesRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = SqlDate)]
    pub date: Date,
    #[diesel(sql_type = Nullable<Text>)]
    pub invoice_number: Option<String>,
    #[diesel(sql_type = Text)]
    pub client_id: String,
    #[diesel(sql_type = Text)]
    pub client_name: String,
    #[diesel(sql_type = Text)]
    pub client_tax_id: String,
    #[diesel(sql_type = Int8)]
    pub total_excl_tax: i64,
    #[diesel(sql_type = Int8)]
    pub total_tax: i64,
    #[diesel(sql_type = Int8)]
    pub total_incl_tax: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
}

impl SalesRow {
    /// The domain value, with the document's amounts per rate.
    pub fn into_domain(self, by_rate: Vec<RateAmounts>) -> Result<SalesEntry> {
        let document = match (self.kind.as_str(), self.invoice_number) {
            ("invoice", _) => SalesDocument::Invoice(InvoiceId::from_stored(self.id)),
            ("credit_note", Some(invoice_number)) => SalesDocument::CreditNote {
                id: CreditNoteId::from_stored(self.id),
                invoice_number,
            },
            (other, _) => return Err(corrupt("sales journal", &self.id, other.to_owned())),
        };
        Ok(SalesEntry {
            document,
            number: self.number,
            date: self.date,
            client_id: ClientId::from_stored(self.client_id),
            client_name: self.client_name,
            client_tax_id: self.client_tax_id,
            total_excl_tax: Money::from_stored(self.total_excl_tax),
            total_tax: Money::from_stored(self.total_tax),
            total_incl_tax: Money::from_stored(self.total_incl_tax),
            by_rate,
            currency: self.currency,
        })
    }
}

/// A document's base and TVA at one rate.
#[derive(Debug, QueryableByName)]
pub struct DocumentRateRow {
    #[diesel(sql_type = Text)]
    pub document_id: String,
    #[diesel(sql_type = Int4)]
    pub rate_bp: i32,
    #[diesel(sql_type = Int8)]
    pub excl_tax: i64,
    #[diesel(sql_type = Int8)]
    pub tax: i64,
}

impl DocumentRateRow {
    /// The domain value.
    pub fn amounts(&self) -> RateAmounts {
        RateAmounts {
            rate_bp: self.rate_bp,
            excl_tax: Money::from_stored(self.excl_tax),
            tax: Money::from_stored(self.tax),
        }
    }
}

/// A TVA rate.
#[derive(Debug, QueryableByName)]
pub struct RateRow {
    #[diesel(sql_type = Int4)]
    pub rate_bp: i32,
}

/// A payment, refund or reversal of the receipts journal.
#[derive(Debug, QueryableByName)]
pub struct ReceiptRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = SqlDate)]
    pub date: Date,
    #[diesel(sql_type = Nullable<Text>)]
    pub payment_id: Option<String>,
    #[diesel(sql_type = Text)]
    pub client_id: String,
    #[diesel(sql_type = Text)]
    pub client_name: String,
    #[diesel(sql_type = Text)]
    pub client_tax_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub method: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reference: Option<String>,
    #[diesel(sql_type = Int8)]
    pub amount: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
}

impl ReceiptRow {
    /// The domain value, with its allocations.
    pub fn into_domain(self, allocations: Vec<ReceiptAllocation>) -> Result<ReceiptEntry> {
        let document = match (self.kind.as_str(), self.payment_id) {
            ("payment", _) => ReceiptDocument::Payment(PaymentId::from_stored(self.id)),
            ("refund", _) => ReceiptDocument::Refund(RefundId::from_stored(self.id)),
            ("reversal", Some(payment_id)) => ReceiptDocument::Reversal {
                id: PaymentReversalId::from_stored(self.id),
                payment_id: PaymentId::from_stored(payment_id),
            },
            (other, _) => return Err(corrupt("receipts journal", &self.id, other.to_owned())),
        };
        Ok(ReceiptEntry {
            document,
            date: self.date,
            client_id: ClientId::from_stored(self.client_id),
            client_name: self.client_name,
            client_tax_id: self.client_tax_id,
            method: self.method,
            reference: self.reference,
            amount: Money::from_stored(self.amount),
            currency: self.currency,
            allocations,
        })
    }
}

/// One allocation of a receipts-journal movement.
#[derive(Debug, QueryableByName)]
pub struct ReceiptAllocationRow {
    #[diesel(sql_type = Text)]
    pub owner_id: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub target_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub number: Option<String>,
    #[diesel(sql_type = Int8)]
    pub amount: i64,
    #[diesel(sql_type = SqlDate)]
    pub date: Date,
}

impl ReceiptAllocationRow {
    /// The domain value.
    pub fn into_domain(self) -> Result<ReceiptAllocation> {
        let target = match (self.kind.as_str(), self.number) {
            ("invoice", Some(number)) => AllocationTarget::Invoice {
                id: InvoiceId::from_stored(self.target_id),
                number,
            },
            ("credit_note", Some(number)) => AllocationTarget::CreditNote {
                id: CreditNoteId::from_stored(self.target_id),
                number,
            },
            ("payment", _) => AllocationTarget::Payment(PaymentId::from_stored(self.target_id)),
            (other, _) => return Err(corrupt("allocation", &self.owner_id, other.to_owned())),
        };
        Ok(ReceiptAllocation {
            target,
            amount: Money::from_stored(self.amount),
            date: self.date,
        })
    }
}

/// Base and TVA of one rate over a month (signed).
#[derive(Debug, QueryableByName)]
pub struct TaxByRateRow {
    #[diesel(sql_type = Int4)]
    pub rate_bp: i32,
    #[diesel(sql_type = Int8)]
    pub excl_tax: i64,
    #[diesel(sql_type = Int8)]
    pub tax: i64,
}

impl TaxByRateRow {
    /// The domain value.
    pub fn into_domain(self) -> TaxByRate {
        TaxByRate {
            rate_bp: self.rate_bp,
            excl_tax: self.excl_tax,
            tax: self.tax,
        }
    }
}

/// One rate of an invoice whose collected money changed in a month.
#[derive(Debug, QueryableByName)]
pub struct CollectionRow {
    #[diesel(sql_type = Text)]
    pub invoice_id: String,
    #[diesel(sql_type = Int8)]
    pub total_incl_tax: i64,
    #[diesel(sql_type = Int4)]
    pub rate_bp: i32,
    #[diesel(sql_type = Int8)]
    pub excl_tax: i64,
    #[diesel(sql_type = Int8)]
    pub tax: i64,
    #[diesel(sql_type = Int8)]
    pub collected_before: i64,
    #[diesel(sql_type = Int8)]
    pub collected_through: i64,
}

/// One offer's revenue from invoice or credit-note lines.
#[derive(Debug, QueryableByName)]
pub struct RevenueRow {
    #[diesel(sql_type = Text)]
    pub offer_id: String,
    #[diesel(sql_type = Text)]
    pub offer_name: String,
    #[diesel(sql_type = Text)]
    pub service_type: String,
    #[diesel(sql_type = Int8)]
    pub excl_tax: i64,
}

impl RevenueRow {
    /// The domain value.
    pub fn into_domain(self) -> Result<RevenueLine> {
        let service_type = ServiceType::parse(&self.service_type)
            .map_err(|e| corrupt("invoices", &self.offer_id, e))?;
        Ok(RevenueLine {
            offer_id: OfferId::from_stored(self.offer_id),
            offer_name: self.offer_name,
            service_type,
            excl_tax: self.excl_tax,
        })
    }
}
