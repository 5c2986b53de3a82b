//! Response bodies of `/invoices`.

use domain::billing::{Invoice, InvoiceLine, InvoiceUsage, ListedInvoice};
use domain::parties::BuyerIdentity;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::routes::einvoicing::ClearanceResponse;

/// One billed line: an offer period of one contract inside the month.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLineResponse {
    /// Order on the invoice, from 1 (grouped by contract on a per-account invoice).
    pub position: i32,
    /// Contract billed (`ctr_…`).
    pub contract_id: String,
    /// The contract's line (`+2126…`, or an internet line id).
    pub service_identifier: Option<String>,
    /// What is billed.
    pub description: String,
    /// Offer billed.
    pub offer_id: String,
    /// First day billed.
    pub start_date: String,
    /// Last day billed (inclusive).
    pub end_date: String,
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
    pub kind: String,
    /// On a usage line, `voice`, `sms` or `data`; `null` otherwise.
    pub usage_kind: Option<String>,
    /// On a usage line, the units charged (started minutes, messages, started MB of
    /// 1,048,576 bytes); `null` otherwise.
    pub quantity: Option<i64>,
    /// On a usage line, the price of one unit excl. tax, centimes; `null` otherwise.
    pub unit_price: Option<i64>,
}

/// What one contract of the invoice used of one allowance in the billed month.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceUsageResponse {
    /// Contract (`ctr_…`).
    pub contract_id: String,
    /// `voice`, `sms` or `data`.
    pub kind: String,
    /// Used in the month, in `unit`.
    pub used: i64,
    /// The month's allowance (prorated to the days served), in `unit`; `null` unlimited.
    pub included: Option<i64>,
    /// `second`, `message` or `byte`, as the usage views.
    pub unit: String,
}

impl InvoiceUsageResponse {
    fn new(usage: &InvoiceUsage) -> Self {
        Self {
            contract_id: usage.contract_id.to_string(),
            kind: usage.kind.as_str().into(),
            used: usage.used,
            included: usage.included,
            unit: usage.kind.recorded_unit().into(),
        }
    }
}

impl InvoiceLineResponse {
    fn new(line: &InvoiceLine) -> Self {
        Self {
            position: line.position,
            contract_id: line.contract_id.to_string(),
            service_identifier: line.service_identifier.clone(),
            description: line.description.clone(),
            offer_id: line.offer_id.to_string(),
            start_date: line.start_date.to_string(),
            end_date: line.end_date.to_string(),
            days: line.days,
            monthly_price: line.monthly_price.centimes(),
            amount_excl_tax: line.amount_excl_tax.centimes(),
            tax_rate_bp: line.tax_rate_bp,
            tax_amount: line.tax_amount.centimes(),
            amount_incl_tax: line.amount_incl_tax.centimes(),
            kind: line.kind().into(),
            usage_kind: line.usage.map(|u| u.kind.as_str().into()),
            quantity: line.usage.map(|u| u.quantity),
            unit_price: line.usage.map(|u| u.unit_price.centimes()),
        }
    }
}

/// The buyer as the invoice states it: copied from the client at issue and unchanged since,
/// whatever became of the client (decision 0200).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BuyerResponse {
    /// Full name (company name for a company).
    #[schema(example = "Hajar Benkirane")]
    pub name: String,
    /// The person's CIN; `null` for a company.
    #[schema(example = "AB123456")]
    pub cin: Option<String>,
    /// The company's ICE; `null` for a person.
    #[schema(example = json!(null))]
    pub ice: Option<String>,
    /// Postal address, if known.
    #[schema(example = "12 rue Talaa")]
    pub address: Option<String>,
    /// City, if known.
    #[schema(example = "Fès")]
    pub city: Option<String>,
}

impl BuyerResponse {
    /// The representation of `buyer`.
    pub fn new(buyer: &BuyerIdentity) -> Self {
        Self {
            name: buyer.name.clone(),
            cin: buyer.cin.clone(),
            ice: buyer.ice.clone(),
            address: buyer.address.clone(),
            city: buyer.city.clone(),
        }
    }
}

/// An invoice.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceResponse {
    /// `inv_…`.
    pub id: String,
    /// Legal number `FAC-YYYY-NNNNNN`.
    pub invoice_number: String,
    /// Run that issued it.
    pub billing_run_id: String,
    /// Client billed.
    pub client_id: String,
    /// The client as billed, fixed at issue.
    pub buyer: BuyerResponse,
    /// Contract billed; on a per-account invoice its first contract (each line names its
    /// own).
    pub contract_id: String,
    /// `per_contract` or `per_account` (one invoice for every contract of the client).
    pub invoicing: String,
    /// Offer at the end of the billed days.
    pub offer_id: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Month billed, `YYYY-MM`.
    pub period: String,
    /// Issue date.
    pub issue_date: String,
    /// Due date.
    pub due_date: String,
    /// `issued`, `partially_paid`, `paid` or `void`.
    pub status: String,
    /// Lines, in order.
    pub lines: Vec<InvoiceLineResponse>,
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
    pub credit_note_ids: Vec<String>,
    /// Used / included per contract and kind, for contracts whose plan has allowances
    /// (information; what goes beyond is in the `usage` lines).
    pub usage: Vec<InvoiceUsageResponse>,
    /// Past due with something outstanding, today.
    pub overdue: bool,
    /// `MAD`.
    pub currency: String,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
    /// Where it stands at the tax authority; present only with e-invoicing on, on invoices
    /// issued since it was turned on (issue #18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance: Option<ClearanceResponse>,
    /// The rejected, voided invoice (`inv_…`) this one replaces; present only on a
    /// replacement (`POST /invoices/{invoice_id}/reissue`, decision 0315).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces_invoice_id: Option<String>,
}

impl InvoiceResponse {
    /// The same, with its clearance.
    pub fn with_clearance(self, clearance: Option<ClearanceResponse>) -> Self {
        Self { clearance, ..self }
    }

    /// The representation of `invoice` as of `today`.
    pub fn new(invoice: &Invoice, today: Date) -> Self {
        Self {
            id: invoice.id.to_string(),
            invoice_number: invoice.invoice_number.clone(),
            billing_run_id: invoice.billing_run_id.to_string(),
            client_id: invoice.client_id.to_string(),
            buyer: BuyerResponse::new(&invoice.buyer),
            contract_id: invoice.contract_id.to_string(),
            invoicing: invoice.invoicing.as_str().into(),
            offer_id: invoice.offer_id.to_string(),
            service_type: invoice.service_type.as_str().into(),
            period: invoice.period.to_string(),
            issue_date: invoice.issue_date.to_string(),
            due_date: invoice.due_date.to_string(),
            status: invoice.status.as_str().into(),
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
                .map(ToString::to_string)
                .collect(),
            usage: invoice
                .usage
                .iter()
                .map(InvoiceUsageResponse::new)
                .collect(),
            overdue: invoice.is_overdue(today),
            currency: invoice.currency.clone(),
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
            clearance: None,
            replaces_invoice_id: invoice
                .replaces_invoice_id
                .as_ref()
                .map(ToString::to_string),
        }
    }
}

/// An invoice in the list: the invoice and its buyer's display name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceListItem {
    /// The invoice.
    #[serde(flatten)]
    pub invoice: InvoiceResponse,
    /// The buyer's display name (a person's first and last name).
    pub client_name: String,
}

impl InvoiceListItem {
    /// The list's representation of `listed` as of `today`.
    pub fn new(listed: &ListedInvoice, today: Date) -> Self {
        Self {
            invoice: InvoiceResponse::new(&listed.invoice, today),
            client_name: listed.client_name.clone(),
        }
    }
}

/// A page of invoices.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceList {
    /// Invoices in id (creation) order.
    pub items: Vec<InvoiceListItem>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}
