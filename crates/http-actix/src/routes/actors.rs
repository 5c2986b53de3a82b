//! Actor management (`/admin/actors`): create and list actors, switch one off or change its
//! roles, and issue a new token. Admin only; token hashes never leave the server.

use actix_web::{get, patch, post, web, HttpResponse};
use domain::access::{Actor, ActorChanges, NewActor, Role};
use domain::error::Resource;
use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use domain::services::Services;
use domain::typed_ids::ActorId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::{FromQuery, QueryParams};
use crate::responses::AdminErrors;

/// Registers the actor management handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_actor)
        .service(list_actors)
        .service(update_actor)
        .service(issue_token);
}

/// An actor as an admin sees it (never its token or token hash).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActorResponse {
    /// `act_…`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Granted roles.
    pub roles: Vec<String>,
    /// Whether the actor may authenticate.
    pub active: bool,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Last change (roles, active flag or token).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
}

impl From<&Actor> for ActorResponse {
    fn from(actor: &Actor) -> Self {
        ActorResponse {
            id: actor.id.to_string(),
            name: actor.name.clone(),
            roles: actor.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            active: actor.active,
            created_at: actor.created_at,
            updated_at: actor.updated_at,
        }
    }
}

/// One page of actors.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActorList {
    /// The actors, ordered by id (creation order).
    pub items: Vec<ActorResponse>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<Page<Actor>> for ActorList {
    fn from(page: Page<Actor>) -> Self {
        ActorList {
            items: page.items.iter().map(ActorResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Query parameters of `GET /admin/actors`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActorListQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^act_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for ActorListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::Actor)?;
        Ok(ActorListQuery {
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// A change to an actor; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateActorRequest {
    /// `false` switches the actor off at once (its token and `X-Actor-Id` stop working).
    pub active: Option<bool>,
    /// Replaces the roles: admin, agent, billing, collections, viewer, gateway, mediation (`gateway`
    /// alone).
    pub roles: Option<Vec<String>>,
}

/// A newly issued token, shown only this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActorTokenResponse {
    /// `act_…`.
    pub actor_id: String,
    /// Bearer token; store it now, it cannot be read again. The previous one no longer works.
    pub token: String,
    /// When it was issued.
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: time::OffsetDateTime,
}

#[utoipa::path(
    tag = "system",
    security(("bearer" = []), ("actor_id" = [])),
    params(ActorListQuery),
    responses(
        (status = 200, description = "One page of actors, ordered by id", body = ActorList),
        (status = 400, description = "`invalid_query`: bad or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad credentials (`unauthenticated`, `actor_header_not_trusted`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/actors")]
async fn list_actors(
    caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let ActorListQuery { page, .. } = query.read()?;
    let actors = blocking(move || services.access.list_actors(&page)).await?;
    Ok(HttpResponse::Ok().json(ActorList::from(actors)))
}

#[utoipa::path(
    tag = "system",
    security(("bearer" = []), ("actor_id" = [])),
    params(("actor_id" = String, Path, description = "`act_…`")),
    request_body = UpdateActorRequest,
    responses(
        (status = 200, description = "The actor after the change", body = ActorResponse),
        (status = 400, description = "Malformed body or unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad credentials (`unauthenticated`, `actor_header_not_trusted`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`actor_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_active_admin`: no active admin would remain", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names each invalid field (`roles[i]`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/actors/{actor_id}")]
async fn update_actor(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<UpdateActorRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let actor_id = path.into_inner();
    let changes = ActorChanges {
        active: json.body.active,
        roles: json.body.roles,
    };
    let actor = blocking(move || services.access.update_actor(&actor_id, &changes)).await?;
    Ok(HttpResponse::Ok().json(ActorResponse::from(&actor)))
}

#[utoipa::path(
    tag = "system",
    security(("bearer" = []), ("actor_id" = [])),
    params(("actor_id" = String, Path, description = "`act_…`")),
    responses(
        (status = 201, description = "New token issued; the previous one is revoked", body = ActorTokenResponse),
        (status = 401, description = "No or bad credentials (`unauthenticated`, `actor_header_not_trusted`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`actor_not_found`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/actors/{actor_id}/tokens")]
async fn issue_token(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let actor_id = path_id(&path, ActorId::parse, Resource::Actor)?;
    let (actor, token) = blocking(move || services.access.rotate_token(&actor_id)).await?;
    Ok(HttpResponse::Created().json(ActorTokenResponse {
        actor_id: actor.id.into_string(),
        token,
        issued_at: actor.updated_at,
    }))
}

/// A new actor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateActorRequest {
    /// Display name, 1 to 200 characters. No control, escape or bidi formatting character.
    pub name: String,
    /// Roles: admin, agent, billing, collections, viewer, gateway, mediation (`gateway` alone).
    pub roles: Vec<String>,
}

/// The created actor and its token, shown only this once.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateActorResponse {
    /// `act_…`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Granted roles.
    pub roles: Vec<String>,
    /// Bearer token; store it now, it cannot be read again.
    pub token: String,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
}

#[utoipa::path(
    tag = "system",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = CreateActorRequest,
    responses(
        (status = 201, description = "Actor created", body = CreateActorResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or role", body = Problem, content_type = "application/problem+json"),
        AdminErrors
    )
)]
#[post("/actors")]
async fn create_actor(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<CreateActorRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Admin)?;
    let request = NewActor {
        name: json.body.name,
        roles: json.body.roles,
    };
    let (actor, token) = blocking(move || services.access.create_actor(&request)).await?;
    Ok(HttpResponse::Created().json(CreateActorResponse {
        id: actor.id.into_string(),
        name: actor.name,
        roles: actor.roles.iter().map(|r| r.as_str().into()).collect(),
        token,
        created_at: actor.created_at,
    }))
}
