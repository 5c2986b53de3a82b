//! P15: the dunning run and the collections overview.

use actix_web::{get, post, web, HttpResponse};
use domain::access::Role;
use domain::collections::CaseStatus;
use domain::services::Services;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::responses::{AuthErrors, CollectionsErrors};

/// Registers this module's handlers.
pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(run_dunning).service(overview);
}

/// A dunning run request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DunningRunRequest {
    /// Date to evaluate the ladder for, `YYYY-MM-DD`, not in the future; today when absent.
    pub as_of: Option<String>,
}

/// What a dunning run did.
#[derive(Debug, Serialize, ToSchema)]
pub struct DunningRunResponse {
    /// Date evaluated.
    pub as_of: String,
    /// Cases opened.
    pub cases_opened: usize,
    /// Ladder steps recorded (each at most once per case).
    pub actions_recorded: usize,
    /// Contracts suspended at the suspension step.
    pub contracts_suspended: usize,
    /// Cases resolved because nothing is overdue any more.
    pub cases_resolved: usize,
    /// Contracts suspended by dunning and reactivated.
    pub contracts_reactivated: usize,
    /// Promises to pay whose date passed without the amount paid (`promise_broken`).
    pub promises_broken: usize,
    /// Promises to pay whose amount was paid (`promise_kept`).
    pub promises_kept: usize,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = DunningRunRequest,
    responses(
        (status = 200, description = "The run's counts (running it again the same day records nothing twice)", body = DunningRunResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (as_of)", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/dunning/runs")]
async fn run_dunning(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<DunningRunRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let as_of = json.body.as_of;
    let report = blocking(move || services.dunning.run(as_of.as_deref())).await?;
    Ok(HttpResponse::Ok().json(DunningRunResponse {
        as_of: report.as_of.to_string(),
        cases_opened: report.cases_opened,
        actions_recorded: report.actions_recorded,
        contracts_suspended: report.contracts_suspended,
        cases_resolved: report.cases_resolved,
        contracts_reactivated: report.contracts_reactivated,
        promises_broken: report.promises_broken,
        promises_kept: report.promises_kept,
    }))
}

/// Overdue outstanding by days past due.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgingResponse {
    /// 1 to 30 days past due, centimes.
    pub d0_30: i64,
    /// 31 to 60 days.
    pub d31_60: i64,
    /// 61 to 90 days.
    pub d61_90: i64,
    /// More than 90 days.
    pub d90_plus: i64,
}

/// Number of cases in each status.
#[derive(Debug, Default, Serialize, ToSchema)]
#[allow(missing_docs)]
pub struct CasesByStatus {
    pub open: i64,
    pub in_progress: i64,
    pub promise_to_pay: i64,
    pub disputed: i64,
    pub resolved: i64,
    pub written_off: i64,
    pub closed: i64,
}

/// The collections snapshot.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewResponse {
    /// `MAD`.
    pub currency: String,
    /// Date the figures are computed for (today).
    pub as_of: String,
    /// Outstanding of every open invoice, centimes.
    pub outstanding_total: i64,
    /// Outstanding of overdue invoices, centimes.
    pub overdue_total: i64,
    /// Overdue outstanding by age.
    pub aging: AgingResponse,
    /// Cases per status.
    pub cases_by_status: CasesByStatus,
    /// Payments received this calendar month, centimes.
    pub collected_this_month: i64,
    /// When the last dunning run for its day completed (the daily schedule, its start-up
    /// catch-up, or `POST /collections/dunning/runs`); `null` before the first.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_dunning_run_at: Option<time::OffsetDateTime>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    responses(
        (status = 200, description = "Outstanding, overdue, aging, cases and collections of the month", body = OverviewResponse),
        AuthErrors
    )
)]
#[get("/overview")]
async fn overview(
    _caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    let as_of = services.ports.clock.today().to_string();
    let o = blocking(move || services.cases.overview()).await?;
    let mut cases = CasesByStatus::default();
    for (status, count) in o.cases_by_status {
        let slot = match status {
            CaseStatus::Open => &mut cases.open,
            CaseStatus::InProgress => &mut cases.in_progress,
            CaseStatus::PromiseToPay => &mut cases.promise_to_pay,
            CaseStatus::Disputed => &mut cases.disputed,
            CaseStatus::Resolved => &mut cases.resolved,
            CaseStatus::WrittenOff => &mut cases.written_off,
            CaseStatus::Closed => &mut cases.closed,
        };
        *slot = count;
    }
    Ok(HttpResponse::Ok().json(OverviewResponse {
        currency: o.currency,
        as_of,
        outstanding_total: o.outstanding_total.centimes(),
        overdue_total: o.overdue_total.centimes(),
        aging: AgingResponse {
            d0_30: o.aging.d0_30.centimes(),
            d31_60: o.aging.d31_60.centimes(),
            d61_90: o.aging.d61_90.centimes(),
            d90_plus: o.aging.d90_plus.centimes(),
        },
        cases_by_status: cases,
        collected_this_month: o.collected_this_month.centimes(),
        last_dunning_run_at: o.last_dunning_run_at,
    }))
}
