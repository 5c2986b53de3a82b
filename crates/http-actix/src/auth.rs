//! Authentication of the protected API and the one-line role guard.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use domain::access::{recorded_who, split_recorded_who, AccessService, Actor, Role};
use domain::error::Error;
use domain::services::Services;

use crate::blocking::blocking;
use crate::network::{peer_ip, HttpSettings};
use crate::problem::ApiError;
use crate::request_context::ActorTag;

/// Header naming the actor a trusted gateway asserts (see [`Caller`]).
pub const ACTOR_ID_HEADER: &str = "x-actor-id";

/// The authenticated caller of a protected endpoint. Any active actor may read; writes
/// declare their role with [`Caller::require`].
///
/// `X-Actor-Id` is an assertion by the operator's gateway, honoured only when it comes from a
/// TCP peer in `MTF_TRUSTED_GATEWAYS` or with the bearer token of a `gateway` actor (then
/// `via_gateway` names that actor). Anything else is 401 `actor_header_not_trusted`, including
/// a non-gateway bearer sent with the header (docs/decisions/0100).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The actor behind the credentials.
    pub actor: Actor,
    /// The gateway actor that asserted `actor`, when it authenticated with its own token.
    pub via_gateway: Option<String>,
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

    /// The guard of an endpoint open to several roles: the caller needs one of `roles`
    /// (admins pass every guard).
    pub fn require_any(&self, roles: &[Role]) -> Result<&Actor, ApiError> {
        if roles.iter().any(|role| self.actor.has_role(*role)) {
            Ok(&self.actor)
        } else {
            Err(ApiError::Domain(Error::Forbidden))
        }
    }

    /// The actor's id.
    pub fn id(&self) -> &str {
        self.actor.id.as_str()
    }

    /// Who audit trails record for this request: the actor, and the gateway that asserted it
    /// if any. Pass it where a use case takes the acting `actor_id`.
    pub fn recorded_who(&self) -> String {
        recorded_who(self.actor.id.as_str(), self.via_gateway.as_deref())
    }
}

/// The actor and the gateway (if any) of a recorded "who", as response bodies show them.
pub fn recorded_parts(recorded: &str) -> (String, Option<String>) {
    let (actor_id, via_gateway) = split_recorded_who(recorded);
    (actor_id.to_owned(), via_gateway.map(str::to_owned))
}

enum Credential {
    /// An actor's own token.
    Bearer(String),
    /// An actor id asserted by a trusted gateway address.
    ActorId(String),
    /// An actor id asserted by the holder of this (gateway) token.
    Delegated { token: String, actor_id: String },
}

fn bearer(req: &HttpRequest) -> Result<Option<String>, Error> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| Error::Unauthenticated)?;
    let (scheme, token) = text.trim().split_once(' ').ok_or(Error::Unauthenticated)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(Error::Unauthenticated);
    }
    Ok(Some(token.trim().to_owned()))
}

fn asserted_actor(req: &HttpRequest) -> Result<Option<String>, Error> {
    let Some(value) = req.headers().get(ACTOR_ID_HEADER) else {
        return Ok(None);
    };
    let id = value.to_str().map_err(|_| Error::Unauthenticated)?.trim();
    if id.is_empty() {
        return Err(Error::Unauthenticated);
    }
    Ok(Some(id.to_owned()))
}

/// Which credential the request carries, refusing an `X-Actor-Id` nobody trusted vouches
/// for. The gateway rule reads the TCP peer only, never a forwarded header.
fn credential(req: &HttpRequest, network: Option<&HttpSettings>) -> Result<Credential, Error> {
    match (bearer(req)?, asserted_actor(req)?) {
        (Some(token), None) => Ok(Credential::Bearer(token)),
        (Some(token), Some(actor_id)) => Ok(Credential::Delegated { token, actor_id }),
        (None, Some(actor_id)) => {
            let trusted = network.is_some_and(|n| n.is_trusted_gateway(peer_ip(req)));
            if trusted {
                Ok(Credential::ActorId(actor_id))
            } else {
                Err(Error::ActorHeaderNotTrusted)
            }
        }
        (None, None) => Err(Error::Unauthenticated),
    }
}

/// Answers from the authentication cache alone (no storage), or `None` on any miss.
fn cached(access: &AccessService, credential: &Credential) -> Option<Result<Caller, Error>> {
    Some(match credential {
        Credential::Bearer(token) => alone(access.cached_token(token)?),
        Credential::ActorId(id) => alone(access.cached_actor_id(id)?),
        Credential::Delegated { token, actor_id } => {
            let gateway = access.cached_token(token)?;
            if !gateway.is_gateway() {
                return Some(Err(Error::ActorHeaderNotTrusted));
            }
            delegated(gateway, access.cached_actor_id(actor_id)?)
        }
    })
}

/// Authenticates through storage (a blocking call).
fn authenticate(access: &AccessService, credential: Credential) -> Result<Caller, Error> {
    match credential {
        Credential::Bearer(token) => alone(access.authenticate_token(&token)?),
        Credential::ActorId(id) => alone(access.authenticate_actor_id(&id)?),
        Credential::Delegated { token, actor_id } => {
            let gateway = access.authenticate_token(&token)?;
            // Checked before the asserted id is looked up: a non-gateway token learns nothing.
            if !gateway.is_gateway() {
                return Err(Error::ActorHeaderNotTrusted);
            }
            delegated(gateway, access.authenticate_actor_id(&actor_id)?)
        }
    }
}

fn alone(actor: Actor) -> Result<Caller, Error> {
    Ok(Caller {
        actor: AccessService::acting_alone(actor)?,
        via_gateway: None,
    })
}

fn delegated(gateway: Actor, asserted: Actor) -> Result<Caller, Error> {
    Ok(Caller {
        actor: AccessService::delegate(&gateway, asserted)?,
        via_gateway: Some(gateway.id.into_string()),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let network = req.app_data::<web::Data<HttpSettings>>();
        let credential = credential(req, network.map(|n| n.get_ref()));
        let services = req.app_data::<web::Data<Services>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let services =
                services.ok_or_else(|| ApiError::Internal("services not configured".into()))?;
            let credential = credential?;
            // A cache hit (nearly every request) is answered here; only a miss, which reads
            // the database, goes to the blocking pool.
            let caller = match cached(&services.access, &credential) {
                Some(answer) => answer?,
                None => blocking(move || authenticate(&services.access, credential)).await?,
            };
            // A mediation system's actor may send usage records and nothing else, reads
            // included (decision 0366).
            if caller.actor.is_mediation_only() && req.path() != crate::routes::usage::RECORDS_PATH
            {
                return Err(ApiError::Domain(Error::Forbidden));
            }
            let tag = match &caller.via_gateway {
                Some(gateway) => format!("{} via {gateway}", caller.actor.id),
                None => caller.actor.id.to_string(),
            };
            req.extensions_mut().insert(ActorTag(tag));
            Ok(caller)
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;
    use crate::network::parse_cidrs;

    const ID: &str = "act_01JD0000000000000000000000";

    fn from(peer: &str) -> TestRequest {
        TestRequest::default().peer_addr(peer.parse().unwrap_or_else(|_| ([0; 4], 0).into()))
    }

    fn kind(result: Result<Credential, Error>) -> &'static str {
        match result {
            Ok(Credential::Bearer(_)) => "bearer",
            Ok(Credential::ActorId(_)) => "actor_id",
            Ok(Credential::Delegated { .. }) => "delegated",
            Err(Error::ActorHeaderNotTrusted) => "not_trusted",
            Err(Error::Unauthenticated) => "unauthenticated",
            Err(_) => "other",
        }
    }

    #[test]
    fn the_actor_header_is_believed_only_from_a_gateway_peer() {
        let loopback = HttpSettings::default();
        let req = from("127.0.0.1:1").insert_header((ACTOR_ID_HEADER, ID));
        assert_eq!(
            kind(credential(&req.to_http_request(), Some(&loopback))),
            "actor_id"
        );
        let req = from("203.0.113.9:1")
            .insert_header((ACTOR_ID_HEADER, ID))
            .insert_header(("x-forwarded-for", "127.0.0.1"));
        let outcome = credential(&req.to_http_request(), Some(&loopback));
        assert_eq!(kind(outcome), "not_trusted");
        let nobody = HttpSettings {
            trusted_gateways: parse_cidrs("").unwrap_or_default(),
            ..HttpSettings::default()
        };
        let req = from("127.0.0.1:1").insert_header((ACTOR_ID_HEADER, ID));
        assert_eq!(
            kind(credential(&req.to_http_request(), Some(&nobody))),
            "not_trusted"
        );
        // Without settings nobody is trusted.
        let req = from("127.0.0.1:1").insert_header((ACTOR_ID_HEADER, ID));
        assert_eq!(
            kind(credential(&req.to_http_request(), None)),
            "not_trusted"
        );
    }

    #[test]
    fn a_bearer_with_the_actor_header_is_a_delegation_to_be_checked() {
        let settings = HttpSettings::default();
        let req = from("203.0.113.9:1")
            .insert_header(("authorization", "Bearer t"))
            .insert_header((ACTOR_ID_HEADER, ID));
        let outcome = credential(&req.to_http_request(), Some(&settings));
        assert_eq!(kind(outcome), "delegated");
        let req = from("203.0.113.9:1").insert_header(("authorization", "Bearer t"));
        assert_eq!(
            kind(credential(&req.to_http_request(), Some(&settings))),
            "bearer"
        );
        let req = from("127.0.0.1:1").insert_header(("authorization", "Basic eA=="));
        let outcome = credential(&req.to_http_request(), Some(&settings));
        assert_eq!(kind(outcome), "unauthenticated");
        let req = from("127.0.0.1:1").insert_header((ACTOR_ID_HEADER, " "));
        let outcome = credential(&req.to_http_request(), Some(&settings));
        assert_eq!(kind(outcome), "unauthenticated");
    }
}
