//! Actor management: list actors, switch them off or change their roles, rotate their token.
//! Each change makes this instance forget its cached authentications at once.

use super::service::parse_roles;
use super::{AccessService, Actor};
use crate::error::{Conflict, Error, Resource, Result, Validator};
use crate::ids::IdKind;
use crate::page::{Page, PageRequest};
use crate::tx::{read, transaction, UnitOfWork};

/// A change to an actor; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorChanges {
    /// Whether the actor may authenticate.
    pub active: Option<bool>,
    /// The new role names (replacing the current ones), at least one.
    pub roles: Option<Vec<String>>,
}

impl AccessService {
    /// One page of actors, ordered by id.
    pub fn list_actors(&self, page: &PageRequest) -> Result<Page<Actor>> {
        let rows = read(self.tx.as_ref(), |uow| uow.actors().list(page))?;
        Ok(Page::from_fetched(rows, page, |actor| actor.id.as_str()))
    }

    /// Applies `changes`. Refused with `Conflict(LastActiveAdmin)` when no active admin would
    /// remain, so the back office can never lock itself out.
    pub fn update_actor(&self, actor_id: &str, changes: &ActorChanges) -> Result<Actor> {
        let mut v = Validator::new();
        let roles = changes
            .roles
            .as_ref()
            .map(|raw| parse_roles(&mut v, raw));
        v.finish()?;
        let updated = transaction(self.tx.as_ref(), |uow| {
            // Locked before reading, so a concurrent change waits and then counts what this
            // one left.
            uow.actors().lock_active_admins()?;
            let mut actor = find_actor(uow, actor_id)?;
            if let Some(active) = changes.active {
                actor.active = active;
            }
            if let Some(roles) = &roles {
                actor.roles = roles.clone();
            }
            actor.updated_at = self.clock.now();
            uow.actors().update(&actor)?;
            if uow.actors().count_active_admins()? == 0 {
                return Err(Error::Conflict(Conflict::LastActiveAdmin));
            }
            Ok(actor)
        })?;
        self.forget_authentications();
        Ok(updated)
    }

    /// Gives the actor a new token, returned only this once; the old one stops working.
    pub fn rotate_token(&self, actor_id: &str) -> Result<(Actor, String)> {
        let token = self.credentials.generate_token();
        let hash = self.credentials.hash_token(&token);
        let actor = transaction(self.tx.as_ref(), |uow| {
            let mut actor = find_actor(uow, actor_id)?;
            actor.updated_at = self.clock.now();
            uow.actors().replace_token_hash(&actor, &hash)?;
            Ok(actor)
        })?;
        self.forget_authentications();
        Ok((actor, token))
    }
}

/// The actor, or `NotFound(Actor)` (a malformed id is simply not found).
fn find_actor(uow: &mut dyn UnitOfWork, actor_id: &str) -> Result<Actor> {
    if !IdKind::Actor.matches(actor_id) {
        return Err(Error::NotFound(Resource::Actor));
    }
    uow.actors()
        .find_by_id(actor_id)?
        .ok_or(Error::NotFound(Resource::Actor))
}
