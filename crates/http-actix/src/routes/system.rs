//! P0: health, identity, admin ping, and the OpenAPI document itself.

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use domain::access::Role;
use domain::services::Services;
use domain::tx::transaction;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::openapi::ApiDocument;
use crate::problem::{ApiError, Problem};

/// Registers the P0 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health)
        .service(me)
        .service(admin_ping)
        .service(openapi_json);
}

/// Server and database status.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthResponse {
    /// `ok`, or `unavailable` when the database is down.
    pub status: String,
    /// `ok` or `unavailable`.
    pub database: String,
    /// Server version.
    pub version: String,
}

#[utoipa::path(
    tag = "system",
    security(()),
    responses(
        (status = 200, description = "Server and database are up", body = HealthResponse),
        (status = 503, description = "The database is down", body = HealthResponse)
    )
)]
#[get("/health")]
async fn health(services: web::Data<Services>) -> HttpResponse {
    let tx = services.ports.tx.clone();
    let database_up = blocking(move || transaction(tx.as_ref(), |_| Ok(())))
        .await
        .is_ok();
    let (status, label) = if database_up {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    HttpResponse::build(status).json(HealthResponse {
        status: label.into(),
        database: label.into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// The authenticated actor.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeResponse {
    /// Actor id.
    pub actor_id: String,
    /// Display name.
    pub name: String,
    /// Granted roles.
    pub roles: Vec<String>,
}

#[utoipa::path(
    tag = "system",
    security(("bearer" = []), ("actor_id" = [])),
    responses(
        (status = 200, description = "The caller", body = MeResponse),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/me")]
async fn me(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(MeResponse {
        actor_id: caller.actor.id.to_string(),
        name: caller.actor.name.clone(),
        roles: caller
            .actor
            .roles
            .iter()
            .map(|r| r.as_str().into())
            .collect(),
    })
}

/// Answer of the admin ping.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PingResponse {
    /// Always true.
    pub pong: bool,
    /// The admin who asked.
    pub actor_id: String,
}

#[utoipa::path(
    tag = "system",
    security(("bearer" = []), ("actor_id" = [])),
    responses(
        (status = 200, description = "The caller is an admin", body = PingResponse),
        (status = 401, description = "No or bad credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/ping")]
async fn admin_ping(caller: Caller) -> Result<HttpResponse, ApiError> {
    let actor = caller.require(Role::Admin)?;
    Ok(HttpResponse::Ok().json(PingResponse {
        pong: true,
        actor_id: actor.id.to_string(),
    }))
}

#[utoipa::path(
    tag = "system",
    security(()),
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json"))
)]
#[get("/openapi.json")]
async fn openapi_json(doc: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.json.clone())
}
