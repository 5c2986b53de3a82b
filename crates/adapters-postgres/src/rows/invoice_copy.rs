//! Rows of the bulk invoice writes: they borrow from the domain invoices, so a batch is copied
//! without intermediate columns.

use diesel::prelude::*;
use domain::billing::{Invoice, InvoiceLine, InvoiceUsage};
use time::{Date, OffsetDateTime};

use crate::schema::{invoice_lines, invoice_usage, invoices};

#[derive(Insertable)]
#[diesel(table_name = invoices, treat_none_as_default_value = false)]
pub(crate) struct NewInvoice<'a> {
    pub(crate) id: &'a str,
    pub(crate) invoice_number: &'a str,
    pub(crate) billing_run_id: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) contract_id: &'a str,
    pub(crate) offer_id: &'a str,
    pub(crate) service_type: &'a str,
    pub(crate) period: &'a str,
    pub(crate) issue_date: Date,
    pub(crate) due_date: Date,
    pub(crate) status: &'a str,
    pub(crate) total_excl_tax: i64,
    pub(crate) total_tax: i64,
    pub(crate) total_incl_tax: i64,
    pub(crate) amount_paid: i64,
    pub(crate) currency: &'a str,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
    pub(crate) buyer_name: &'a str,
    pub(crate) buyer_cin: Option<&'a str>,
    pub(crate) buyer_ice: Option<&'a str>,
    pub(crate) buyer_address: Option<&'a str>,
    pub(crate) buyer_city: Option<&'a str>,
    pub(crate) service_identifier: &'a str,
    pub(crate) seller_identity_id: i64,
    pub(crate) invoicing: &'a str,
    pub(crate) replaces_invoice_id: Option<&'a str>,
}

impl<'a> NewInvoice<'a> {
    pub(crate) fn of(invoice: &'a Invoice, period: &'a str) -> Self {
        Self {
            id: invoice.id.as_str(),
            invoice_number: &invoice.invoice_number,
            billing_run_id: invoice.billing_run_id.as_str(),
            client_id: invoice.client_id.as_str(),
            contract_id: invoice.contract_id.as_str(),
            offer_id: invoice.offer_id.as_str(),
            service_type: invoice.service_type.as_str(),
            period,
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            status: invoice.status.as_str(),
            total_excl_tax: invoice.total_excl_tax.centimes(),
            total_tax: invoice.total_tax.centimes(),
            total_incl_tax: invoice.total_incl_tax.centimes(),
            amount_paid: invoice.amount_paid.centimes(),
            currency: &invoice.currency,
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
            buyer_name: &invoice.buyer.name,
            buyer_cin: invoice.buyer.cin.as_deref(),
            buyer_ice: invoice.buyer.ice.as_deref(),
            buyer_address: invoice.buyer.address.as_deref(),
            buyer_city: invoice.buyer.city.as_deref(),
            service_identifier: &invoice.service_identifier,
            seller_identity_id: invoice.seller_id.get(),
            invoicing: invoice.invoicing.as_str(),
            replaces_invoice_id: invoice.replaces_invoice_id.as_ref().map(|id| id.as_str()),
        }
    }
}

/// A line without its `id`, which the table's sequence gives.
#[derive(Insertable)]
#[diesel(table_name = invoice_lines, treat_none_as_default_value = false)]
pub(crate) struct NewLine<'a> {
    pub(crate) invoice_id: &'a str,
    pub(crate) position: i32,
    pub(crate) description: &'a str,
    pub(crate) offer_id: &'a str,
    pub(crate) start_date: Date,
    pub(crate) end_date: Date,
    pub(crate) days: i32,
    pub(crate) monthly_price: i64,
    pub(crate) amount_excl_tax: i64,
    pub(crate) tax_rate_bp: i32,
    pub(crate) tax_amount: i64,
    pub(crate) amount_incl_tax: i64,
    pub(crate) contract_id: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) usage_kind: Option<&'a str>,
    pub(crate) quantity: Option<i64>,
    pub(crate) unit_price: Option<i64>,
}

impl<'a> NewLine<'a> {
    pub(crate) fn of(invoice_id: &'a str, line: &'a InvoiceLine) -> Self {
        Self {
            invoice_id,
            position: line.position,
            description: &line.description,
            offer_id: line.offer_id.as_str(),
            start_date: line.start_date,
            end_date: line.end_date,
            days: line.days,
            monthly_price: line.monthly_price.centimes(),
            amount_excl_tax: line.amount_excl_tax.centimes(),
            tax_rate_bp: line.tax_rate_bp,
            tax_amount: line.tax_amount.centimes(),
            amount_incl_tax: line.amount_incl_tax.centimes(),
            contract_id: line.contract_id.as_str(),
            kind: line.kind(),
            usage_kind: line.usage.map(|u| u.kind.as_str()),
            quantity: line.usage.map(|u| u.quantity),
            unit_price: line.usage.map(|u| u.unit_price.centimes()),
        }
    }
}

/// One contract's used / included of one kind on an invoice.
#[derive(Insertable)]
#[diesel(table_name = invoice_usage, treat_none_as_default_value = false)]
pub(crate) struct NewInvoiceUsage<'a> {
    pub(crate) invoice_id: &'a str,
    pub(crate) contract_id: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) used: i64,
    pub(crate) included: Option<i64>,
}

impl<'a> NewInvoiceUsage<'a> {
    pub(crate) fn of(invoice_id: &'a str, usage: &'a InvoiceUsage) -> Self {
        Self {
            invoice_id,
            contract_id: usage.contract_id.as_str(),
            kind: usage.kind.as_str(),
            used: usage.used,
            included: usage.included,
        }
    }
}
