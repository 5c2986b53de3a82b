//! §5 of issue 22: a dispute over some of a case's invoices, opened and closed by an agent
//! (decision 0240).

use actix_web::{post, web, HttpResponse};
use domain::access::Role;
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::CaseId;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::CaseResponse;
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::responses::CollectionsErrors;

/// Registers this module's handlers.
pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(open_dispute).service(close_dispute);
}

/// A dispute to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDisputeRequest {
    /// The disputed invoices (`inv_…`, 1 to 100, no repeats): overdue invoices of the case's
    /// client with something outstanding.
    pub invoice_ids: Vec<String>,
    /// What the client contests, at most 1000 characters (kept on the `dispute_opened`
    /// action). Line feeds and tabs allowed; no other control, escape or bidi formatting
    /// character.
    pub note: Option<String>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("case_id" = String, Path, description = "`case_…`")),
    request_body = OpenDisputeRequest,
    responses(
        (status = 200, description = "The case, now `disputed`; its `disputed_invoice_ids` count for nothing in the dunning ladder until the dispute is closed", body = CaseResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "case_not_found, invoice_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "case_already_disputed; invalid_status_transition (the case is resolved, written off or closed); invoice_of_another_client; invoice_not_overdue", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (invoice_ids, note)", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/cases/{case_id}/dispute")]
async fn open_dispute(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<OpenDisputeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let actor_id = caller.recorded_who();
    let case_id = existing(CaseId::parse(&path.into_inner()), Resource::CollectionCase)?;
    let body = json.body;
    let case = blocking(move || {
        services
            .cases
            .open_dispute(&case_id, &body.invoice_ids, body.note.as_deref(), &actor_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CaseResponse::from(case)))
}

/// How a dispute ends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseDisputeRequest {
    /// `upheld` (in favour of the client) or `rejected` (the invoices are owed as billed).
    #[schema(pattern = "^(upheld|rejected)$")]
    pub outcome: String,
    /// Required when `upheld`, refused when `rejected`: the credit note (`cn_…`) issued
    /// through the ledger for one of the disputed invoices.
    pub credit_note_id: Option<String>,
    /// Why, at most 1000 characters (kept on the `dispute_closed` action). Line feeds and
    /// tabs allowed; no other control, escape or bidi formatting character.
    pub note: Option<String>,
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("case_id" = String, Path, description = "`case_…`")),
    request_body = CloseDisputeRequest,
    responses(
        (status = 200, description = "The case, back `in_progress` with its ladder resuming at the step after the last one reached, or `resolved` when nothing is overdue any more", body = CaseResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "case_not_found, credit_note_not_found", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "no_open_dispute; credit_note_not_for_dispute", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (outcome, credit_note_id, note)", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/cases/{case_id}/dispute/close")]
async fn close_dispute(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<CloseDisputeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let actor_id = caller.recorded_who();
    let case_id = existing(CaseId::parse(&path.into_inner()), Resource::CollectionCase)?;
    let body = json.body;
    let case = blocking(move || {
        services.cases.close_dispute(
            &case_id,
            &body.outcome,
            body.credit_note_id.as_deref(),
            body.note.as_deref(),
            &actor_id,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(CaseResponse::from(case)))
}
