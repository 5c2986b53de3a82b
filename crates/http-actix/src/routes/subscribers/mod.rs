//! P3: service lines (`/subscribers`), the manual path beside contract provisioning.

mod dto;

use actix_web::http::header;
use actix_web::{get, patch, post, put, web, HttpResponse};
use domain::access::Role;
use domain::clients::{SubscriberFilter, SubscriberInput};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::SubscriberId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    CreateSubscriberRequest, SubscriberList, SubscriberListQuery, SubscriberPatch,
    SubscriberResponse, UpdateSubscriberRequest,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::merge_patch::{replacement, MergePatch};
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::{AgentErrors, AuthErrors};

/// Registers the subscriber handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_subscribers)
        .service(get_subscriber)
        .service(create_subscriber)
        .service(update_subscriber)
        .service(patch_subscriber);
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(SubscriberListQuery),
    responses(
        (status = 200, description = "One page of lines, ordered by id", body = SubscriberList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("")]
async fn list_subscribers(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let SubscriberListQuery {
        client_id,
        service_type,
        service_identifier: identifier,
        page,
        ..
    } = query.read()?;
    let filter = SubscriberFilter::new(client_id, service_type, identifier.as_deref());
    let lines = blocking(move || services.clients.list_subscribers(&filter, &page)).await?;
    Ok(HttpResponse::Ok().json(SubscriberList::from(lines)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("subscriber_id" = String, Path, description = "`sub_…`")),
    responses(
        (status = 200, description = "The line", body = SubscriberResponse),
        (status = 404, description = "`subscriber_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{subscriber_id}")]
async fn get_subscriber(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, SubscriberId::parse, Resource::Subscriber)?;
    let line = blocking(move || services.clients.get_subscriber(&id)).await?;
    Ok(HttpResponse::Ok().json(SubscriberResponse::from(&line)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = CreateSubscriberRequest,
    responses(
        (status = 201, description = "Line created", body = SubscriberResponse,
         headers(("Location" = String, description = "Path of the new line"))),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service_identifier_exists`: a line of this type has this identifier", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`service_type`, `service_identifier`), or `client_inactive`", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[post("")]
async fn create_subscriber(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<CreateSubscriberRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let input = SubscriberInput::from(json.body);
    let line = blocking(move || services.clients.create_subscriber(&input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/subscribers/{}", line.id)))
        .json(SubscriberResponse::from(&line)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("subscriber_id" = String, Path, description = "`sub_…`")),
    request_body = UpdateSubscriberRequest,
    responses(
        (status = 200, description = "The line after the number change", body = SubscriberResponse),
        (status = 400, description = "Malformed body or unknown field (`service_type` and `client_id` cannot change)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`subscriber_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service_identifier_exists`: another line has this identifier", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`service_identifier` invalid or left out)", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[put("/{subscriber_id}")]
async fn update_subscriber(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, SubscriberId::parse, Resource::Subscriber)?;
    let body: UpdateSubscriberRequest = replacement(json.body, &UpdateSubscriberRequest::MEMBERS)?;
    let identifier = body.service_identifier;
    let line = blocking(move || services.clients.update_subscriber(&id, &identifier)).await?;
    Ok(HttpResponse::Ok().json(SubscriberResponse::from(&line)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("subscriber_id" = String, Path, description = "`sub_…`")),
    request_body(content = SubscriberPatch, content_type = "application/merge-patch+json",
        description = "JSON Merge Patch (RFC 7396) of the changeable members"),
    responses(
        (status = 200, description = "The line after the change", body = SubscriberResponse),
        (status = 400, description = "Malformed body, or not a JSON object", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`subscriber_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service_identifier_exists`: another line has this identifier", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: send `application/merge-patch+json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the patched line is checked as a `PUT` body (unknown members such as `service_type` included)", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[patch("/{subscriber_id}")]
async fn patch_subscriber(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    patch: MergePatch,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, SubscriberId::parse, Resource::Subscriber)?;
    let current = {
        let services = services.clone();
        let id = id.clone();
        blocking(move || services.clients.get_subscriber(&id)).await?
    };
    let patch = patch.check()?;
    let body: UpdateSubscriberRequest = patch.apply(UpdateSubscriberRequest::current(&current))?;
    let identifier = body.service_identifier;
    let line = blocking(move || services.clients.update_subscriber(&id, &identifier)).await?;
    Ok(HttpResponse::Ok().json(SubscriberResponse::from(&line)))
}
