//! Ports of the access module.

use super::Actor;
use crate::error::Result;

/// Storage of actors. Tokens are only ever stored hashed.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ActorRepository {
    /// Stores a new actor with the hash of its token.
    fn insert(&mut self, actor: &Actor, token_hash: &str) -> Result<()>;
    /// The actor whose token hashes to `token_hash`.
    fn find_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Actor>>;
    /// The actor with this id.
    fn find_by_id(&mut self, id: &str) -> Result<Option<Actor>>;
    /// How many active actors hold the admin role.
    fn count_active_admins(&mut self) -> Result<i64>;
}

/// Generation and hashing of bearer tokens.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Credentials: Send + Sync {
    /// A new random, unguessable token.
    fn generate_token(&self) -> String;
    /// The one-way hash stored for `token`.
    fn hash_token(&self, token: &str) -> String;
}
