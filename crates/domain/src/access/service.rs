//! Use cases of the access module: authenticate, create actors, bootstrap the first admin.

use std::sync::Arc;

use super::{Actor, Credentials, Role};
use crate::clock::Clock;
use crate::error::{Error, Result, Validator};
use crate::ids::{IdGenerator, IdKind};
use crate::ports::Ports;
use crate::tx::{transaction, TransactionRunner, UnitOfWork};

/// A request to create an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActor {
    /// Display name (1 to 200 characters).
    pub name: String,
    /// Role names, at least one.
    pub roles: Vec<String>,
}

/// Authentication and actor management.
#[derive(Clone)]
pub struct AccessService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    credentials: Arc<dyn Credentials>,
}

impl AccessService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            credentials: ports.credentials.clone(),
        }
    }

    /// The active actor holding this bearer token, else `Unauthenticated`.
    pub fn authenticate_token(&self, token: &str) -> Result<Actor> {
        let hash = self.credentials.hash_token(token);
        let actor = transaction(self.tx.as_ref(), |uow| {
            uow.actors().find_by_token_hash(&hash)
        })?;
        active_or_unauthenticated(actor)
    }

    /// The active actor with this id (`X-Actor-Id`), else `Unauthenticated`.
    pub fn authenticate_actor_id(&self, actor_id: &str) -> Result<Actor> {
        if !IdKind::Actor.matches(actor_id) {
            return Err(Error::Unauthenticated);
        }
        let actor = transaction(self.tx.as_ref(), |uow| uow.actors().find_by_id(actor_id))?;
        active_or_unauthenticated(actor)
    }

    /// Creates an actor and returns it with its token, which is shown only this once.
    pub fn create_actor(&self, request: &NewActor) -> Result<(Actor, String)> {
        transaction(self.tx.as_ref(), |uow| self.create_actor_in(uow, request))
    }

    /// `create_actor` inside an existing unit of work.
    pub fn create_actor_in(
        &self,
        uow: &mut dyn UnitOfWork,
        request: &NewActor,
    ) -> Result<(Actor, String)> {
        let mut v = Validator::new();
        let name = request.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            v.push("name", "must be 1 to 200 characters");
        }
        let mut roles = Vec::new();
        if request.roles.is_empty() {
            v.push("roles", "at least one role is required");
        }
        for (i, raw) in request.roles.iter().enumerate() {
            if let Some(role) = v.check(&format!("roles[{i}]"), Role::parse(raw)) {
                if !roles.contains(&role) {
                    roles.push(role);
                }
            }
        }
        v.finish()?;
        let now = self.clock.now();
        let actor = Actor {
            id: self.ids.new_id(IdKind::Actor),
            name: name.to_owned(),
            roles,
            active: true,
            created_at: now,
            updated_at: now,
        };
        let token = self.credentials.generate_token();
        uow.actors()
            .insert(&actor, &self.credentials.hash_token(&token))?;
        Ok((actor, token))
    }

    /// Makes sure an admin can log in at first start. With `configured` set, an active admin
    /// holding that token exists afterwards. Without it, an admin is created only when none
    /// exists, and its new token is returned so it can be printed once.
    pub fn ensure_bootstrap_admin(&self, configured: Option<&str>) -> Result<Option<String>> {
        transaction(self.tx.as_ref(), |uow| match configured {
            Some(token) => {
                let hash = self.credentials.hash_token(token);
                if uow.actors().find_by_token_hash(&hash)?.is_none() {
                    let now = self.clock.now();
                    let actor = Actor {
                        id: self.ids.new_id(IdKind::Actor),
                        name: "bootstrap admin".into(),
                        roles: vec![Role::Admin],
                        active: true,
                        created_at: now,
                        updated_at: now,
                    };
                    uow.actors().insert(&actor, &hash)?;
                }
                Ok(None)
            }
            None => {
                if uow.actors().count_active_admins()? > 0 {
                    return Ok(None);
                }
                let request = NewActor {
                    name: "first admin".into(),
                    roles: vec![Role::Admin.as_str().into()],
                };
                let (_, token) = self.create_actor_in(uow, &request)?;
                Ok(Some(token))
            }
        })
    }
}

fn active_or_unauthenticated(actor: Option<Actor>) -> Result<Actor> {
    match actor {
        Some(actor) if actor.active => Ok(actor),
        _ => Err(Error::Unauthenticated),
    }
}
