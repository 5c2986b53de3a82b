//! `billing_runs`, `invoices` and `invoice_lines` rows.

use diesel::prelude::*;
use domain::billing::{BillingRun, BillingRunStatus, Invoice, InvoiceLine, InvoiceStatus};
use domain::error::Result;
use domain::service_type::ServiceType;
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::{billing_runs, invoice_lines, invoices};

/// One row of `billing_runs` (without its idempotency columns).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = billing_runs)]
pub struct BillingRunRow {
    pub id: String,
    pub period: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub status: String,
    pub dry_run: bool,
    pub invoice_count: i32,
    pub skipped_count: i32,
    pub total_excl_tax: i64,
    pub total_tax: i64,
    pub total_incl_tax: i64,
    pub currency: String,
    pub actor_id: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl BillingRunRow {
    /// The entity.
    pub fn into_domain(self) -> Result<BillingRun> {
        let status = BillingRunStatus::parse(&self.status)
            .map_err(|m| corrupt("billing run", &self.id, m))?;
        Ok(BillingRun {
            status,
            id: self.id,
            period: self.period,
            issue_date: self.issue_date,
            due_date: self.due_date,
            dry_run: self.dry_run,
            invoice_count: i64::from(self.invoice_count),
            skipped_count: i64::from(self.skipped_count),
            total_excl_tax: self.total_excl_tax,
            total_tax: self.total_tax,
            total_incl_tax: self.total_incl_tax,
            currency: self.currency,
            actor_id: self.actor_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// One row of `invoices`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct InvoiceRow {
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

impl InvoiceRow {
    /// The entity with `lines`.
    pub fn into_domain(self, lines: Vec<InvoiceLine>) -> Result<Invoice> {
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
            lines,
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

/// One row of `invoice_lines` (without its surrogate key).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoice_lines)]
pub struct InvoiceLineRow {
    pub invoice_id: String,
    pub position: i32,
    pub description: String,
    pub offer_id: String,
    pub start_date: Date,
    pub end_date: Date,
    pub days: i32,
    pub monthly_price: i64,
    pub amount_excl_tax: i64,
    pub tax_rate_bp: i32,
    pub tax_amount: i64,
    pub amount_incl_tax: i64,
}

impl InvoiceLineRow {
    /// The entity (its invoice is known from context).
    pub fn into_domain(self) -> InvoiceLine {
        InvoiceLine {
            position: self.position,
            description: self.description,
            offer_id: self.offer_id,
            start_date: self.start_date,
            end_date: self.end_date,
            days: self.days,
            monthly_price: self.monthly_price,
            amount_excl_tax: self.amount_excl_tax,
            tax_rate_bp: self.tax_rate_bp,
            tax_amount: self.tax_amount,
            amount_incl_tax: self.amount_incl_tax,
        }
    }
}
