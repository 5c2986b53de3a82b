//! Usage records from the network's mediation system (issue #21, decisions 0365–0369).

mod body;
mod dto;

use actix_web::{post, web, HttpResponse};
use domain::access::Role;
use domain::services::Services;
use utoipa_actix_web::service_config::ServiceConfig;

pub use body::MAX_RECORDS_BYTES;
pub use dto::{RejectedRecord, ThresholdReachedData, UsageIngestResponse, UsageRecordRequest};

use self::body::RecordsBody;
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::problem::{ApiError, Problem};
use crate::responses::MediationErrors;

/// The one path a mediation-only actor may call (see `auth`).
pub const RECORDS_PATH: &str = "/api/v1/usage/records";

/// Registers this module's handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ingest_records);
}

#[utoipa::path(
    tag = "usage",
    security(("bearer" = []), ("actor_id" = [])),
    request_body(
        description = "Usage records: `application/x-ndjson`, one record per line (e.g. \
            `{\"record_id\":\"CDR-1\",\"service_identifier\":\"+212612345678\",\"kind\":\"voice\",\
            \"started_at\":\"2026-03-10T08:15:00+01:00\",\"quantity\":125}`), or a JSON array of \
            the same objects. Each record is a `UsageRecordRequest`; one that does not match it \
            is not refused with the request but rejected alone in the answer (`invalid_record`, \
            `invalid_quantity`, ...), so the items are documented as any JSON value. At most \
            100,000 records and 48 MiB.",
        content(
            (String = "application/x-ndjson"),
            (Vec<serde_json::Value> = "application/json")
        )
    ),
    responses(
        (status = 200, description = "The batch was stored: counts of accepted (of which late) and duplicate records, and each rejected record with its line and code", body = UsageIngestResponse),
        (status = 400, description = "`malformed_json` (the JSON array cannot be parsed) or `invalid_body` (not UTF-8, not an array)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: more than 48 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "unsupported_media_type: send application/x-ndjson or application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (`body`: no record, or more than 100,000)", body = Problem, content_type = "application/problem+json"),
        MediationErrors
    )
)]
#[post("/usage/records")]
async fn ingest_records(
    caller: Caller,
    services: web::Data<Services>,
    body: RecordsBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Mediation)?;
    let records = body.read()?;
    let actor = caller.recorded_who();
    let report = blocking(move || services.usage.ingest(records, &actor)).await?;
    Ok(HttpResponse::Ok().json(UsageIngestResponse::from(&report)))
}
