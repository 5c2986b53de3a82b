//! P11: start a billing run (idempotent, batch by batch), list runs, read one.

mod dto;

use actix_web::http::header::ContentType;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::billing::{RunReport, RunRequest};
use domain::error::Resource;
use domain::idempotency::{IdempotencyRequest, StoredResponse};
use domain::services::Services;
use domain::typed_ids::BillingRunId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{BillingRunList, BillingRunResponse, CreateRunRequest, RunListQuery, RunTotals};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::idempotency::{fingerprint, required_key, respond};
use crate::json::ApiJson;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::AuthErrors;

/// Registers the P11 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_run).service(list_runs).service(get_run);
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("Idempotency-Key" = String, Header, description = "Unique per run attempt; a retry with the same key resumes or replays the run")),
    request_body = CreateRunRequest,
    responses(
        (status = 201, description = "Run completed (or dry run computed); a replay carries `Idempotent-Replayed: true`", body = BillingRunResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a billing actor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid period, dates or terms, or the key was used with another request", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[post("/runs")]
async fn create_run(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<CreateRunRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.require(Role::Billing)?;
    let key = IdempotencyRequest {
        scope: actor.id.to_string(),
        key: required_key(&req)?,
        fingerprint: fingerprint(&req, &json.document),
    };
    let actor_id = caller.recorded_who();
    let request = RunRequest {
        period: json.body.period,
        issue_date: json.body.issue_date,
        due_in_days: json.body.due_in_days,
        dry_run: json.body.dry_run.unwrap_or(false),
    };
    let outcome = blocking(move || {
        services.billing.run(&actor_id, &request, &key, |report| {
            run_answer(StatusCode::CREATED, report)
        })
    })
    .await?;
    Ok(respond(outcome))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(RunListQuery),
    responses(
        (status = 200, description = "Runs, oldest first", body = BillingRunList),
        (status = 400, description = "Invalid query parameter", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/runs")]
async fn list_runs(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let query: RunListQuery = QueryParams::parse(req.query_string())?.read()?;
    let page = blocking(move || services.billing.list(&query.page)).await?;
    Ok(HttpResponse::Ok().json(BillingRunList {
        items: page
            .items
            .iter()
            .map(|run| BillingRunResponse::new(run, None))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("billing_run_id" = String, Path, description = "`run_…`")),
    responses(
        (status = 200, description = "The run and its invoice ids", body = BillingRunResponse),
        (status = 404, description = "No such run (`billing_run_not_found`)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/runs/{billing_run_id}")]
async fn get_run(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(
        BillingRunId::parse(&path.into_inner()),
        Resource::BillingRun,
    )?;
    let report = blocking(move || services.billing.find(&id)).await?;
    let answer = run_answer(StatusCode::OK, &report)?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(answer.body))
}

/// A run and its invoice ids, encoded without copying the ids (decision 0350).
pub fn run_answer(status: StatusCode, report: &RunReport) -> domain::Result<StoredResponse> {
    let body = BillingRunResponse::encode_report(report)
        .map_err(|e| domain::Error::Storage(format!("response encoding: {e}")))?;
    Ok(StoredResponse {
        status: status.as_u16(),
        body,
    })
}
