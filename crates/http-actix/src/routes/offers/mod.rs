//! P1–P2: offers (`/offers`) and the catalog grouped by family (`/offer-categories`, alias
//! `/offer-families`).

mod dto;
pub(crate) mod usage;

use actix_web::http::header;
use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use domain::access::Role;
use domain::catalog::{OfferFilter, OfferInput};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::OfferId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    CategoryList, CategoryQuery, CategoryResponse, OfferList, OfferListQuery, OfferPatch,
    OfferReplacement, OfferRequest, OfferResponse,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::merge_patch::{replacement, MergePatch};
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::{AgentErrors, AuthErrors};

/// Registers the offer handlers, under the `/offers` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_offer)
        .service(list_offers)
        .service(get_offer)
        .service(update_offer)
        .service(patch_offer)
        .service(delete_offer);
}

/// Registers the catalog's vocabularies, at the API's root.
pub fn configure_vocabularies(cfg: &mut ServiceConfig) {
    cfg.service(offer_categories).service(offer_families);
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = OfferRequest,
    responses(
        (status = 201, description = "Offer created", body = OfferResponse,
         headers(("Location" = String, description = "Path of the new offer"))),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer_code_exists`: another offer has this code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names each invalid field", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[post("")]
async fn create_offer(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<OfferRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let input = OfferInput::from(json.body);
    let offer = blocking(move || services.catalog.create_offer(&input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/offers/{}", offer.id)))
        .json(OfferResponse::from(&offer)))
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(OfferListQuery),
    responses(
        (status = 200, description = "One page of offers, ordered by id", body = OfferList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `service` and its alias `service_type` both given, with different values", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("")]
async fn list_offers(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let OfferListQuery {
        service,
        status,
        q,
        page,
        ..
    } = query.read()?;
    let filter = OfferFilter::new(service, status, q.as_deref());
    let offers = blocking(move || services.catalog.list_offers(&filter, &page)).await?;
    Ok(HttpResponse::Ok().json(OfferList::from(offers)))
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(("offer_id" = String, Path, description = "`ofr_…`")),
    responses(
        (status = 200, description = "The offer", body = OfferResponse),
        (status = 404, description = "`offer_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{offer_id}")]
async fn get_offer(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, OfferId::parse, Resource::Offer)?;
    let offer = blocking(move || services.catalog.get_offer(&id)).await?;
    Ok(HttpResponse::Ok().json(OfferResponse::from(&offer)))
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(("offer_id" = String, Path, description = "`ofr_…`")),
    request_body = OfferReplacement,
    responses(
        (status = 200, description = "The offer after the change; signed contracts keep their price", body = OfferResponse),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`offer_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer_code_exists`: another offer has this code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`errors` names each invalid field and each member left out: `PUT` replaces the whole offer), or `service_type_mismatch` when changing the service type of an offer contracts used", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[put("/{offer_id}")]
async fn update_offer(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, OfferId::parse, Resource::Offer)?;
    let body: OfferRequest = replacement(json.body, &OfferRequest::MEMBERS)?;
    let input = OfferInput::from(body);
    let offer = blocking(move || services.catalog.update_offer(&id, &input)).await?;
    Ok(HttpResponse::Ok().json(OfferResponse::from(&offer)))
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(("offer_id" = String, Path, description = "`ofr_…`")),
    request_body(content = OfferPatch, content_type = "application/merge-patch+json",
        description = "JSON Merge Patch (RFC 7396): members sent replace, `null` restores a default, absent members stay"),
    responses(
        (status = 200, description = "The offer after the change; signed contracts keep their price", body = OfferResponse),
        (status = 400, description = "Malformed body, or not a JSON object", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`offer_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer_code_exists`: another offer has this code", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: send `application/merge-patch+json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the patched offer is checked as a `PUT` body; or `service_type_mismatch`", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[patch("/{offer_id}")]
async fn patch_offer(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    patch: MergePatch,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, OfferId::parse, Resource::Offer)?;
    let current = {
        let services = services.clone();
        let id = id.clone();
        blocking(move || services.catalog.get_offer(&id)).await?
    };
    let patch = patch.check()?;
    let input = OfferInput::from(patch.apply::<OfferRequest>(OfferRequest::current(&current))?);
    let offer = blocking(move || services.catalog.update_offer(&id, &input)).await?;
    Ok(HttpResponse::Ok().json(OfferResponse::from(&offer)))
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(("offer_id" = String, Path, description = "`ofr_…`")),
    responses(
        (status = 204, description = "Offer deleted"),
        (status = 404, description = "`offer_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer_delete_blocked`: a contract referenced the offer; retire it instead", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[delete("/{offer_id}")]
async fn delete_offer(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, OfferId::parse, Resource::Offer)?;
    blocking(move || services.catalog.delete_offer(&id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn categories(
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let CategoryQuery { status } = query.read()?;
    let categories = blocking(move || services.catalog.categories(status)).await?;
    Ok(HttpResponse::Ok().json(CategoryList {
        items: categories.iter().map(CategoryResponse::from).collect(),
    }))
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(CategoryQuery),
    responses(
        (status = 200, description = "Offers grouped by service type (all three types, offers of every status unless filtered)", body = CategoryList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/offer-categories")]
async fn offer_categories(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    categories(services, query).await
}

#[utoipa::path(
    tag = "catalog",
    security(("bearer" = []), ("actor_id" = [])),
    params(CategoryQuery),
    responses(
        (status = 200, description = "Legacy name of `/offer-categories`: the same body", body = CategoryList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/offer-families")]
async fn offer_families(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    categories(services, query).await
}
