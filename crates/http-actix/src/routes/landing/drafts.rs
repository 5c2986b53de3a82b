//! P7 steps 2–4: save, restore and update a draft of the subscription form.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use domain::error::Resource;
use domain::landing::Draft;
use domain::services::Services;
use domain::typed_ids::DraftId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::client_address;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::responses::LandingErrors;

/// A draft's content.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    /// Any JSON object of at most 16 KiB once serialised. Its strings allow line feeds and
    /// tabs but no other control, escape or bidi formatting character.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// A saved draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct DraftResponse {
    /// `drf_…` + 26 characters: 128 bits from the OS random source, the draft's only key.
    pub draft_id: String,
    /// The saved object (keys may come back in another order).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// `open`, or `submitted` once used by `submit/new`.
    pub status: String,
    /// After this instant the draft is gone; every save restarts the time to live.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last save.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl TryFrom<Draft> for DraftResponse {
    type Error = ApiError;

    fn try_from(draft: Draft) -> Result<Self, ApiError> {
        let payload = serde_json::from_str(&draft.payload)
            .map_err(|e| ApiError::Internal(format!("stored draft payload: {e}")))?;
        Ok(Self {
            draft_id: draft.id.into_string(),
            payload,
            status: draft.status.as_str().to_owned(),
            expires_at: draft.expires_at,
            created_at: draft.created_at,
            updated_at: draft.updated_at,
        })
    }
}

/// The payload as compact JSON text, the form the 16 KiB limit applies to.
fn payload_text(request: &DraftRequest) -> Result<String, ApiError> {
    serde_json::to_string(&request.payload)
        .map_err(|e| ApiError::Internal(format!("payload encoding: {e}")))
}

#[utoipa::path(
    tag = "landing",
    security(()),
    request_body = DraftRequest,
    responses(
        (status = 201, description = "Draft saved", body = DraftResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`too_many_open_drafts`: this address already holds `MTF_DRAFTS_PER_ADDRESS` open drafts", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (payload not an object) or `draft_too_large`", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[post("")]
pub async fn create_draft(
    req: HttpRequest,
    services: web::Data<Services>,
    json: ApiJson<DraftRequest>,
) -> Result<HttpResponse, ApiError> {
    let payload = payload_text(&json.body)?;
    let address = client_address(&req);
    let landing = services.landing.clone();
    let draft = blocking(move || landing.create_draft(&payload, &address)).await?;
    Ok(HttpResponse::Created().json(DraftResponse::try_from(draft)?))
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(("draft_id" = String, Path, description = "`drf_…`")),
    responses(
        (status = 200, description = "The draft", body = DraftResponse),
        (status = 404, description = "`draft_not_found`: unknown or expired", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[get("/{draft_id}")]
pub async fn get_draft(
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(DraftId::parse(&path.into_inner()), Resource::Draft)?;
    let landing = services.landing.clone();
    let draft = blocking(move || landing.draft(&id)).await?;
    Ok(HttpResponse::Ok().json(DraftResponse::try_from(draft)?))
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(("draft_id" = String, Path, description = "`drf_…`")),
    request_body = DraftRequest,
    responses(
        (status = 200, description = "Draft updated", body = DraftResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`draft_not_found`: unknown or expired", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`draft_already_submitted`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (payload not an object) or `draft_too_large`", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[put("/{draft_id}")]
pub async fn update_draft(
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<DraftRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(DraftId::parse(&path.into_inner()), Resource::Draft)?;
    let payload = payload_text(&json.body)?;
    let landing = services.landing.clone();
    let draft = blocking(move || landing.update_draft(&id, &payload)).await?;
    Ok(HttpResponse::Ok().json(DraftResponse::try_from(draft)?))
}
