//! Request and response bodies of the credit-note endpoints, and the list's query struct.

use domain::billing::Period;
use domain::credit_notes::{
    CreditNote, CreditNoteInput, CreditNoteLine, CreditNoteLineInput, IssuedCreditNote,
};
use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use domain::typed_ids::{ClientId, InvoiceId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::query::{id_of, FromQuery, QueryParams};
use crate::routes::einvoicing::ClearanceResponse;

/// One entry of a partial note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteLineRequest {
    /// Position of the invoice line credited (its `position` on the invoice).
    pub position: i32,
    /// Centimes excl. tax, > 0, at most what remains of that line; TVA follows at the line's
    /// rate.
    pub amount_excl_tax: i64,
}

/// A credit note to issue on an invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteRequest {
    /// Why the invoice is corrected (printed on the note), 1 to 300 characters, Latin script
    /// (Windows-1252).
    pub reason: String,
    /// Partial note: the amounts to credit per invoice line, distinct positions. Leave it out
    /// to credit everything that remains on the invoice.
    pub lines: Option<Vec<CreditNoteLineRequest>>,
}

impl From<CreditNoteRequest> for CreditNoteInput {
    fn from(body: CreditNoteRequest) -> Self {
        CreditNoteInput {
            reason: body.reason,
            lines: body.lines.map(|lines| {
                lines
                    .into_iter()
                    .map(|l| CreditNoteLineInput {
                        position: l.position,
                        amount_excl_tax: l.amount_excl_tax,
                    })
                    .collect()
            }),
        }
    }
}

/// One credited part of an invoice line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditNoteLineResponse {
    /// Position of the invoice line credited.
    pub position: i32,
    /// The invoice line's description.
    pub description: String,
    /// Credited excl. tax, centimes.
    pub amount_excl_tax: i64,
    /// TVA rate of the line, basis points.
    pub tax_rate_bp: i32,
    /// Credited TVA, centimes.
    pub tax_amount: i64,
    /// Credited incl. tax, centimes.
    pub amount_incl_tax: i64,
}

impl From<&CreditNoteLine> for CreditNoteLineResponse {
    fn from(line: &CreditNoteLine) -> Self {
        Self {
            position: line.position,
            description: line.description.clone(),
            amount_excl_tax: line.amount_excl_tax.centimes(),
            tax_rate_bp: line.tax_rate_bp,
            tax_amount: line.tax_amount.centimes(),
            amount_incl_tax: line.amount_incl_tax.centimes(),
        }
    }
}

/// A credit note (facture d'avoir).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditNoteResponse {
    /// `cn_…`.
    pub id: String,
    /// Legal number `AV-YYYY-NNNNNN`.
    pub credit_note_number: String,
    /// Invoice corrected.
    pub invoice_id: String,
    /// Its client.
    pub client_id: String,
    /// Issue date.
    pub issue_date: String,
    /// Why.
    pub reason: String,
    /// Credited lines, by position.
    pub lines: Vec<CreditNoteLineResponse>,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Total TVA, centimes.
    pub total_tax: i64,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Part that reduced the invoice's outstanding, centimes.
    pub applied_to_invoice: i64,
    /// Part above that outstanding, credited to the client, centimes.
    pub credited_to_balance: i64,
    /// Part of that credit not yet used or refunded, centimes.
    pub credit_remaining: i64,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Where it stands at the tax authority; present only with e-invoicing on, on notes
    /// issued since it was turned on (issue #18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance: Option<ClearanceResponse>,
}

impl CreditNoteResponse {
    /// The same, with its clearance.
    pub fn with_clearance(self, clearance: Option<ClearanceResponse>) -> Self {
        Self { clearance, ..self }
    }
}

impl From<&CreditNote> for CreditNoteResponse {
    fn from(note: &CreditNote) -> Self {
        Self {
            id: note.id.to_string(),
            credit_note_number: note.credit_note_number.clone(),
            invoice_id: note.invoice_id.to_string(),
            client_id: note.client_id.to_string(),
            issue_date: note.issue_date.to_string(),
            reason: note.reason.clone(),
            lines: note
                .lines
                .iter()
                .map(CreditNoteLineResponse::from)
                .collect(),
            total_excl_tax: note.total_excl_tax.centimes(),
            total_tax: note.total_tax.centimes(),
            total_incl_tax: note.total_incl_tax.centimes(),
            currency: note.currency.clone(),
            applied_to_invoice: note.applied_to_invoice.centimes(),
            credited_to_balance: note.credited_to_balance.centimes(),
            credit_remaining: note.credit_remaining.centimes(),
            created_at: note.created_at,
            clearance: None,
        }
    }
}

/// A credit note just issued, with what it left on its invoice.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IssuedCreditNoteResponse {
    /// `cn_…`.
    pub id: String,
    /// Legal number `AV-YYYY-NNNNNN`.
    pub credit_note_number: String,
    /// Invoice corrected.
    pub invoice_id: String,
    /// Its client.
    pub client_id: String,
    /// Issue date.
    pub issue_date: String,
    /// Why.
    pub reason: String,
    /// Credited lines, by position.
    pub lines: Vec<CreditNoteLineResponse>,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Total TVA, centimes.
    pub total_tax: i64,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Part that reduced the invoice's outstanding, centimes.
    pub applied_to_invoice: i64,
    /// Part above that outstanding, credited to the client, centimes.
    pub credited_to_balance: i64,
    /// The invoice's status after the note: `issued`, `partially_paid`, `paid` or `void`.
    pub invoice_status: String,
    /// The invoice's outstanding after the note, centimes.
    pub invoice_outstanding: i64,
}

impl From<&IssuedCreditNote> for IssuedCreditNoteResponse {
    fn from(issued: &IssuedCreditNote) -> Self {
        let note = CreditNoteResponse::from(&issued.note);
        Self {
            id: note.id,
            credit_note_number: note.credit_note_number,
            invoice_id: note.invoice_id,
            client_id: note.client_id,
            issue_date: note.issue_date,
            reason: note.reason,
            lines: note.lines,
            total_excl_tax: note.total_excl_tax,
            total_tax: note.total_tax,
            total_incl_tax: note.total_incl_tax,
            currency: note.currency,
            applied_to_invoice: note.applied_to_invoice,
            credited_to_balance: note.credited_to_balance,
            invoice_status: issued.invoice_status.as_str().to_owned(),
            invoice_outstanding: issued.invoice_outstanding.centimes(),
        }
    }
}

/// A page of credit notes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreditNoteList {
    /// Notes in id (creation) order.
    pub items: Vec<CreditNoteResponse>,
    /// Cursor of the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<Page<CreditNote>> for CreditNoteList {
    fn from(page: Page<CreditNote>) -> Self {
        Self {
            items: page.items.iter().map(CreditNoteResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Filters of `GET /credit-notes`: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreditNoteListQuery {
    /// The invoice's client (`cli_…`).
    #[param(value_type = Option<String>, pattern = "^cli_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub client_id: Option<ClientId>,
    /// The invoice corrected (`inv_…`).
    #[param(value_type = Option<String>, pattern = "^inv_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub invoice_id: Option<InvoiceId>,
    /// Month of the issue date, `YYYY-MM`.
    #[param(value_type = Option<String>, pattern = "^\\s*2[0-9]{3}-(0[1-9]|1[0-2])\\s*$")]
    pub period: Option<Period>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^cn_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for CreditNoteListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::CreditNote)?;
        Ok(CreditNoteListQuery {
            client_id: params.parse_with("client_id", id_of::<ClientId>())?,
            invoice_id: params.parse_with("invoice_id", id_of::<InvoiceId>())?,
            period: params.parse_with("period", Period::parse)?,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}
