//! Credit notes (issue #14): issue one on an invoice (idempotent), list them, read one,
//! download its "Facture d'avoir" or its UBL 2.1 document.

mod dto;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::credit_notes::{CreditNoteFilter, CreditNoteInput};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::{CreditNoteId, InvoiceId};
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    CreditNoteLineRequest, CreditNoteLineResponse, CreditNoteList, CreditNoteListQuery,
    CreditNoteRequest, CreditNoteResponse, IssuedCreditNoteResponse,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::download;
use crate::idempotency::{self, json_response};
use crate::json::ApiJson;
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::{AuthErrors, BillingErrors};
use crate::routes::einvoicing::clearance_of;

/// Registers the handler that issues a credit note, under the `/invoices` scope.
pub fn configure_on_invoices(cfg: &mut ServiceConfig) {
    cfg.service(issue_credit_note);
}

/// Registers the credit-note handlers, under the `/credit-notes` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_credit_notes)
        .service(get_credit_note)
        .service(credit_note_pdf)
        .service(credit_note_ubl);
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = CreditNoteRequest,
    params(
        ("invoice_id" = String, Path, description = "`inv_…`"),
        ("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")
    ),
    responses(
        (status = 201, description = "Note issued; a replay carries `Idempotent-Replayed: true`", body = IssuedCreditNoteResponse),
        (status = 400, description = "Malformed body, unknown field, or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`invoice_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invoice_fully_credited`: nothing remains to credit; or `idempotency_key_in_use`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (reason, lines, unknown or repeated position, amount), `credit_exceeds_invoice` (a line's credited amount would exceed it) or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        BillingErrors
    )
)]
#[post("/{invoice_id}/credit-notes")]
async fn issue_credit_note(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<CreditNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Billing)?;
    let invoice_id = path_id(&path, InvoiceId::parse, Resource::Invoice)?;
    let input = CreditNoteInput::from(json.body);
    let credit_notes = services.credit_notes.clone();
    let actor = caller.recorded_who();
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &json.document,
        move |uow| credit_notes.issue_in(uow, &invoice_id, &input, &actor),
        |issued| json_response(StatusCode::CREATED, &IssuedCreditNoteResponse::from(issued)),
    )
    .await
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(CreditNoteListQuery),
    responses(
        (status = 200, description = "One page of credit notes, ordered by id", body = CreditNoteList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("")]
async fn list_credit_notes(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let CreditNoteListQuery {
        client_id,
        invoice_id,
        period,
        page,
        ..
    } = query.read()?;
    let filter = CreditNoteFilter {
        client_id,
        invoice_id,
        period,
    };
    let (notes, clearances) = blocking(move || {
        let notes = services.credit_notes.list(&filter, &page)?;
        let ids: Vec<String> = notes.items.iter().map(|n| n.id.to_string()).collect();
        Ok((notes, services.clearance.of_many(&ids)?))
    })
    .await?;
    let mut list = CreditNoteList::from(notes);
    for item in &mut list.items {
        item.clearance = clearance_of(&clearances, &item.id);
    }
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("credit_note_id" = String, Path, description = "`cn_…`")),
    responses(
        (status = 200, description = "The credit note", body = CreditNoteResponse),
        (status = 404, description = "`credit_note_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{credit_note_id}")]
async fn get_credit_note(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, CreditNoteId::parse, Resource::CreditNote)?;
    let (note, clearance) = blocking(move || {
        let note = services.credit_notes.get(&id)?;
        Ok((note, services.clearance.of(id.as_str())?))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(CreditNoteResponse::from(&note).with_clearance(clearance.as_ref().map(Into::into))))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("credit_note_id" = String, Path, description = "`cn_…`")),
    responses(
        (status = 200, description = "The \"Facture d'avoir\" PDF, produced at the first download and identical ever after; a cleared note prints its clearance reference and QR code", content_type = "application/pdf"),
        (status = 404, description = "`credit_note_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`document_not_cleared`: with e-invoicing on, the note is pending, submitted or rejected at the tax authority", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{credit_note_id}/pdf")]
async fn credit_note_pdf(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = path.into_inner();
    let id = path_id(&name, CreditNoteId::parse, Resource::CreditNote)?;
    let pdf = blocking(move || services.credit_notes.pdf(&id)).await?;
    Ok(download::pdf(&name, pdf))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("credit_note_id" = String, Path, description = "`cn_…`")),
    responses(
        (status = 200, description = "The credit note as an OASIS UBL 2.1 `CreditNote`, naming the invoice it corrects in `BillingReference`: the same bytes on every call", body = String, content_type = "application/xml"),
        (status = 404, description = "`credit_note_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{credit_note_id}/ubl")]
async fn credit_note_ubl(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = path.into_inner();
    let id = path_id(&name, CreditNoteId::parse, Resource::CreditNote)?;
    let xml = blocking(move || services.credit_notes.ubl(&id)).await?;
    Ok(download::xml(&name, xml))
}
