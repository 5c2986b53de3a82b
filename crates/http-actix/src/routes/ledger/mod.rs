//! The client's ledger (issue #14): balance, statement, refunds of credit and payment
//! reversals.

mod dto;

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::error::Resource;
use domain::ledger::{RefundInput, ReversalInput};
use domain::services::Services;
use domain::typed_ids::{ClientId, PaymentId};
use time::Date;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::download;
use crate::idempotency::{self, json_response};
use crate::json::ApiJson;
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::{parse_date, FromQuery, QueryParams};
use crate::responses::{AuthErrors, CollectionsErrors};
pub use dto::{
    BalanceResponse, RefundRequest, RefundResponse, RefundSourceResponse, ReopenedInvoiceResponse,
    ReversalRequest, ReversalResponse, StatementLineResponse, StatementResponse,
};

/// Registers a client's balance and statement, under the `/customers` scope.
pub fn configure_on_customers(cfg: &mut ServiceConfig) {
    cfg.service(balance)
        .service(statement)
        .service(statement_pdf);
}

/// Registers refunds and reversals, under the `/collections` scope.
pub fn configure_on_collections(cfg: &mut ServiceConfig) {
    cfg.service(refund).service(reverse_payment);
}

#[utoipa::path(
    tag = "ledger",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`")),
    responses(
        (status = 200, description = "The client's balance from the documents", body = BalanceResponse),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{client_id}/balance")]
async fn balance(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let balance = blocking(move || services.ledger.balance(&id)).await?;
    Ok(HttpResponse::Ok().json(BalanceResponse::from(balance)))
}

/// The period of a statement: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// First day (`YYYY-MM-DD`); from the first movement when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// Last day (`YYYY-MM-DD`); today when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Date>,
}

impl FromQuery for StatementQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        Ok(StatementQuery {
            from: params.parse_with("from", parse_date)?,
            to: params.parse_with("to", parse_date)?,
        })
    }
}

#[utoipa::path(
    tag = "ledger",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`"), StatementQuery),
    responses(
        (status = 200, description = "The relevé de compte: every movement in date order with a running balance", body = StatementResponse),
        (status = 400, description = "`invalid_query`: unknown parameter or malformed date", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `from` after `to`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{client_id}/statement")]
async fn statement(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query: StatementQuery = QueryParams::parse(req.query_string())?.read()?;
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let client = id.to_string();
    let statement = blocking(move || services.ledger.statement(&id, query.from, query.to)).await?;
    Ok(HttpResponse::Ok().json(StatementResponse::new(client, statement)))
}

#[utoipa::path(
    tag = "ledger",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`"), StatementQuery),
    responses(
        (status = 200, description = "The statement as a PDF (\"Relevé de compte\"), as of `to`", content_type = "application/pdf"),
        (status = 400, description = "`invalid_query`: unknown parameter or malformed date", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `from` after `to`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{client_id}/statement/pdf")]
async fn statement_pdf(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query: StatementQuery = QueryParams::parse(req.query_string())?.read()?;
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let name = format!("releve-{id}");
    let pdf = blocking(move || services.ledger.statement_pdf(&id, query.from, query.to)).await?;
    Ok(download::pdf(&name, pdf))
}

#[utoipa::path(
    tag = "ledger",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = RefundRequest,
    params(("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")),
    responses(
        (status = 201, description = "Credit paid back, sources consumed oldest first", body = RefundResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "client_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "idempotency_key_in_use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed, insufficient_credit or idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/refunds")]
async fn refund(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let body = json.body;
    let input = RefundInput {
        client_id: body.client_id,
        amount: body.amount,
        method: body.method,
        reference: body.reference,
    };
    let ledger = services.ledger.clone();
    let actor = caller.recorded_who();
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &json.document,
        move |uow| ledger.refund_in(uow, &input, &actor),
        |receipt| json_response(StatusCode::CREATED, &RefundResponse::from(receipt)),
    )
    .await
}

#[utoipa::path(
    tag = "ledger",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = ReversalRequest,
    params(
        ("payment_id" = String, Path, description = "`pay_…`"),
        ("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")
    ),
    responses(
        (status = 201, description = "The payment undone: its invoices reopened, its credit removed", body = ReversalResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "payment_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "payment_already_reversed or idempotency_key_in_use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed, payment_credit_refunded or idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/payments/{payment_id}/reversal")]
async fn reverse_payment(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<ReversalRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let payment_id = path_id(&path, PaymentId::parse, Resource::Payment)?;
    let input = ReversalInput {
        reason: json.body.reason,
    };
    let ledger = services.ledger.clone();
    let actor = caller.recorded_who();
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &json.document,
        move |uow| ledger.reverse_payment_in(uow, &payment_id, &input, &actor),
        |receipt| json_response(StatusCode::CREATED, &ReversalResponse::from(receipt)),
    )
    .await
}
