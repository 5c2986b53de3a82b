//! `pending_charges` rows: regularisation charges waiting for a contract's next invoice.

use diesel::prelude::*;
use domain::billing::PendingCharge;
use domain::money::Money;
use domain::typed_ids::{ContractId, InvoiceId, OfferId, PendingChargeId};
use time::{Date, OffsetDateTime};

use crate::schema::pending_charges;

/// One row of `pending_charges`, without the invoice that billed it (set by the billing
/// batch).
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = pending_charges)]
pub struct PendingChargeRow {
    pub id: String,
    pub contract_id: String,
    pub regularised_invoice_id: String,
    pub description: String,
    pub offer_id: String,
    pub start_date: Date,
    pub end_date: Date,
    pub days: i32,
    pub monthly_price: i64,
    pub amount_excl_tax: i64,
    pub tax_rate_bp: i32,
    pub created_at: OffsetDateTime,
}

impl PendingChargeRow {
    /// The row of `charge`.
    pub fn from_domain(charge: &PendingCharge) -> Self {
        Self {
            id: charge.id.to_string(),
            contract_id: charge.contract_id.to_string(),
            regularised_invoice_id: charge.regularised_invoice_id.to_string(),
            description: charge.description.clone(),
            offer_id: charge.offer_id.to_string(),
            start_date: charge.start_date,
            end_date: charge.end_date,
            days: charge.days,
            monthly_price: charge.monthly_price.centimes(),
            amount_excl_tax: charge.amount_excl_tax.centimes(),
            tax_rate_bp: charge.tax_rate_bp,
            created_at: charge.created_at,
        }
    }

    /// The charge this row stores (its amounts were checked non-negative when written).
    pub fn into_domain(self) -> PendingCharge {
        PendingCharge {
            id: PendingChargeId::from_stored(self.id),
            contract_id: ContractId::from_stored(self.contract_id),
            regularised_invoice_id: InvoiceId::from_stored(self.regularised_invoice_id),
            description: self.description,
            offer_id: OfferId::from_stored(self.offer_id),
            start_date: self.start_date,
            end_date: self.end_date,
            days: self.days,
            monthly_price: Money::from_stored(self.monthly_price),
            amount_excl_tax: Money::from_stored(self.amount_excl_tax),
            tax_rate_bp: self.tax_rate_bp,
            created_at: self.created_at,
        }
    }
}
