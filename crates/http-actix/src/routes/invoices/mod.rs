//! P12: list invoices with filters, read one, download its PDF or its UBL 2.1 document.

mod dto;
mod query;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::InvoiceId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{InvoiceLineResponse, InvoiceList, InvoiceListItem, InvoiceResponse};
pub use query::InvoiceListQuery;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::download;
use crate::idempotency::{self, json_response};
use crate::path_ids::{existing, path_id};
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::{AuthErrors, BillingErrors};
use crate::routes::einvoicing::clearance_of;

/// Registers the P12 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_invoices)
        .service(get_invoice)
        .service(invoice_pdf)
        .service(invoice_ubl)
        .service(reissue_invoice);
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(
        ("invoice_id" = String, Path, description = "`inv_…` of the rejected, voided invoice"),
        ("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")
    ),
    responses(
        (status = 201, description = "The replacement invoice: same contract, month and lines, a new number, `replaces_invoice_id` naming the invoice replaced, `clearance` pending with e-invoicing on; a replay carries `Idempotent-Replayed: true`", body = InvoiceResponse),
        (status = 400, description = "Missing or invalid Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`invoice_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invoice_not_rejected` (the tax authority did not reject it), `invoice_not_void` (no credit note voided all of it yet), `invoice_already_reissued`, or `idempotency_key_in_use`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        BillingErrors
    )
)]
#[post("/{invoice_id}/reissue")]
async fn reissue_invoice(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Billing)?;
    let invoice_id = path_id(&path, InvoiceId::parse, Resource::Invoice)?;
    let invoices = services.invoices.clone();
    let today = services.invoices.today();
    let actor = caller.recorded_who();
    // No body: the request is the invoice named by the path.
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &serde_json::Value::Null,
        move |uow| invoices.reissue_in(uow, &invoice_id, &actor),
        move |(invoice, clearance)| {
            json_response(
                StatusCode::CREATED,
                &InvoiceResponse::new(invoice, today)
                    .with_clearance(clearance.as_ref().map(Into::into)),
            )
        },
    )
    .await
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(InvoiceListQuery),
    responses(
        (status = 200, description = "Invoices", body = InvoiceList),
        (status = 400, description = "Invalid query parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("")]
async fn list_invoices(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let query: InvoiceListQuery = QueryParams::parse(req.query_string())?.read()?;
    let (page, today, clearances) = blocking(move || {
        let today = services.invoices.today();
        let (filter, page) = query.into_filter(today);
        let page = services.invoices.list(&filter, &page)?;
        let ids: Vec<String> = page
            .items
            .iter()
            .map(|invoice| invoice.id.to_string())
            .collect();
        Ok((page, today, services.clearance.of_many(&ids)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvoiceList {
        items: page
            .items
            .iter()
            .map(|invoice| {
                let mut item = InvoiceListItem::new(invoice, today);
                item.invoice.clearance = clearance_of(&clearances, invoice.id.as_str());
                item
            })
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("invoice_id" = String, Path, description = "`inv_…`")),
    responses(
        (status = 200, description = "The invoice", body = InvoiceResponse),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{invoice_id}")]
async fn get_invoice(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(InvoiceId::parse(&path.into_inner()), Resource::Invoice)?;
    let (invoice, today, clearance) = blocking(move || {
        Ok((
            services.invoices.get(&id)?,
            services.invoices.today(),
            services.clearance.of(id.as_str())?,
        ))
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        InvoiceResponse::new(&invoice, today).with_clearance(clearance.as_ref().map(Into::into)),
    ))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("invoice_id" = String, Path, description = "`inv_…`")),
    responses(
        (status = 200, description = "The invoice PDF, produced at the first download and identical ever after; a cleared invoice prints its clearance reference and QR code", content_type = "application/pdf"),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`document_not_cleared`: with e-invoicing on, the invoice is pending, submitted or rejected at the tax authority", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{invoice_id}/pdf")]
async fn invoice_pdf(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = path.into_inner();
    let id = existing(InvoiceId::parse(&name), Resource::Invoice)?;
    let pdf = blocking(move || services.invoices.pdf(&id)).await?;
    Ok(download::pdf(&name, pdf))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("invoice_id" = String, Path, description = "`inv_…`")),
    responses(
        (status = 200, description = "The invoice as an OASIS UBL 2.1 `Invoice`, built from the stored invoice: the same bytes on every call", body = String, content_type = "application/xml"),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{invoice_id}/ubl")]
async fn invoice_ubl(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = path.into_inner();
    let id = existing(InvoiceId::parse(&name), Resource::Invoice)?;
    let xml = blocking(move || services.invoices.ubl(&id)).await?;
    Ok(download::xml(&name, xml))
}
