//! A regularisation charge: days a backdated change made owed on a month already invoiced,
//! waiting to be billed as its own line on the contract's next invoice (decision 0251).

use time::{Date, OffsetDateTime};

use super::InvoiceLine;
use crate::money::{tax_amount, Money};
use crate::typed_ids::{ContractId, InvoiceId, OfferId, PendingChargeId};

/// A charge waiting for the contract's next invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCharge {
    /// `pch_…`.
    pub id: PendingChargeId,
    /// Contract whose next invoice bills it.
    pub contract_id: ContractId,
    /// The invoice of the month it regularises.
    pub regularised_invoice_id: InvoiceId,
    /// Printed on the line, naming the days regularised.
    pub description: String,
    /// Offer of those days.
    pub offer_id: OfferId,
    /// First day regularised.
    pub start_date: Date,
    /// Last day regularised (inclusive).
    pub end_date: Date,
    /// Days regularised.
    pub days: i32,
    /// The offer period's monthly price excl. tax.
    pub monthly_price: Money,
    /// Amount excl. tax, prorated as the engine prorates a line.
    pub amount_excl_tax: Money,
    /// The offer period's TVA rate, basis points.
    pub tax_rate_bp: i32,
    /// When the change that made it was applied.
    pub created_at: OffsetDateTime,
}

impl PendingCharge {
    /// The invoice line that bills it at `position`; its TVA is computed as for any line.
    pub fn line(&self, position: i32) -> InvoiceLine {
        let tax = Money::from_stored(tax_amount(
            self.amount_excl_tax.centimes(),
            self.tax_rate_bp,
        ));
        InvoiceLine {
            position,
            // With the other lines of its contract (on a per-account invoice too).
            contract_id: self.contract_id.clone(),
            service_identifier: None,
            description: self.description.clone(),
            offer_id: self.offer_id.clone(),
            start_date: self.start_date,
            end_date: self.end_date,
            days: self.days,
            monthly_price: self.monthly_price,
            amount_excl_tax: self.amount_excl_tax,
            tax_rate_bp: self.tax_rate_bp,
            tax_amount: tax,
            amount_incl_tax: self.amount_excl_tax.saturating_add(tax),
            usage: None,
        }
    }
}
