//! P12: list invoices with filters, read one, download its PDF or its UBL 2.1 document.

mod dto;
mod query;

use actix_web::{get, web, HttpRequest, HttpResponse};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::InvoiceId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{InvoiceLineResponse, InvoiceList, InvoiceListItem, InvoiceResponse};
pub use query::InvoiceListQuery;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::download;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::AuthErrors;

/// Registers the P12 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_invoices)
        .service(get_invoice)
        .service(invoice_pdf)
        .service(invoice_ubl);
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
#[get("/invoices")]
async fn list_invoices(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let query: InvoiceListQuery = QueryParams::parse(req.query_string())?.read()?;
    let (page, today) = blocking(move || {
        let today = services.invoices.today();
        let (filter, page) = query.into_filter(today);
        Ok((services.invoices.list(&filter, &page)?, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvoiceList {
        items: page
            .items
            .iter()
            .map(|listed| InvoiceListItem::new(listed, today))
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
#[get("/invoices/{invoice_id}")]
async fn get_invoice(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(InvoiceId::parse(&path.into_inner()), Resource::Invoice)?;
    let (invoice, today) =
        blocking(move || Ok((services.invoices.get(&id)?, services.invoices.today()))).await?;
    Ok(HttpResponse::Ok().json(InvoiceResponse::new(&invoice, today)))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("invoice_id" = String, Path, description = "`inv_…`")),
    responses(
        (status = 200, description = "The invoice PDF, produced at the first download and identical ever after", content_type = "application/pdf"),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/invoices/{invoice_id}/pdf")]
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
#[get("/invoices/{invoice_id}/ubl")]
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
