//! The columns of `invoices` that settlement reads and writes (never the lines), owned by
//! collections so billing's own invoice rows stay its own.

use diesel::prelude::*;
use domain::billing::{Invoice, InvoiceStatus};
use domain::error::Result;
use domain::service_type::ServiceType;
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::invoices;

/// An invoice header as settlement sees it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct InvoiceHeadRow {
    pub id: String,
    pub invoice_number: String,
    pub billing_run_id: String,
    pub client_id: String,
    pub contract_id: String,
    pub offer_id: String,
    pub service_type: String,
    pub period: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub status: String,
    pub total_excl_tax: i64,
    pub total_tax: i64,
    pub total_incl_tax: i64,
    pub amount_paid: i64,
    pub currency: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl InvoiceHeadRow {
    /// The entity, without lines.
    pub fn into_domain(self) -> Result<Invoice> {
        let bad = |m: String| corrupt("invoice", &self.id, m);
        Ok(Invoice {
            service_type: ServiceType::parse(&self.service_type).map_err(bad)?,
            status: InvoiceStatus::parse(&self.status).map_err(bad)?,
            id: self.id,
            invoice_number: self.invoice_number,
            billing_run_id: self.billing_run_id,
            client_id: self.client_id,
            contract_id: self.contract_id,
            offer_id: self.offer_id,
            period: self.period,
            issue_date: self.issue_date,
            due_date: self.due_date,
            lines: Vec::new(),
            total_excl_tax: self.total_excl_tax,
            total_tax: self.total_tax,
            total_incl_tax: self.total_incl_tax,
            amount_paid: self.amount_paid,
            currency: self.currency,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
