//! `billing_runs`, `invoices` and `invoice_lines` rows.

use diesel::prelude::*;
use domain::billing::{
    BillingRun, BillingRunStatus, Invoice, InvoiceLine, InvoiceStatus, InvoiceUsage, LineUsage,
    Period,
};
use domain::clients::Invoicing;
use domain::error::Result;
use domain::money::Money;
use domain::parties::{BuyerIdentity, SellerIdentityId};
use domain::service_type::ServiceType;
use domain::typed_ids::{BillingRunId, ClientId, ContractId, CreditNoteId, InvoiceId, OfferId};
use domain::usage::UsageKind;
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::{billing_runs, invoice_lines, invoice_usage, invoices};

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
        let period =
            Period::parse(&self.period).map_err(|m| corrupt("billing run", &self.id, m))?;
        Ok(BillingRun {
            status,
            id: BillingRunId::from_stored(self.id),
            period,
            issue_date: self.issue_date,
            due_date: self.due_date,
            dry_run: self.dry_run,
            invoice_count: i64::from(self.invoice_count),
            skipped_count: i64::from(self.skipped_count),
            total_excl_tax: Money::from_stored(self.total_excl_tax),
            total_tax: Money::from_stored(self.total_tax),
            total_incl_tax: Money::from_stored(self.total_incl_tax),
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
    pub credited_amount: i64,
    pub buyer_name: String,
    pub buyer_cin: Option<String>,
    pub buyer_ice: Option<String>,
    pub buyer_address: Option<String>,
    pub buyer_city: Option<String>,
    pub service_identifier: String,
    pub seller_identity_id: i64,
    pub invoicing: String,
    pub replaces_invoice_id: Option<String>,
}

impl InvoiceRow {
    /// The entity with `lines`.
    pub fn into_domain(self, lines: Vec<InvoiceLine>) -> Result<Invoice> {
        self.into_domain_with(lines, Vec::new())
    }

    /// The entity with `lines` and the ids of its credit notes.
    pub fn into_domain_with(
        self,
        lines: Vec<InvoiceLine>,
        credit_note_ids: Vec<CreditNoteId>,
    ) -> Result<Invoice> {
        let bad = |m: String| corrupt("invoice", &self.id, m);
        Ok(Invoice {
            service_type: ServiceType::parse(&self.service_type).map_err(bad)?,
            status: InvoiceStatus::parse(&self.status).map_err(bad)?,
            period: Period::parse(&self.period).map_err(bad)?,
            invoicing: Invoicing::parse(&self.invoicing).map_err(bad)?,
            id: InvoiceId::from_stored(self.id),
            invoice_number: self.invoice_number,
            billing_run_id: BillingRunId::from_stored(self.billing_run_id),
            client_id: ClientId::from_stored(self.client_id),
            contract_id: ContractId::from_stored(self.contract_id),
            offer_id: OfferId::from_stored(self.offer_id),
            buyer: BuyerIdentity {
                name: self.buyer_name,
                cin: self.buyer_cin,
                ice: self.buyer_ice,
                address: self.buyer_address,
                city: self.buyer_city,
            },
            service_identifier: self.service_identifier,
            seller_id: SellerIdentityId::from_stored(self.seller_identity_id),
            issue_date: self.issue_date,
            due_date: self.due_date,
            lines,
            total_excl_tax: Money::from_stored(self.total_excl_tax),
            total_tax: Money::from_stored(self.total_tax),
            total_incl_tax: Money::from_stored(self.total_incl_tax),
            amount_paid: Money::from_stored(self.amount_paid),
            credited_amount: Money::from_stored(self.credited_amount),
            credit_note_ids,
            replaces_invoice_id: self.replaces_invoice_id.map(InvoiceId::from_stored),
            usage: Vec::new(),
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
    pub contract_id: String,
    pub usage_kind: Option<String>,
    pub quantity: Option<i64>,
    pub unit_price: Option<i64>,
}

impl InvoiceLineRow {
    /// The entity (its invoice is known from context), with its contract's line.
    pub fn into_domain(self, service_identifier: Option<String>) -> InvoiceLine {
        InvoiceLine {
            position: self.position,
            contract_id: ContractId::from_stored(self.contract_id),
            service_identifier,
            description: self.description,
            offer_id: OfferId::from_stored(self.offer_id),
            start_date: self.start_date,
            end_date: self.end_date,
            days: self.days,
            monthly_price: Money::from_stored(self.monthly_price),
            amount_excl_tax: Money::from_stored(self.amount_excl_tax),
            tax_rate_bp: self.tax_rate_bp,
            tax_amount: Money::from_stored(self.tax_amount),
            amount_incl_tax: Money::from_stored(self.amount_incl_tax),
            // `kind = usage` rows carry all three (the writes set them together).
            usage: match (self.usage_kind, self.quantity, self.unit_price) {
                (Some(kind), Some(quantity), Some(unit_price)) => {
                    UsageKind::parse(&kind).ok().map(|kind| LineUsage {
                        kind,
                        quantity,
                        unit_price: Money::from_stored(unit_price),
                    })
                }
                _ => None,
            },
        }
    }
}

/// One row of `invoice_usage`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoice_usage)]
pub struct InvoiceUsageRow {
    pub invoice_id: String,
    pub contract_id: String,
    pub kind: String,
    pub used: i64,
    pub included: Option<i64>,
}

impl InvoiceUsageRow {
    /// The entity; `None` for a kind this version does not know.
    pub fn into_domain(self) -> Option<InvoiceUsage> {
        Some(InvoiceUsage {
            kind: UsageKind::parse(&self.kind).ok()?,
            contract_id: ContractId::from_stored(self.contract_id),
            used: self.used,
            included: self.included,
        })
    }
}
