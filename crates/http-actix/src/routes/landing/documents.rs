//! P8 fallback and P10: signed links to a contract's documents, and their download.

use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::landing::LandingCall;
use domain::services::Services;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::admit;
use super::views::document_url;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::problem::{ApiError, Problem};

/// Proof of ownership.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentLinkRequest {
    /// CIN of the contract's client.
    pub cin: String,
}

/// A fresh download link.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentLinkResponse {
    /// Absolute path with a token that opens this contract's documents only.
    pub document_download_url: String,
    /// When the token stops working (7 days by default).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(("contract_id" = String, Path, description = "`ctr_…`")),
    request_body = DocumentLinkRequest,
    responses(
        (status = 200, description = "Link issued", body = DocumentLinkResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`contract_not_found`: unknown, or not this CIN's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: not a CIN", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many calls from this address", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/landing/contracts/{contract_id}/document-link")]
pub async fn document_link(
    req: HttpRequest,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<DocumentLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    admit(&services, &req, LandingCall::Other).await?;
    let contract_id = path.into_inner();
    let landing = services.landing.clone();
    let link = blocking(move || landing.document_link(&contract_id, &json.body.cin)).await?;
    Ok(HttpResponse::Ok().json(DocumentLinkResponse {
        document_download_url: document_url(&link),
        expires_at: link.expires_at,
    }))
}
