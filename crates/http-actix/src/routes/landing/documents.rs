//! P8 fallback and P10: signed links to a contract's documents, and their download.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::error::Error;
use domain::services::Services;
use domain::typed_ids::ContractId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::queries::ContractDocumentQuery;
use super::views::document_url;
use crate::blocking::blocking;
use crate::download;
use crate::json::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::public_links::link_base;
use crate::query::QueryParams;
use crate::responses::LandingErrors;

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
    /// Absolute path (or URL on `MTF_PUBLIC_BASE_URL`) with a token that opens this
    /// contract's documents only.
    pub document_download_url: String,
    /// When the token stops working (7 days by default): the name every landing answer uses.
    #[serde(with = "time::serde::rfc3339")]
    pub document_expires_at: OffsetDateTime,
    /// Deprecated: the same instant as `document_expires_at`, kept for one release.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(deprecated)]
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
        LandingErrors
    )
)]
#[post("/{contract_id}/document-link")]
pub async fn document_link(
    req: HttpRequest,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<DocumentLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    // A malformed id is judged after the CIN, like an unknown contract (decision 0135).
    let contract_id = ContractId::parse(&path.into_inner()).ok();
    let landing = services.landing.clone();
    let link =
        blocking(move || landing.document_link(contract_id.as_ref(), &json.body.cin)).await?;
    Ok(HttpResponse::Ok().json(DocumentLinkResponse {
        document_download_url: document_url(link_base(&req).as_ref(), &link),
        document_expires_at: link.expires_at,
        expires_at: link.expires_at,
    }))
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(
        ("contract_id" = String, Path, description = "`ctr_…`"),
        ContractDocumentQuery
    ),
    responses(
        (status = 200, description = "The contract PDF", content_type = "application/pdf"),
        (status = 400, description = "`invalid_query`: bad `version`, or a parameter given twice", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: token missing, expired, tampered or for another document", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`document_not_found`: no such version", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[get("/{contract_id}/document")]
pub async fn download_document(
    services: web::Data<Services>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    // Other parameters are ignored, not refused: links get tracking parameters appended.
    let ContractDocumentQuery { token, version } = query.read_ignoring_others()?;
    // No document token is ever issued for a malformed id: it is refused like a wrong token.
    let contract_id =
        ContractId::parse(&path.into_inner()).map_err(|_| ApiError::Domain(Error::Forbidden))?;
    let landing = services.landing.clone();
    let (version, pdf) =
        blocking(move || landing.contract_document(&contract_id, token.as_deref(), version))
            .await?;
    Ok(download::pdf(&format!("contract-v{version}"), pdf))
}
