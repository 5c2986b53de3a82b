//! Response bodies of `/invoices`.
//!
//! They borrow from the invoice they show: a page of fifty invoices is written straight from
//! the domain's strings, without a copy of each (decision 0398).

use std::fmt::Display;

use domain::billing::{Invoice, InvoiceLine, InvoiceUsage, Period};
use domain::parties::BuyerIdentity;
use serde::{Serialize, Serializer};
use time::Date;
use utoipa::ToSchema;

use crate::routes::einvoicing::ClearanceResponse;

/// A date or a month as its text (`YYYY-MM-DD`, `YYYY-MM`), written without an intermediate
/// string.
fn as_text<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// One billed line: an offer period of one contract inside the month.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceLineResponse<'a> {
    /// Order on the invoice, from 1 (grouped by contract on a per-account invoice).
    pub position: i32,
    /// Contract billed (`ctr_…`).
    pub contract_id: &'a str,
    /// The contract's line (`+2126…`, or an internet line id).
    pub service_identifier: Option<&'a str>,
    /// What is billed.
    pub description: &'a str,
    /// Offer billed.
    pub offer_id: &'a str,
    /// First day billed.
    #[serde(serialize_with = "as_text")]
    #[schema(value_type = String)]
    pub start_date: Date,
    /// Last day billed (inclusive).
    #[serde(serialize_with = "as_text")]
    #[schema(value_type = String)]
    pub end_date: Date,
    /// Days billed.
    pub days: i32,
    /// Full monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// Prorated amount excl. tax, centimes.
    pub amount_excl_tax: i64,
    /// TVA rate, basis points.
    pub tax_rate_bp: i32,
    /// TVA, centimes.
    pub tax_amount: i64,
    /// Amount incl. tax, centimes.
    pub amount_incl_tax: i64,
    /// `subscription` (the plan's price, a regularisation) or `usage` (beyond the
    /// allowances).
    #[schema(example = "usage")]
    pub kind: &'static str,
    /// On a usage line, `voice`, `sms` or `data`; `null` otherwise.
    pub usage_kind: Option<&'static str>,
    /// On a usage line, the units charged (started minutes, messages, started MB of
    /// 1,048,576 bytes); `null` otherwise.
    pub quantity: Option<i64>,
    /// On a usage line, the price of one unit excl. tax, centimes; `null` otherwise.
    pub unit_price: Option<i64>,
}

/// What one contract of the invoice used of one allowance in the billed month.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceUsageResponse<'a> {
    /// Contract (`ctr_…`).
    pub contract_id: &'a str,
    /// `voice`, `sms` or `data`.
    pub kind: &'static str,
    /// Used in the month, in `unit`.
    pub used: i64,
    /// The month's allowance (prorated to the days served), in `unit`; `null` unlimited.
    pub included: Option<i64>,
    /// `second`, `message` or `byte`, as the usage views.
    pub unit: &'static str,
}

impl<'a> InvoiceUsageResponse<'a> {
    fn new(usage: &'a InvoiceUsage) -> Self {
        Self {
            contract_id: usage.contract_id.as_str(),
            kind: usage.kind.as_str(),
            used: usage.used,
            included: usage.included,
            unit: usage.kind.recorded_unit(),
        }
    }
}

impl<'a> InvoiceLineResponse<'a> {
    fn new(line: &'a InvoiceLine) -> Self {
        Self {
            position: line.position,
            contract_id: line.contract_id.as_str(),
            service_identifier: line.service_identifier.as_deref(),
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
            kind: line.kind(),
            usage_kind: line.usage.map(|u| u.kind.as_str()),
            quantity: line.usage.map(|u| u.quantity),
            unit_price: line.usage.map(|u| u.unit_price.centimes()),
        }
    }
}

/// The buyer as the invoice states it: copied from the client at issue and unchanged since,
/// whatever became of the client (decision 0200).
#[derive(Debug, Serialize, ToSchema)]
pub struct BuyerResponse<'a> {
    /// Full name (company name for a company).
    #[schema(example = "Hajar Benkirane")]
    pub name: &'a str,
    /// The person's CIN; `null` for a company.
    #[schema(example = "AB123456")]
    pub cin: Option<&'a str>,
    /// The company's ICE; `null` for a person.
    #[schema(example = json!(null))]
    pub ice: Option<&'a str>,
    /// Postal address, if known.
    #[schema(example = "12 rue Talaa")]
    pub address: Option<&'a str>,
    /// City, if known.
    #[schema(example = "Fès")]
    pub city: Option<&'a str>,
}

impl<'a> BuyerResponse<'a> {
    /// The representation of `buyer`.
    pub fn new(buyer: &'a BuyerIdentity) -> Self {
        Self {
            name: &buyer.name,
            cin: buyer.cin.as_deref(),
            ice: buyer.ice.as_deref(),
            address: buyer.address.as_deref(),
            city: buyer.city.as_deref(),
        }
    }
}

/// An invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceResponse<'a> {
    /// `inv_…`.
    pub id: &'a str,
    /// Legal number `FAC-YYYY-NNNNNN`.
    pub invoice_number: &'a str,
    /// Run that issued it.
    pub billing_run_id: &'a str,
    /// Client billed.
    pub client_id: &'a str,
    /// The client as billed, fixed at issue.
    pub buyer: BuyerResponse<'a>,
    /// Contract billed; on a per-account invoice its first contract (each line names its
    /// own).
    pub contract_id: &'a str,
    /// `per_contract` or `per_account` (one invoice for every contract of the client).
    pub invoicing: &'static str,
    /// Offer at the end of the billed days.
    pub offer_id: &'a str,
    /// `mobile`, `internet` or `landline`.
    pub service_type: &'static str,
    /// Month billed, `YYYY-MM`.
    #[serde(serialize_with = "as_text")]
    #[schema(value_type = String)]
    pub period: Period,
    /// Issue date.
    #[serde(serialize_with = "as_text")]
    #[schema(value_type = String)]
    pub issue_date: Date,
    /// Due date.
    #[serde(serialize_with = "as_text")]
    #[schema(value_type = String)]
    pub due_date: Date,
    /// `issued`, `partially_paid`, `paid` or `void`.
    pub status: &'static str,
    /// Lines, in order.
    pub lines: Vec<InvoiceLineResponse<'a>>,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Total TVA, centimes.
    pub total_tax: i64,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// Paid so far, centimes.
    pub amount_paid: i64,
    /// Taken off by credit notes, centimes.
    pub credited_amount: i64,
    /// Still due (`total_incl_tax − amount_paid − credited_amount`; 0 when void), centimes.
    pub outstanding: i64,
    /// Its credit notes (`cn_…`), oldest first.
    pub credit_note_ids: Vec<&'a str>,
    /// Used / included per contract and kind, for contracts whose plan has allowances
    /// (information; what goes beyond is in the `usage` lines).
    pub usage: Vec<InvoiceUsageResponse<'a>>,
    /// Past due with something outstanding, today.
    pub overdue: bool,
    /// `MAD`.
    pub currency: &'a str,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
    /// Where it stands at the tax authority; present only with e-invoicing on, on invoices
    /// issued since it was turned on (issue #18).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearance: Option<ClearanceResponse>,
    /// The rejected, voided invoice (`inv_…`) this one replaces; present only on a
    /// replacement (`POST /invoices/{invoice_id}/reissue`, decision 0315).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces_invoice_id: Option<&'a str>,
}

impl<'a> InvoiceResponse<'a> {
    /// The same, with its clearance.
    pub fn with_clearance(self, clearance: Option<ClearanceResponse>) -> Self {
        Self { clearance, ..self }
    }

    /// The representation of `invoice` as of `today`.
    pub fn new(invoice: &'a Invoice, today: Date) -> Self {
        Self {
            id: invoice.id.as_str(),
            invoice_number: &invoice.invoice_number,
            billing_run_id: invoice.billing_run_id.as_str(),
            client_id: invoice.client_id.as_str(),
            buyer: BuyerResponse::new(&invoice.buyer),
            contract_id: invoice.contract_id.as_str(),
            invoicing: invoice.invoicing.as_str(),
            offer_id: invoice.offer_id.as_str(),
            service_type: invoice.service_type.as_str(),
            period: invoice.period,
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            status: invoice.status.as_str(),
            lines: invoice.lines.iter().map(InvoiceLineResponse::new).collect(),
            total_excl_tax: invoice.total_excl_tax.centimes(),
            total_tax: invoice.total_tax.centimes(),
            total_incl_tax: invoice.total_incl_tax.centimes(),
            amount_paid: invoice.amount_paid.centimes(),
            credited_amount: invoice.credited_amount.centimes(),
            outstanding: invoice.outstanding().centimes(),
            credit_note_ids: invoice
                .credit_note_ids
                .iter()
                .map(|id| id.as_str())
                .collect(),
            usage: invoice
                .usage
                .iter()
                .map(InvoiceUsageResponse::new)
                .collect(),
            overdue: invoice.is_overdue(today),
            currency: &invoice.currency,
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
            clearance: None,
            replaces_invoice_id: invoice.replaces_invoice_id.as_ref().map(|id| id.as_str()),
        }
    }
}

/// An invoice in the list: the invoice and its buyer's display name.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceListItem<'a> {
    /// The invoice.
    #[serde(flatten)]
    pub invoice: InvoiceResponse<'a>,
    /// The buyer's display name (a person's first and last name).
    pub client_name: &'a str,
}

impl<'a> InvoiceListItem<'a> {
    /// The list's representation of `invoice` as of `today`: the buyer's name as issued
    /// (decision 0200), not the client's today.
    pub fn new(invoice: &'a Invoice, today: Date) -> Self {
        Self {
            invoice: InvoiceResponse::new(invoice, today),
            client_name: &invoice.buyer.name,
        }
    }
}

/// A page of invoices.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceList<'a> {
    /// Invoices in id (creation) order.
    pub items: Vec<InvoiceListItem<'a>>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}
