//! P12: list invoices with filters, read one, download its PDF.

mod dto;

use actix_web::{get, web, HttpRequest, HttpResponse};
use domain::billing::{InvoiceFilter, InvoiceStatus, Period};
use domain::error::Resource;
use domain::ids::IdKind;
use domain::service_type::ServiceType;
use domain::services::Services;
use domain::typed_ids::InvoiceId;
use time::Date;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{InvoiceLineResponse, InvoiceList, InvoiceResponse};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::download;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::{id_of, parse_bool, QueryParams};
use crate::responses::AuthErrors;

/// Registers the P12 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_invoices)
        .service(get_invoice)
        .service(invoice_pdf);
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(
        ("client_id" = Option<String>, Query, description = "Client billed"),
        ("service" = Option<String>, Query, pattern = "^(mobile|internet|landline)$", description = "`mobile`, `internet` or `landline`"),
        ("offer_id" = Option<String>, Query, description = "Invoices with a line that bills this offer (a mid-month plan change bills two)"),
        ("status" = Option<String>, Query, pattern = "^(issued|partially_paid|paid|void)$", description = "`issued`, `partially_paid`, `paid` or `void`"),
        ("period" = Option<String>, Query, pattern = "^\\s*2[0-9]{3}-(0[1-9]|1[0-2])\\s*$", description = "Month billed, `YYYY-MM`"),
        ("overdue" = Option<bool>, Query, description = "Past due with something outstanding (true) or not (false)"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (default 50)"),
        ("cursor" = Option<String>, Query, pattern = "^inv_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$", description = "`next_cursor` of the previous page")
    ),
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
    let mut params = QueryParams::parse(req.query_string())?;
    let page = params.page(IdKind::Invoice)?;
    let mut filter = InvoiceFilter {
        client_id: params.parse_with("client_id", id_of(IdKind::Client))?,
        service_type: params.parse_with("service", ServiceType::parse)?,
        offer_id: params.parse_with("offer_id", id_of(IdKind::Offer))?,
        status: params.parse_with("status", InvoiceStatus::parse)?,
        period: params.parse_with("period", Period::parse)?,
        overdue: params.parse_with("overdue", parse_bool)?,
        as_of: Date::MIN,
    };
    params.finish()?;
    let (page, today) = blocking(move || {
        let today = services.invoices.today();
        filter.as_of = today;
        Ok((services.invoices.list(&filter, &page)?, today))
    })
    .await?;
    Ok(HttpResponse::Ok().json(InvoiceList {
        items: page
            .items
            .iter()
            .map(|i| InvoiceResponse::new(i, today))
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
