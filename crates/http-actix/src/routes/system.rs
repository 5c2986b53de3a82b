//! P0: health, identity, admin ping, and the OpenAPI document itself.

use actix_web::http::{header, StatusCode};
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
use crate::problem::{ApiError, Problem, PROBLEM_JSON};
use crate::readiness::{NotReady, ReadinessProbe, READY_WITHIN, RETRY_AFTER_SECS};
use crate::request_context::current_request_id;
use crate::responses::{AdminErrors, AuthErrors};

/// Registers the P0 handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health)
        .service(ready)
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

/// Answer of a ready instance.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReadyResponse {
    /// Always `ready`.
    pub status: String,
}

/// Readiness: the database answers within 1 s and its migrations are current.
// Decision 0161. Not behind the admission gate, so that a queue of requests does not hide a
// healthy database, nor the probes' traffic delay the queue.
#[utoipa::path(
    tag = "system",
    security(()),
    responses(
        (status = 200, description = "Ready to serve", body = ReadyResponse),
        (status = 503, description = "Not ready: `database_unavailable` (no answer within 1 s) or `migrations_pending`; `Retry-After`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/health/ready")]
async fn ready(probe: Option<web::Data<dyn ReadinessProbe>>) -> HttpResponse {
    let outcome = match probe {
        None => Err(NotReady::Database("no readiness probe configured".into())),
        Some(probe) => {
            let probe = probe.into_inner();
            let check = web::block(move || probe.check(READY_WITHIN));
            match tokio::time::timeout(READY_WITHIN, check).await {
                Ok(Ok(result)) => result,
                Ok(Err(error)) => Err(NotReady::Database(error.to_string())),
                Err(_) => Err(NotReady::Database("no answer within 1 s".into())),
            }
        }
    };
    match outcome {
        Ok(()) => HttpResponse::Ok().json(ReadyResponse {
            status: "ready".into(),
        }),
        Err(not_ready) => not_ready_answer(&not_ready),
    }
}

/// 503 problem+json naming the failed check.
fn not_ready_answer(not_ready: &NotReady) -> HttpResponse {
    let code = match not_ready {
        NotReady::Database(_) => "database_unavailable",
        NotReady::MigrationsPending(_) => "migrations_pending",
    };
    // The cause (driver message) stays in the log: this endpoint is public.
    tracing::warn!(check = not_ready.check(), cause = %not_ready, "not ready");
    let detail = match not_ready {
        NotReady::Database(_) => "database: no answer within 1 s".to_owned(),
        NotReady::MigrationsPending(n) => format!("migrations: {n} pending"),
    };
    let problem = Problem {
        problem_type: format!("https://mt-facturation.ma/problems/{code}"),
        title: "Service unavailable".into(),
        status: StatusCode::SERVICE_UNAVAILABLE.as_u16(),
        detail,
        code: code.into(),
        errors: Vec::new(),
        request_id: current_request_id(),
        attempts_left: None,
        eligible_offers: None,
        invoice_number: None,
        period: None,
    };
    HttpResponse::ServiceUnavailable()
        .content_type(PROBLEM_JSON)
        .insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()))
        .json(problem)
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
        AuthErrors
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
        AdminErrors
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
