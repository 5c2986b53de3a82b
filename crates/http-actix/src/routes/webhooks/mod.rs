//! Webhooks (issue #16): endpoints (`/webhooks/endpoints`), their delivery log and manual
//! retries. Admin only.

mod dto;

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use domain::access::Role;
use domain::error::Resource;
use domain::typed_ids::{WebhookDeliveryId, WebhookEndpointId};
use domain::webhooks::{EndpointInput, WebhookService};
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    AttemptResponse, DeliveryList, DeliveryListQuery, DeliveryResponse, EndpointList,
    EndpointListQuery, EndpointRequest, EndpointResponse, EndpointWithSecret,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::AdminErrors;

/// Registers the webhook handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_endpoint)
        .service(list_endpoints)
        .service(get_endpoint)
        .service(delete_endpoint)
        .service(rotate_secret)
        .service(list_deliveries)
        .service(retry_delivery);
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = EndpointRequest,
    responses(
        (status = 201, description = "Endpoint created, with its secret (shown only here)", body = EndpointWithSecret,
         headers(("Location" = String, description = "Path of the new endpoint"))),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names `url` (not http/https, or an internal address), `event_types` (empty, unknown type, `*` with others) or `description`", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[post("/endpoints")]
async fn create_endpoint(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    json: ApiJson<EndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let input = EndpointInput::from(json.body);
    let (endpoint, secret) = blocking(move || webhooks.create_endpoint(&input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/webhooks/endpoints/{}", endpoint.id),
        ))
        .json(EndpointWithSecret {
            endpoint: EndpointResponse::from(&endpoint),
            secret,
        }))
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    params(EndpointListQuery),
    responses(
        (status = 200, description = "One page of endpoints, by id (no secrets)", body = EndpointList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[get("/endpoints")]
async fn list_endpoints(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let EndpointListQuery { page, .. } = query.read()?;
    let endpoints = blocking(move || webhooks.list_endpoints(&page)).await?;
    Ok(HttpResponse::Ok().json(EndpointList::from(endpoints)))
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    params(("endpoint_id" = String, Path, description = "`whe_…`")),
    responses(
        (status = 200, description = "The endpoint (no secret)", body = EndpointResponse),
        (status = 404, description = "`webhook_endpoint_not_found`", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[get("/endpoints/{endpoint_id}")]
async fn get_endpoint(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path_id(&path, WebhookEndpointId::parse, Resource::WebhookEndpoint)?;
    let endpoint = blocking(move || webhooks.get_endpoint(&id)).await?;
    Ok(HttpResponse::Ok().json(EndpointResponse::from(&endpoint)))
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    params(("endpoint_id" = String, Path, description = "`whe_…`")),
    responses(
        (status = 204, description = "Endpoint and its delivery log deleted; nothing more is sent to it"),
        (status = 404, description = "`webhook_endpoint_not_found`", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[delete("/endpoints/{endpoint_id}")]
async fn delete_endpoint(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path_id(&path, WebhookEndpointId::parse, Resource::WebhookEndpoint)?;
    blocking(move || webhooks.delete_endpoint(&id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    params(("endpoint_id" = String, Path, description = "`whe_…`")),
    responses(
        (status = 200, description = "The endpoint with its new secret (shown only here). The previous secret keeps signing, as a second `v1,` signature, for 24 hours", body = EndpointWithSecret),
        (status = 404, description = "`webhook_endpoint_not_found`", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[post("/endpoints/{endpoint_id}/rotate-secret")]
async fn rotate_secret(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path_id(&path, WebhookEndpointId::parse, Resource::WebhookEndpoint)?;
    let (endpoint, secret) = blocking(move || webhooks.rotate_secret(&id)).await?;
    Ok(HttpResponse::Ok().json(EndpointWithSecret {
        endpoint: EndpointResponse::from(&endpoint),
        secret,
    }))
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    params(("endpoint_id" = String, Path, description = "`whe_…`"), DeliveryListQuery),
    responses(
        (status = 200, description = "One page of the endpoint's deliveries, by id, each with its attempts (status, HTTP code, latency, next retry)", body = DeliveryList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`webhook_endpoint_not_found`", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[get("/endpoints/{endpoint_id}/deliveries")]
async fn list_deliveries(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path_id(&path, WebhookEndpointId::parse, Resource::WebhookEndpoint)?;
    let DeliveryListQuery { page, .. } = query.read()?;
    let deliveries = blocking(move || webhooks.list_deliveries(&id, &page)).await?;
    Ok(HttpResponse::Ok().json(DeliveryList::from(deliveries)))
}

#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("actor_id" = [])),
    params(("delivery_id" = String, Path, description = "`whd_…`")),
    responses(
        (status = 202, description = "The delivery, pending and due now; a worker sends it with the same `webhook-id`", body = DeliveryResponse),
        (status = 404, description = "`webhook_delivery_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`webhook_endpoint_disabled`: its endpoint was disabled", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[post("/deliveries/{delivery_id}/retry")]
async fn retry_delivery(
    caller: Caller,
    webhooks: web::Data<WebhookService>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let id = path_id(&path, WebhookDeliveryId::parse, Resource::WebhookDelivery)?;
    let delivery = blocking(move || webhooks.retry_delivery(&id)).await?;
    Ok(HttpResponse::Accepted().json(DeliveryResponse::from(&delivery)))
}
