//! P14: post a payment, approve an invoice as paid (both idempotent), list payments.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::collections::{PaymentFilter, PaymentInput, PaymentMethod, MAX_REFERENCE_CHARS};
use domain::error::Resource;
use domain::ids::IdKind;
use domain::page::PageRequest;
use domain::services::Services;
use domain::typed_ids::{ClientId, InvoiceId, PaymentId};
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{Page, PaymentResponse, PaymentSummary};
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::idempotency::{self, json_response};
use crate::json::{ApiJson, OptionalApiJson};
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::{id_of, parse_date, FromQuery, QueryParams};
use crate::responses::{AuthErrors, CollectionsErrors};

/// Registers this module's handlers.
pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(record_payment)
        .service(approve_paid)
        .service(list_payments)
        .service(get_payment);
}

/// A payment received from a client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    /// Payer (`cli_…`).
    pub client_id: String,
    /// Centimes, > 0.
    pub amount: i64,
    /// `cash`, `card`, `transfer`, `agency` or `mobile_money` (`operator_approval` is
    /// reserved for approve-paid).
    pub method: String,
    /// External reference (bank, receipt…), at most 100 characters. No control, escape or bidi formatting character.
    pub reference: Option<String>,
    /// `YYYY-MM-DD`, not in the future; today when absent.
    pub received_at: Option<String>,
    /// Invoice to pay first (`inv_…`), which must be the client's.
    pub invoice_id: Option<String>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = PaymentRequest,
    params(("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")),
    responses(
        (status = 201, description = "Payment posted and allocated", body = PaymentResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "client_not_found or invoice_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "invoice_not_open (the named invoice is paid or void; nothing recorded) or idempotency_key_in_use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed, invoice_not_owned or idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/payments")]
async fn record_payment(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let body = json.body;
    let input = PaymentInput {
        client_id: body.client_id,
        amount: body.amount,
        method: body.method,
        reference: body.reference,
        received_at: body.received_at,
        invoice_id: body.invoice_id,
    };
    let payments = services.payments.clone();
    let actor = caller.recorded_who();
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &json.document,
        move |uow| payments.record_payment_in(uow, &input, &actor),
        |receipt| json_response(StatusCode::CREATED, &PaymentResponse::from(receipt)),
    )
    .await
}

/// Approval of an invoice as paid.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovePaidRequest {
    /// Why (kept as the payment's reference), at most 100 characters. No control, escape or bidi formatting character.
    pub note: Option<String>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    request_body(content = Option<ApprovePaidRequest>, description = "Optional: the request may carry no body and no Content-Type"),
    params(
        ("invoice_id" = String, Path, description = "`inv_…`"),
        ("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")
    ),
    responses(
        (status = 201, description = "An operator_approval payment of the outstanding amount", body = PaymentResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "invoice_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "invoice_already_paid or idempotency_key_in_use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed, invoice_void or idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/invoices/{invoice_id}/approve-paid")]
async fn approve_paid(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    OptionalApiJson(json): OptionalApiJson<ApprovePaidRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let invoice_id = existing(InvoiceId::parse(&path.into_inner()), Resource::Invoice)?;
    let note = json.body.note;
    let payments = services.payments.clone();
    let actor = caller.recorded_who();
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &json.document,
        move |uow| payments.approve_paid_in(uow, &invoice_id, note.as_deref(), &actor),
        |receipt| json_response(StatusCode::CREATED, &PaymentResponse::from(receipt)),
    )
    .await
}

/// Filters of the payment list: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentListQuery {
    /// Payer.
    #[param(value_type = Option<String>)]
    pub client_id: Option<ClientId>,
    /// Payments with an allocation to this invoice.
    #[param(value_type = Option<String>)]
    pub invoice_id: Option<InvoiceId>,
    /// Method.
    #[param(
        value_type = Option<String>,
        pattern = "^(cash|card|transfer|agency|mobile_money|operator_approval)$"
    )]
    pub method: Option<PaymentMethod>,
    /// Received on or after (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Received on or before (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
    /// Exactly this external (bank) reference, as posted (1 to 100 characters).
    pub reference: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^pay_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for PaymentListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::Payment)?;
        Ok(PaymentListQuery {
            client_id: params.parse_with("client_id", id_of::<ClientId>())?,
            invoice_id: params.parse_with("invoice_id", id_of::<InvoiceId>())?,
            method: params.parse_with("method", PaymentMethod::parse)?,
            from: params.parse_with("from", parse_date)?,
            to: params.parse_with("to", parse_date)?,
            reference: params.parse_with("reference", parse_reference_filter)?,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// A reference filter: trimmed, 1 to 100 characters (what a posted reference may be).
fn parse_reference_filter(raw: &str) -> Result<String, String> {
    let reference = raw.trim();
    if reference.is_empty() || reference.chars().count() > MAX_REFERENCE_CHARS {
        Err(format!("must be 1 to {MAX_REFERENCE_CHARS} characters"))
    } else {
        Ok(reference.to_owned())
    }
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(PaymentListQuery),
    responses(
        (status = 200, description = "Payments with their allocations, by id", body = Page<PaymentSummary>),
        (status = 400, description = "invalid_query", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/payments")]
async fn list_payments(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let query: PaymentListQuery = QueryParams::parse(req.query_string())?.read()?;
    let filter = PaymentFilter {
        client_id: query.client_id,
        invoice_id: query.invoice_id,
        method: query.method,
        from: query.from,
        to: query.to,
        reference: query.reference,
    };
    let page = blocking(move || services.payments.list_payments(&filter, &query.page)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items.into_iter().map(PaymentSummary::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("payment_id" = String, Path, description = "`pay_…`")),
    responses(
        (status = 200, description = "The payment with its allocations", body = PaymentSummary),
        (status = 404, description = "payment_not_found", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/payments/{payment_id}")]
async fn get_payment(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(PaymentId::parse(&path.into_inner()), Resource::Payment)?;
    let payment = blocking(move || services.payments.find_payment(&id)).await?;
    Ok(HttpResponse::Ok().json(PaymentSummary::from(payment)))
}
