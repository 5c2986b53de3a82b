//! P12: list invoices with filters, read one, download its PDF.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use domain::billing::{Invoice, InvoiceFilter, InvoiceLine, InvoiceStatus, Period};
use domain::error::Resource;
use domain::ids::IdKind;
use domain::service_type::ServiceType;
use domain::services::Services;
use domain::typed_ids::InvoiceId;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::{id_of, page_bounds, parse_bool, QueryParams};

/// Registers the P12 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_invoices)
        .service(get_invoice)
        .service(invoice_pdf);
}

/// One billed line: an offer period inside the month.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLineResponse {
    /// Order on the invoice, from 1.
    pub position: i32,
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
}

impl InvoiceLineResponse {
    fn new(line: &InvoiceLine) -> Self {
        Self {
            position: line.position,
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
    /// Contract billed.
    pub contract_id: String,
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
    /// Still due, centimes.
    pub outstanding: i64,
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
}

impl InvoiceResponse {
    /// The representation of `invoice` as of `today`.
    pub fn new(invoice: &Invoice, today: Date) -> Self {
        Self {
            id: invoice.id.to_string(),
            invoice_number: invoice.invoice_number.clone(),
            billing_run_id: invoice.billing_run_id.to_string(),
            client_id: invoice.client_id.to_string(),
            contract_id: invoice.contract_id.to_string(),
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
            outstanding: invoice.outstanding().centimes(),
            overdue: invoice.is_overdue(today),
            currency: invoice.currency.clone(),
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
        }
    }
}

/// A page of invoices.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InvoiceList {
    /// Invoices in id (creation) order.
    pub items: Vec<InvoiceResponse>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(
        ("client_id" = Option<String>, Query, description = "Client billed"),
        ("service" = Option<String>, Query, pattern = "^(mobile|internet|landline)$", description = "`mobile`, `internet` or `landline`"),
        ("offer_id" = Option<String>, Query, description = "Offer of the invoice"),
        ("status" = Option<String>, Query, pattern = "^(issued|partially_paid|paid|void)$", description = "`issued`, `partially_paid`, `paid` or `void`"),
        ("period" = Option<String>, Query, pattern = "^\\s*2[0-9]{3}-(0[1-9]|1[0-2])\\s*$", description = "Month billed, `YYYY-MM`"),
        ("overdue" = Option<bool>, Query, description = "Past due with something outstanding (true) or not (false)"),
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (default 50)"),
        ("cursor" = Option<String>, Query, pattern = "^inv_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$", description = "`next_cursor` of the previous page")
    ),
    responses(
        (status = 200, description = "Invoices", body = InvoiceList),
        (status = 400, description = "Invalid query parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json")
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
    let (limit, cursor) = page_bounds(&page);
    let (page, today) = blocking(move || {
        let today = services.invoices.today();
        filter.as_of = today;
        Ok((services.invoices.list(&filter, cursor, limit)?, today))
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
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json")
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

/// A PDF answer, shown inline, named after the document.
pub fn pdf_response(name: &str, pdf: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.pdf\""),
        ))
        .body(pdf)
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("invoice_id" = String, Path, description = "`inv_…`")),
    responses(
        (status = 200, description = "The invoice PDF, produced at the first download and identical ever after", content_type = "application/pdf"),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice (`invoice_not_found`)", body = Problem, content_type = "application/problem+json")
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
    Ok(pdf_response(&name, pdf))
}
