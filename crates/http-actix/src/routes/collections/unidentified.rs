//! Issue 22 §3: unidentified money: list the receipts, read one, assign one to its client
//! (idempotent).

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::error::Resource;
use domain::ids::IdKind;
use domain::page::PageRequest;
use domain::payment_imports::{AssignInput, ReceiptFilter, ReceiptStatus};
use domain::services::Services;
use domain::typed_ids::ReceiptId;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::Page;
use super::imports_dto::{AssignRequest, AssignResponse, ReceiptResponse};
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::idempotency::{self, json_response};
use crate::json::ApiJson;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::{FromQuery, QueryParams};
use crate::responses::{AuthErrors, CollectionsErrors};

/// Registers this module's handlers.
pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_receipts)
        .service(get_receipt)
        .service(assign_receipt);
}

/// Filters of the receipt list: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptListQuery {
    /// `unidentified` (waiting for a client) or `assigned`.
    #[param(value_type = Option<String>, pattern = "^(unidentified|assigned)$")]
    pub status: Option<ReceiptStatus>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^rcp_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for ReceiptListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::UnidentifiedReceipt)?;
        Ok(ReceiptListQuery {
            status: params.parse_with("status", ReceiptStatus::parse)?,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(ReceiptListQuery),
    responses(
        (status = 200, description = "Receipts, by id", body = Page<ReceiptResponse>),
        (status = 400, description = "invalid_query", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/unidentified")]
async fn list_receipts(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let query: ReceiptListQuery = QueryParams::parse(req.query_string())?.read()?;
    let filter = ReceiptFilter {
        status: query.status,
    };
    let page =
        blocking(move || services.payment_imports.list_receipts(&filter, &query.page)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items.iter().map(ReceiptResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("receipt_id" = String, Path, description = "`rcp_…`")),
    responses(
        (status = 200, description = "The receipt", body = ReceiptResponse),
        (status = 404, description = "receipt_not_found", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/unidentified/{receipt_id}")]
async fn get_receipt(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(
        ReceiptId::parse(&path.into_inner()),
        Resource::UnidentifiedReceipt,
    )?;
    let receipt = blocking(move || services.payment_imports.find_receipt(&id)).await?;
    Ok(HttpResponse::Ok().json(ReceiptResponse::from(&receipt)))
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = AssignRequest,
    params(
        ("receipt_id" = String, Path, description = "`rcp_…`"),
        ("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")
    ),
    responses(
        (status = 201, description = "The receipt is assigned and posted as the client's payment, with the usual allocation", body = AssignResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "receipt_not_found, client_not_found or invoice_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "receipt_already_assigned, invoice_not_open or idempotency_key_in_use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "invoice_not_owned or idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/unidentified/{receipt_id}/assign")]
async fn assign_receipt(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let receipt_id = existing(
        ReceiptId::parse(&path.into_inner()),
        Resource::UnidentifiedReceipt,
    )?;
    let input = AssignInput {
        client_id: json.body.client_id,
        invoice_id: json.body.invoice_id,
    };
    let imports = services.payment_imports.clone();
    let actor = caller.recorded_who();
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &json.document,
        move |uow| imports.assign_in(uow, &receipt_id, &input, &actor),
        |assigned| json_response(StatusCode::CREATED, &AssignResponse::from(assigned)),
    )
    .await
}
