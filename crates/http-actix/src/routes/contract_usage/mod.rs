//! Issue #21, seeing usage: a contract's used, included and remaining amounts of a month, and
//! its overage so far. The landing's per-client view (`landing::usage`) shares these shapes.

mod dto;

use actix_web::{get, web, HttpResponse};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::ContractId;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{ClientUsageResponse, ClientUsageView, ContractUsageResponse, UsageKindView};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::{FromQuery, QueryParams};
use crate::responses::AuthErrors;

/// Registers the usage view of a contract.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(contract_usage);
}

/// `?period=` of a contract's usage.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractUsageQuery {
    /// The month, `YYYY-MM`; default the current month. Up to the current month, and one with
    /// a day of the contract's service
    #[param(value_type = Option<String>, example = "2026-03")]
    pub period: Option<String>,
}

impl FromQuery for ContractUsageQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        // Checked by the use case, which knows the current month and the contract's life:
        // every refusal of the month is then one 422 on `period`.
        Ok(ContractUsageQuery {
            period: params.take("period")?,
        })
    }
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    params(("contract_id" = String, Path, description = "`ctr_…`"), ContractUsageQuery),
    responses(
        (status = 200, description = "Used, included and remaining by kind, and the overage so far, rated as the invoice rates the month", body = ContractUsageResponse),
        (status = 400, description = "`invalid_query`: an unknown or repeated parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`contract_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` on `period`: not a month, after the current one, or without a day of the contract's service (before its start, after its end, pending or cancelled)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{contract_id}/usage")]
async fn contract_usage(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let contract_id = path_id(&path, ContractId::parse, Resource::Contract)?;
    let period = query.read::<ContractUsageQuery>()?.period;
    let usage = blocking(move || {
        services
            .usage_views
            .contract_usage(&contract_id, period.as_deref())
    })
    .await?;
    Ok(HttpResponse::Ok().json(ContractUsageResponse::from(&usage)))
}
