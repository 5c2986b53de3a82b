//! P11: start a billing run (idempotent, batch by batch), list runs, read one.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::billing::{BillingRun, RunReport, RunRequest};
use domain::idempotency::IdempotencyRequest;
use domain::ids::IdKind;
use domain::services::Services;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{recorded_parts, Caller};
use crate::blocking::blocking;
use crate::idempotency::{fingerprint, json_response, required_key, respond};
use crate::json::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::query::{page_bounds, QueryParams};

/// Registers the P11 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_run).service(list_runs).service(get_run);
}

/// A billing run to start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRunRequest {
    /// Month billed, `YYYY-MM`: at most the month after the current one.
    #[schema(example = "2026-02")]
    pub period: String,
    /// Issue date of the invoices, `YYYY-MM-DD` (default today); its year numbers them. From
    /// the billed month's first day to 45 days after its last. The due date is always this
    /// plus the configured payment term (`MTF_DUE_IN_DAYS`).
    #[schema(example = "2026-03-01")]
    pub issue_date: Option<String>,
    /// Compute the figures without writing anything (default false).
    pub dry_run: Option<bool>,
    /// Deprecated: the payment term is the operator's setting (`MTF_DUE_IN_DAYS`). Accepted
    /// only when equal to it, so integrators that send it keep working; any other value is a
    /// 422 naming this field.
    #[schema(deprecated, example = 15)]
    pub due_in_days: Option<i64>,
}

/// Money totals of a run.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RunTotals {
    /// Sum excl. tax, centimes.
    pub excl_tax: i64,
    /// Sum of TVA, centimes.
    pub tax: i64,
    /// Sum incl. tax, centimes.
    pub incl_tax: i64,
    /// `MAD`.
    pub currency: String,
}

/// A billing run.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BillingRunResponse {
    /// `run_…`; null for a dry run (nothing is stored).
    pub id: Option<String>,
    /// Same as `id`.
    pub billing_run_id: Option<String>,
    /// Month billed, `YYYY-MM`.
    pub period: String,
    /// `running`, `completed` or `failed`.
    pub status: String,
    /// Whether the figures were only computed.
    pub dry_run: bool,
    /// Issue date of its invoices.
    pub issue_date: String,
    /// Due date of its invoices.
    pub due_date: String,
    /// Invoices issued (or that would be, for a dry run).
    pub invoice_count: i64,
    /// Billable contracts already invoiced for the period by another run.
    pub skipped_count: i64,
    /// Its invoices in number order (empty for a dry run; absent from lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_ids: Option<Vec<String>>,
    /// Totals of its invoices.
    pub totals: RunTotals,
    /// Who started it.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token, else `null`.
    pub via_gateway: Option<String>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
}

impl BillingRunResponse {
    /// The representation of `run`, with `invoice_ids` when given.
    pub fn new(run: &BillingRun, invoice_ids: Option<Vec<String>>) -> Self {
        // A dry run is never stored, so it has no id.
        let id = (!run.dry_run).then(|| run.id.clone());
        Self {
            billing_run_id: id.clone(),
            id,
            period: run.period.clone(),
            status: run.status.as_str().into(),
            dry_run: run.dry_run,
            issue_date: run.issue_date.to_string(),
            due_date: run.due_date.to_string(),
            invoice_count: run.invoice_count,
            skipped_count: run.skipped_count,
            invoice_ids,
            totals: RunTotals {
                excl_tax: run.total_excl_tax,
                tax: run.total_tax,
                incl_tax: run.total_incl_tax,
                currency: run.currency.clone(),
            },
            actor_id: recorded_parts(&run.actor_id).0,
            via_gateway: recorded_parts(&run.actor_id).1,
            created_at: run.created_at,
            updated_at: run.updated_at,
        }
    }

    /// The representation of a run and its invoices.
    pub fn of_report(report: &RunReport) -> Self {
        Self::new(&report.run, Some(report.invoice_ids.clone()))
    }
}

/// A page of runs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BillingRunList {
    /// Runs, oldest first (without `invoice_ids`).
    pub items: Vec<BillingRunResponse>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(("Idempotency-Key" = String, Header, description = "Unique per run attempt; a retry with the same key resumes or replays the run")),
    request_body = CreateRunRequest,
    responses(
        (status = 201, description = "Run completed (or dry run computed); a replay carries `Idempotent-Replayed: true`", body = BillingRunResponse),
        (status = 400, description = "Malformed body or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a billing actor", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this key is still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid period, dates or terms, or the key was used with another request", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/billing/runs")]
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
            json_response(StatusCode::CREATED, &BillingRunResponse::of_report(report))
        })
    })
    .await?;
    Ok(respond(outcome))
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    params(
        ("limit" = Option<i64>, Query, description = "Page size, 1 to 500 (default 50)"),
        ("cursor" = Option<String>, Query, pattern = "^run_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$", description = "`next_cursor` of the previous page")
    ),
    responses(
        (status = 200, description = "Runs, oldest first", body = BillingRunList),
        (status = 400, description = "Invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/billing/runs")]
async fn list_runs(
    req: HttpRequest,
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let mut params = QueryParams::parse(req.query_string())?;
    let page = params.page(IdKind::BillingRun)?;
    params.finish()?;
    let (limit, cursor) = page_bounds(&page);
    let page = blocking(move || services.billing.list(cursor, limit)).await?;
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
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such run (`billing_run_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/billing/runs/{billing_run_id}")]
async fn get_run(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let report = blocking(move || services.billing.find(&id)).await?;
    Ok(HttpResponse::Ok().json(BillingRunResponse::of_report(&report)))
}
