//! The storage port of the exports: journal pages and the month's figures of the reports.

use super::journal::{RateAmounts, ReceiptCursor, ReceiptEntry, SalesCursor, SalesEntry};
use super::range::DateRange;
use super::tva::TaxByRate;
use crate::billing::Period;
use crate::error::Result;
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::typed_ids::{InvoiceId, OfferId};

/// What an invoice had collected before a month and by its end, with its amounts per rate:
/// the input of the encaissements regime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceCollection {
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// Its total incl. tax.
    pub total_incl_tax: Money,
    /// Its base and TVA per rate.
    pub by_rate: Vec<RateAmounts>,
    /// Money collected on it before the month: payment allocations minus reversals.
    pub collected_before: Money,
    /// The same, through the month's last day.
    pub collected_through: Money,
}

/// One offer's revenue from one kind of document in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueLine {
    /// The offer billed.
    pub offer_id: OfferId,
    /// Its name.
    pub offer_name: String,
    /// The offer's service family.
    pub service_type: ServiceType,
    /// Excl. tax: positive for invoice lines, negative for credit-note lines.
    pub excl_tax: i64,
}

/// Reads of the accounting exports. Every method reads committed documents only and writes
/// nothing; each returns `Error::Storage` when the database fails.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ExportRepository {
    /// The TVA rates of the invoices and credit notes issued in `range`, highest first.
    fn sales_rates(&mut self, range: &DateRange) -> Result<Vec<i32>>;
    /// Up to `limit` invoices and credit notes issued in `range`, after `after` in (issue
    /// date, number) order, each with its buyer and its amounts per rate.
    fn sales_page(
        &mut self,
        range: &DateRange,
        after: &SalesCursor,
        limit: i64,
    ) -> Result<Vec<SalesEntry>>;
    /// Up to `limit` payments (by day received), refunds and reversals (by UTC day
    /// recorded) in `range`, after `after` in (date, id) order, each with its allocations.
    fn receipts_page(
        &mut self,
        range: &DateRange,
        after: &ReceiptCursor,
        limit: i64,
    ) -> Result<Vec<ReceiptEntry>>;
    /// Base and TVA per rate of the invoices issued in `month`, minus those of the credit
    /// notes issued in it.
    fn tax_issued(&mut self, month: Period) -> Result<Vec<TaxByRate>>;
    /// The invoices whose collected money changed in `month` (a payment allocation, or a
    /// reversal of one, dated in it), with what they had collected before and by its end.
    fn collections(&mut self, month: Period) -> Result<Vec<InvoiceCollection>>;
    /// Excl. tax per offer and service type of the invoice lines issued in `month`, and
    /// (negative) of the credit-note lines issued in it.
    fn revenue_lines(&mut self, month: Period) -> Result<Vec<RevenueLine>>;
}
