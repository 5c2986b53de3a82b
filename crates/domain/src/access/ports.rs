//! Ports of the access module.

use super::Actor;
use crate::error::Result;
use crate::page::PageRequest;
use crate::typed_ids::ActorId;

/// Storage of actors. Tokens are only ever stored hashed.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ActorRepository {
    /// Stores a new actor with the hash of its token.
    fn insert(&mut self, actor: &Actor, token_hash: &str) -> Result<()>;
    /// The actor whose token hashes to `token_hash`.
    fn find_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Actor>>;
    /// The actor with this id.
    fn find_by_id(&mut self, id: &ActorId) -> Result<Option<Actor>>;
    /// How many active actors hold the admin role.
    fn count_active_admins(&mut self) -> Result<i64>;
    /// Locks the rows of the active admins until the transaction ends, so two concurrent
    /// changes cannot each remove a different "other" admin.
    fn lock_active_admins(&mut self) -> Result<()>;
    /// Up to [`PageRequest::fetch`] actors whose id sorts after the page's cursor, by id.
    fn list(&mut self, page: &PageRequest) -> Result<Vec<Actor>>;
    /// Stores the actor's roles, active flag and `updated_at`; `NotFound(Actor)` if absent.
    fn update(&mut self, actor: &Actor) -> Result<()>;
    /// Replaces the actor's token hash (the old token stops matching) and sets `updated_at`;
    /// `NotFound(Actor)` if absent.
    fn replace_token_hash(&mut self, actor: &Actor, token_hash: &str) -> Result<()>;
}

/// Generation and hashing of bearer tokens.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Credentials: Send + Sync {
    /// A new random, unguessable token.
    fn generate_token(&self) -> String;
    /// The one-way hash stored for `token`.
    fn hash_token(&self, token: &str) -> String;
}
