//! P15: collection cases — list, read, actions history, manual actions, status changes.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::collections::{ActionInput, CaseFilter, CaseStatus};
use domain::error::Resource;
use domain::ids::IdKind;
use domain::page::PageRequest;
use domain::services::Services;
use domain::typed_ids::{CaseId, ClientId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{ActionResponse, CaseResponse, Page};
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::{id_of, int_between, FromQuery, QueryParams};
use crate::responses::{AuthErrors, CollectionsErrors};

/// Registers this module's handlers.
pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_cases)
        .service(get_case)
        .service(list_actions)
        .service(add_action)
        .service(change_status);
}

/// Filters of the case list: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// `open`, `in_progress`, `promise_to_pay`, `disputed`, `resolved`, `written_off` or
    /// `closed`.
    #[param(
        value_type = Option<String>,
        pattern = "^(open|in_progress|promise_to_pay|disputed|resolved|written_off|closed)$"
    )]
    pub status: Option<CaseStatus>,
    /// Debtor.
    #[param(value_type = Option<String>)]
    pub client_id: Option<ClientId>,
    /// Overdue amount at least this (centimes).
    #[param(minimum = 0)]
    pub min_overdue: Option<i64>,
    /// Exact dunning level, 0 to 4.
    #[param(minimum = 0, maximum = 4)]
    pub dunning_level: Option<i32>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^case_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for CaseListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::CollectionCase)?;
        let dunning_level = params
            .parse_with("dunning_level", int_between(0, 4))?
            .and_then(|n| i32::try_from(n).ok());
        Ok(CaseListQuery {
            status: params.parse_with("status", CaseStatus::parse)?,
            client_id: params.parse_with("client_id", id_of::<ClientId>())?,
            min_overdue: params.parse_with("min_overdue", int_between(0, i64::MAX))?,
            dunning_level,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(CaseListQuery),
    responses(
        (status = 200, description = "Cases by id, overdue figures as of today", body = Page<CaseResponse>),
        (status = 400, description = "invalid_query", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/cases")]
async fn list_cases(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let query: CaseListQuery = QueryParams::parse(req.query_string())?.read()?;
    let filter = CaseFilter {
        status: query.status,
        client_id: query.client_id,
        min_overdue: query.min_overdue,
        dunning_level: query.dunning_level,
    };
    let page = blocking(move || services.cases.list(&filter, &query.page)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: page.items.into_iter().map(CaseResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("case_id" = String, Path, description = "`case_…`")),
    responses(
        (status = 200, description = "The case", body = CaseResponse),
        (status = 404, description = "case_not_found", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/cases/{case_id}")]
async fn get_case(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case_id = existing(CaseId::parse(&path.into_inner()), Resource::CollectionCase)?;
    let case = blocking(move || services.cases.get(&case_id)).await?;
    Ok(HttpResponse::Ok().json(CaseResponse::from(case)))
}

/// A case's actions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionList {
    /// Oldest first.
    pub items: Vec<ActionResponse>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("case_id" = String, Path, description = "`case_…`")),
    responses(
        (status = 200, description = "Actions, oldest first", body = ActionList),
        (status = 404, description = "case_not_found", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/cases/{case_id}/actions")]
async fn list_actions(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case_id = existing(CaseId::parse(&path.into_inner()), Resource::CollectionCase)?;
    let actions = blocking(move || services.cases.actions(&case_id)).await?;
    Ok(HttpResponse::Ok().json(ActionList {
        items: actions.into_iter().map(ActionResponse::from).collect(),
    }))
}

/// A manual action.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateActionRequest {
    /// `call`, `email`, `sms`, `letter`, `visit`, `promise_to_pay`, `payment_plan` or `note`.
    pub action_type: String,
    /// Free note, at most 1000 characters. Line feeds and tabs allowed; no other control,
    /// escape or bidi formatting character.
    pub note: Option<String>,
    /// Required with `promise_to_pay`, refused otherwise: the day by which the client
    /// promises to pay (`YYYY-MM-DD`, today to 366 days ahead).
    #[schema(format = Date)]
    pub promised_date: Option<String>,
    /// Required with `promise_to_pay`, refused otherwise: the amount promised, centimes,
    /// above zero and at most the case's overdue amount.
    #[schema(minimum = 1)]
    pub amount: Option<i64>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("case_id" = String, Path, description = "`case_…`")),
    request_body = CreateActionRequest,
    responses(
        (status = 201, description = "Action recorded; a `promise_to_pay` also puts the case in `promise_to_pay`, holding its ladder until the promise is kept or its date passes", body = ActionResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "case_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "invalid_status_transition: a promise on a disputed, resolved, written-off or closed case", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (action_type, note, promised_date, amount)", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/cases/{case_id}/actions")]
async fn add_action(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<CreateActionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let actor_id = caller.recorded_who();
    let case_id = existing(CaseId::parse(&path.into_inner()), Resource::CollectionCase)?;
    let body = json.body;
    let action = blocking(move || {
        let input = ActionInput {
            action_type: &body.action_type,
            note: body.note.as_deref(),
            promised_date: body.promised_date.as_deref(),
            amount: body.amount,
        };
        services.cases.add_action(&case_id, &input, &actor_id)
    })
    .await?;
    Ok(HttpResponse::Created().json(ActionResponse::from(action)))
}

/// A status change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStatusRequest {
    /// Target status: `open`, `in_progress`, `resolved`, `written_off` or `closed`
    /// (`promise_to_pay` is entered by recording a promise, `disputed` by opening a dispute).
    pub status: String,
    /// Why, at most 1000 characters (kept on the `status_changed` action). Line feeds and tabs allowed; no other control,
    /// escape or bidi formatting character.
    pub note: Option<String>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("case_id" = String, Path, description = "`case_…`")),
    request_body = CaseStatusRequest,
    responses(
        (status = 200, description = "The case after the change", body = CaseResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "case_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "invalid_status_transition (also any move to promise_to_pay or disputed, and any move of a disputed case)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (status, note)", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[put("/cases/{case_id}/status")]
async fn change_status(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<CaseStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let actor_id = caller.recorded_who();
    let case_id = existing(CaseId::parse(&path.into_inner()), Resource::CollectionCase)?;
    let body = json.body;
    let case = blocking(move || {
        services
            .cases
            .change_status(&case_id, &body.status, body.note.as_deref(), &actor_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CaseResponse::from(case)))
}
