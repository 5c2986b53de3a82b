//! The tamper-evident archive (issue #18): verification of the hash chains over a range of
//! issue dates. Operators only: admin, billing or viewer.

mod dto;

use actix_web::{get, web, HttpResponse};
use domain::access::Role;
use domain::archive::ArchiveService;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{BreakResponse, ChainResponse, VerificationResponse, VerifyQuery};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::ExportErrors;

/// Registers the archive handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(verify);
}

#[utoipa::path(
    tag = "archive",
    security(("bearer" = []), ("actor_id" = [])),
    params(VerifyQuery),
    responses(
        (status = 200, description = "Every series recomputed over the documents issued in the range: the stored PDF's hash, a fresh UBL's hash and the chain link of each, with the first break of each series if any", body = VerificationResponse),
        (status = 400, description = "`invalid_query`: an unknown or repeated parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `from` or `to` missing or not a date, `to` before `from`, or more than 366 days", body = Problem, content_type = "application/problem+json"),
        ExportErrors
    )
)]
#[get("/archive/verify")]
async fn verify(
    caller: Caller,
    archive: web::Data<ArchiveService>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Billing, Role::Viewer])?;
    let VerifyQuery { range, .. } = query.read()?;
    let verification = blocking(move || archive.verify(range)).await?;
    Ok(HttpResponse::Ok().json(VerificationResponse::from(verification)))
}
