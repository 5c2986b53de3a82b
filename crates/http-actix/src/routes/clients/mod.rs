//! P3: client master data (`/customers`).

mod dto;

use actix_web::http::header;
use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use domain::access::Role;
use domain::clients::{ClientChange, ClientFilter, ClientInput};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::ClientId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    ClientAudit, ClientAuditEntryResponse, ClientList, ClientListQuery, ClientPatch,
    ClientReplacement, ClientRequest, ClientResponse, CompanyReplacement, LegalRepresentativeBody,
    PersonReplacement,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::merge_patch::{replacement, MergePatch};
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::{AgentErrors, AuthErrors};

/// Registers the client handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_client)
        .service(list_clients)
        .service(get_client)
        .service(update_client)
        .service(patch_client)
        .service(delete_client)
        .service(client_audit);
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = ClientRequest,
    responses(
        (status = 201, description = "Client created", body = ClientResponse,
         headers(("Location" = String, description = "Path of the new client"))),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cin_already_exists` or `ice_already_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names each invalid field (a person's member sent for a company, or the reverse, included)", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[post("")]
async fn create_client(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<ClientRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let actor = caller.recorded_who();
    let input = ClientInput::from(json.body);
    let client = blocking(move || services.clients.create_client(&actor, &input)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/customers/{}", client.id)))
        .json(ClientResponse::from(&client)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(ClientListQuery),
    responses(
        (status = 200, description = "One page of clients, ordered by id", body = ClientList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter (e.g. `q` shorter than 3 characters)", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("")]
async fn list_clients(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let ClientListQuery {
        q,
        cin,
        ice,
        kind,
        status,
        page,
        ..
    } = query.read()?;
    let filter = ClientFilter {
        q,
        cin,
        ice,
        kind,
        status,
    };
    let clients = blocking(move || services.clients.list_clients(&filter, &page)).await?;
    Ok(HttpResponse::Ok().json(ClientList::from(clients)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`")),
    responses(
        (status = 200, description = "The client", body = ClientResponse),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{client_id}")]
async fn get_client(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let client = blocking(move || services.clients.get_client(&id)).await?;
    Ok(HttpResponse::Ok().json(ClientResponse::from(&client)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`")),
    request_body = ClientReplacement,
    responses(
        (status = 200, description = "The client after the change", body = ClientResponse),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cin_already_exists` or `ice_already_exists`: another client has this CIN or ICE", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names each invalid field and each member of the client's kind left out (`PUT` replaces the whole client)", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[put("/{client_id}")]
async fn update_client(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let members = ClientRequest::members_of(&json.body);
    let body: ClientRequest = replacement(json.body, members)?;
    let input = ClientInput::from(body);
    let actor = caller.recorded_who();
    let client = blocking(move || {
        services
            .clients
            .update_client(&actor, &id, &input, ClientChange::Replace)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientResponse::from(&client)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`")),
    request_body(content = ClientPatch, content_type = "application/merge-patch+json",
        description = "JSON Merge Patch (RFC 7396): members sent replace, `null` clears, absent members stay"),
    responses(
        (status = 200, description = "The client after the change", body = ClientResponse),
        (status = 400, description = "Malformed body, or not a JSON object", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`cin_already_exists` or `ice_already_exists`: another client has this CIN or ICE", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: send `application/merge-patch+json`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the patched client is checked as a `PUT` body", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[patch("/{client_id}")]
async fn patch_client(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    patch: MergePatch,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let current = {
        let services = services.clone();
        let id = id.clone();
        blocking(move || services.clients.get_client(&id)).await?
    };
    let patch = patch.check()?;
    let input = ClientInput::from(patch.apply::<ClientRequest>(ClientRequest::current(&current))?);
    let actor = caller.recorded_who();
    let client = blocking(move || {
        services
            .clients
            .update_client(&actor, &id, &input, ClientChange::Patch)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ClientResponse::from(&client)))
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`")),
    responses(
        (status = 204, description = "Client deleted, with its lines (none of which a contract used)"),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`client_delete_blocked`: the client has contract, invoice, payment or collection history", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[delete("/{client_id}")]
async fn delete_client(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    blocking(move || services.clients.delete_client(&id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "clients",
    security(("bearer" = []), ("actor_id" = [])),
    params(("client_id" = String, Path, description = "`cli_…`")),
    responses(
        (status = 200, description = "Every change of the client, oldest first: creation, replacements, patches and status changes, with who, when, and the members before and after", body = ClientAudit),
        (status = 404, description = "`client_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{client_id}/audit")]
async fn client_audit(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&path, ClientId::parse, Resource::Client)?;
    let entries = blocking(move || services.clients.audit_trail(&id)).await?;
    Ok(HttpResponse::Ok().json(ClientAudit {
        items: entries
            .into_iter()
            .map(ClientAuditEntryResponse::from)
            .collect(),
    }))
}
