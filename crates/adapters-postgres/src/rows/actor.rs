//! `actors` rows.

use diesel::prelude::*;
use domain::access::{Actor, Role};
use domain::error::{Error, Result};
use domain::typed_ids::ActorId;
use time::OffsetDateTime;

use crate::schema::actors;

/// One row of `actors`.
#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = actors)]
pub struct ActorRow {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub token_hash: String,
    pub active: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl ActorRow {
    /// The row of `actor` with its token hash.
    pub fn from_domain(actor: &Actor, token_hash: &str) -> Self {
        Self {
            id: actor.id.to_string(),
            name: actor.name.clone(),
            roles: role_names(actor),
            token_hash: token_hash.to_owned(),
            active: actor.active,
            created_at: actor.created_at,
            updated_at: actor.updated_at,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> Result<Actor> {
        let roles = self
            .roles
            .iter()
            .map(|r| Role::parse(r))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(Error::Storage)?;
        Ok(Actor {
            id: ActorId::from_stored(self.id),
            name: self.name,
            roles,
            active: self.active,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The stored names of the actor's roles.
pub fn role_names(actor: &Actor) -> Vec<String> {
    actor.roles.iter().map(|r| r.as_str().to_owned()).collect()
}
