//! P13: the client's invoices and credit notes on the public landing, by CIN with a lookup
//! token, and each document's PDF through a link token bound to that document alone.

use actix_web::{get, web, HttpRequest, HttpResponse};
use domain::billing::ClientInvoice;
use domain::credit_notes::ClientCreditNote;
use domain::error::Error;
use domain::services::Services;
use domain::typed_ids::{CreditNoteId, InvoiceId};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::queries::{ClientDocumentsQuery, DocumentQuery};
use crate::blocking::blocking;
use crate::download;
use crate::problem::{ApiError, Problem};
use crate::public_links::{link_base, public_link, PublicBaseUrl};
use crate::query::QueryParams;

/// An invoice as its client sees it: no personal data beyond a masked line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientInvoiceResponse {
    /// `invoice`.
    #[schema(pattern = "^invoice$")]
    pub kind: String,
    /// `inv_…`.
    pub invoice_id: String,
    /// Legal number.
    pub invoice_number: String,
    /// Contract billed.
    pub contract_id: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// The billed line, masked (`+2126•••••78`).
    pub service_identifier_masked: String,
    /// Month billed, `YYYY-MM`.
    pub period: String,
    /// Issue date.
    pub issue_date: String,
    /// Due date.
    pub due_date: String,
    /// `issued`, `partially_paid`, `paid` or `void`.
    pub status: String,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Total TVA, centimes.
    pub total_tax: i64,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// Paid so far, centimes.
    pub amount_paid: i64,
    /// Still due, centimes.
    pub outstanding: i64,
    /// Past due with something outstanding, today.
    pub overdue: bool,
    /// `MAD`.
    pub currency: String,
    /// Link to the PDF (carries a token for this invoice only): an absolute path, or a URL on
    /// `MTF_PUBLIC_BASE_URL` when set. `null` while the invoice is not cleared by the tax
    /// authority (`clearance_status` pending, submitted or rejected): it is not offered yet.
    pub document_download_url: Option<String>,
    /// When the link stops working; `null` when there is no link.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub document_expires_at: Option<time::OffsetDateTime>,
    /// With e-invoicing on: `pending`, `submitted`, `cleared` or `rejected` at the tax
    /// authority (absent otherwise, and for invoices issued while it was off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_status: Option<String>,
}

impl ClientInvoiceResponse {
    fn new(base: Option<&PublicBaseUrl>, item: &ClientInvoice, today: Date) -> Self {
        let invoice = &item.invoice;
        Self {
            kind: "invoice".into(),
            invoice_id: invoice.id.to_string(),
            invoice_number: invoice.invoice_number.clone(),
            contract_id: invoice.contract_id.to_string(),
            service_type: invoice.service_type.as_str().into(),
            service_identifier_masked: item.service_identifier_masked.clone(),
            period: invoice.period.to_string(),
            issue_date: invoice.issue_date.to_string(),
            due_date: invoice.due_date.to_string(),
            status: invoice.status.as_str().into(),
            total_excl_tax: invoice.total_excl_tax.centimes(),
            total_tax: invoice.total_tax.centimes(),
            total_incl_tax: invoice.total_incl_tax.centimes(),
            amount_paid: invoice.amount_paid.centimes(),
            outstanding: invoice.outstanding().centimes(),
            overdue: invoice.is_overdue(today),
            currency: invoice.currency.clone(),
            // The token is URL-safe (base64url and a dot): no escaping needed.
            document_download_url: item.document_token.as_ref().map(|token| {
                public_link(
                    base,
                    &format!(
                        "/api/v1/landing/invoices/{}/document?token={token}",
                        invoice.id
                    ),
                )
            }),
            document_expires_at: item
                .document_token
                .as_ref()
                .map(|_| item.document_expires_at),
            clearance_status: item.clearance.map(|s| s.as_str().to_owned()),
        }
    }
}

/// A credit note as its client sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientCreditNoteResponse {
    /// `credit_note`.
    #[schema(pattern = "^credit_note$")]
    pub kind: String,
    /// `cn_…`.
    pub credit_note_id: String,
    /// Legal number `AV-YYYY-NNNNNN`.
    pub credit_note_number: String,
    /// The invoice it corrects (`inv_…`).
    pub invoice_id: String,
    /// Issue date.
    pub issue_date: String,
    /// Why the invoice was corrected.
    pub reason: String,
    /// Credited excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Credited TVA, centimes.
    pub total_tax: i64,
    /// Credited incl. tax, centimes.
    pub total_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Link to the PDF (carries a token for this note only); `null` while the note is not
    /// cleared by the tax authority.
    pub document_download_url: Option<String>,
    /// When the link stops working; `null` when there is no link.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub document_expires_at: Option<time::OffsetDateTime>,
    /// With e-invoicing on: `pending`, `submitted`, `cleared` or `rejected` at the tax
    /// authority (absent otherwise, and for notes issued while it was off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_status: Option<String>,
}

impl ClientCreditNoteResponse {
    fn new(base: Option<&PublicBaseUrl>, item: &ClientCreditNote) -> Self {
        let note = &item.note;
        Self {
            kind: "credit_note".into(),
            credit_note_id: note.id.to_string(),
            credit_note_number: note.credit_note_number.clone(),
            invoice_id: note.invoice_id.to_string(),
            issue_date: note.issue_date.to_string(),
            reason: note.reason.clone(),
            total_excl_tax: note.total_excl_tax.centimes(),
            total_tax: note.total_tax.centimes(),
            total_incl_tax: note.total_incl_tax.centimes(),
            currency: note.currency.clone(),
            document_download_url: item.document_token.as_ref().map(|token| {
                public_link(
                    base,
                    &format!(
                        "/api/v1/landing/credit-notes/{}/document?token={token}",
                        note.id
                    ),
                )
            }),
            document_expires_at: item
                .document_token
                .as_ref()
                .map(|_| item.document_expires_at),
            clearance_status: item.clearance.map(|s| s.as_str().to_owned()),
        }
    }
}

/// One document of the client's list, told apart by `kind`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ClientDocumentResponse {
    /// An invoice (`kind: "invoice"`).
    Invoice(ClientInvoiceResponse),
    /// A credit note (`kind: "credit_note"`).
    CreditNote(ClientCreditNoteResponse),
}

/// One page of the client's invoices, newest first (month billed, then id, descending), each
/// preceded by the credit notes that correct it (newest first).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientInvoiceList {
    /// At most `limit` invoices, and their credit notes.
    pub items: Vec<ClientDocumentResponse>,
    /// Pass as `cursor` for the next (older) page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(
        ("cin" = String, Path, description = "The client's CIN"),
        ClientDocumentsQuery
    ),
    responses(
        (status = 200, description = "The client's invoices and credit notes (`kind`), newest first, with download links", body = ClientInvoiceList),
        (status = 400, description = "Invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing, expired, tampered token or one for another CIN (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No client has this CIN (`client_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls from this address (`rate_limited`, `Retry-After`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{cin}/invoices")]
pub async fn client_invoices(
    req: HttpRequest,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ClientDocumentsQuery {
        lookup_token: token,
        page,
        ..
    } = QueryParams::parse(req.query_string())?.read()?;
    let cin = path.into_inner();
    let base = link_base(&req);
    let (page, notes, today) = blocking(move || {
        let page = services
            .invoices
            .for_client(&cin, token.as_deref(), &page)?;
        let ids: Vec<InvoiceId> = page.items.iter().map(|i| i.invoice.id.clone()).collect();
        let notes = services
            .credit_notes
            .for_client(&cin, token.as_deref(), &ids)?;
        Ok((page, notes, services.invoices.today()))
    })
    .await?;
    let mut items = Vec::with_capacity(page.items.len() + notes.len());
    for invoice in &page.items {
        // Each note follows the invoice it corrects onto that invoice's page, so paging
        // over invoices lists every note exactly once.
        items.extend(
            notes
                .iter()
                .filter(|n| n.note.invoice_id == invoice.invoice.id)
                .map(|n| {
                    ClientDocumentResponse::CreditNote(ClientCreditNoteResponse::new(
                        base.as_ref(),
                        n,
                    ))
                }),
        );
        items.push(ClientDocumentResponse::Invoice(ClientInvoiceResponse::new(
            base.as_ref(),
            invoice,
            today,
        )));
    }
    Ok(HttpResponse::Ok().json(ClientInvoiceList {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(
        ("invoice_id" = String, Path, description = "`inv_…`"),
        DocumentQuery
    ),
    responses(
        (status = 200, description = "The invoice PDF (`Cache-Control: no-store`, `Referrer-Policy: no-referrer`)", content_type = "application/pdf"),
        (status = 400, description = "`invalid_query`: `token` given twice", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing, expired, tampered token or one for another document (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`document_not_cleared`: with e-invoicing on, the document is not cleared by the tax authority yet (or was rejected)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls from this address (`rate_limited`, `Retry-After`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/invoices/{invoice_id}/document")]
pub async fn invoice_document(
    services: web::Data<Services>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    // A public link: mail tools append tracking parameters, so anything but `token` is
    // ignored, as on the contract document (decision 0192).
    let DocumentQuery { token } = query.read_ignoring_others()?;
    let name = path.into_inner();
    // No document token is ever issued for a malformed id: it is refused like a wrong token.
    let id = InvoiceId::parse(&name).map_err(|_| ApiError::Domain(Error::Forbidden))?;
    let pdf = blocking(move || services.invoices.client_document(&id, token.as_deref())).await?;
    Ok(download::pdf(&name, pdf))
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(
        ("credit_note_id" = String, Path, description = "`cn_…`"),
        DocumentQuery
    ),
    responses(
        (status = 200, description = "The credit-note PDF (Facture d'avoir)", content_type = "application/pdf"),
        (status = 400, description = "`invalid_query`: `token` given twice", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing, expired, tampered token or one for another document (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such credit note (`credit_note_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`document_not_cleared`: with e-invoicing on, the document is not cleared by the tax authority yet (or was rejected)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls from this address (`rate_limited`, `Retry-After`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/credit-notes/{credit_note_id}/document")]
pub async fn credit_note_document(
    services: web::Data<Services>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    // A public link, like the invoice's: unknown parameters are ignored (decision 0192).
    let DocumentQuery { token } = query.read_ignoring_others()?;
    let name = path.into_inner();
    // As for invoices: a malformed id never had a token, so it is refused like a wrong one.
    let id = CreditNoteId::parse(&name).map_err(|_| ApiError::Domain(Error::Forbidden))?;
    let pdf =
        blocking(move || services.credit_notes.client_document(&id, token.as_deref())).await?;
    Ok(download::pdf(&name, pdf))
}
