//! Issue #21 on the landing: the verified client's usage this month, contract by contract,
//! with the lookup token, rate limit and masking of the subscriptions list.

use actix_web::{get, web, HttpResponse};
use domain::services::Services;

use super::queries::LookupQuery;
use crate::blocking::blocking;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::LandingErrors;
use crate::routes::contract_usage::{ClientUsageResponse, ClientUsageView};

#[utoipa::path(
    tag = "landing",
    security(()),
    params(
        ("cin" = String, Path, description = "The verified CIN"),
        LookupQuery
    ),
    responses(
        (status = 200, description = "Usage this month of each contract with a day of service in it: used, included, remaining by kind, and the overage so far", body = ClientUsageResponse),
        (status = 400, description = "`invalid_query`: undecodable query string or repeated `lookup_token`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: missing, expired, tampered or other-CIN token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`: the client no longer exists", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[get("/{cin}/usage")]
pub async fn client_usage(
    services: web::Data<Services>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    // Other parameters are ignored, as on the subscriptions list.
    let token = query.read_ignoring_others::<LookupQuery>()?.lookup_token;
    let cin = path.into_inner();
    let usage = services.usage_views.clone();
    let answer = blocking(move || usage.client_usage(&cin, token.as_deref())).await?;
    Ok(HttpResponse::Ok().json(ClientUsageResponse {
        period: answer.period.to_string(),
        items: answer
            .items
            .into_iter()
            .map(ClientUsageView::from)
            .collect(),
    }))
}
