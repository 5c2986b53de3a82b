//! Authentication of the protected API and the one-line role guard.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use domain::access::{Actor, Role};
use domain::error::Error;
use domain::services::Services;

use crate::blocking::blocking;
use crate::problem::ApiError;
use crate::request_context::ActorTag;

/// Header naming an actor directly (trusted internal callers).
pub const ACTOR_ID_HEADER: &str = "x-actor-id";

/// The authenticated caller of a protected endpoint. Any active actor may read; writes
/// declare their role with [`Caller::require`].
#[derive(Debug, Clone)]
pub struct Caller {
    /// The actor behind the credentials.
    pub actor: Actor,
}

impl Caller {
    /// The role guard: `caller.require(Role::Agent)?;` (admins pass every guard).
    pub fn require(&self, role: Role) -> Result<&Actor, ApiError> {
        if self.actor.has_role(role) {
            Ok(&self.actor)
        } else {
            Err(ApiError::Domain(Error::Forbidden))
        }
    }

    /// The actor's id.
    pub fn id(&self) -> &str {
        &self.actor.id
    }
}

enum Credential {
    Bearer(String),
    ActorId(String),
}

fn credential(req: &HttpRequest) -> Option<Credential> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let text = value.to_str().ok()?;
        let (scheme, token) = text.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return None;
        }
        return Some(Credential::Bearer(token.trim().to_owned()));
    }
    let id = req.headers().get(ACTOR_ID_HEADER)?.to_str().ok()?.trim();
    (!id.is_empty()).then(|| Credential::ActorId(id.to_owned()))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let credential = credential(req);
        let services = req.app_data::<web::Data<Services>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let services =
                services.ok_or_else(|| ApiError::Internal("services not configured".into()))?;
            let credential = credential.ok_or(ApiError::Domain(Error::Unauthenticated))?;
            // A cache hit (nearly every request) is answered here; only a miss, which reads
            // the database, goes to the blocking pool.
            let cached = match &credential {
                Credential::Bearer(token) => services.access.cached_token(token),
                Credential::ActorId(id) => services.access.cached_actor_id(id),
            };
            let actor = match cached {
                Some(actor) => actor,
                None => {
                    blocking(move || match credential {
                        Credential::Bearer(token) => services.access.authenticate_token(&token),
                        Credential::ActorId(id) => services.access.authenticate_actor_id(&id),
                    })
                    .await?
                }
            };
            req.extensions_mut().insert(ActorTag(actor.id.clone()));
            Ok(Caller { actor })
        })
    }
}
