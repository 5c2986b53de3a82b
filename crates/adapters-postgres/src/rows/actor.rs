//! The row of `actors`.

use diesel::prelude::*;
use domain::access::{Actor, Role};
use domain::error::{Error, Result};
use time::OffsetDateTime;

use crate::schema::actors;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = actors)]
pub(crate) struct ActorRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) roles: Vec<String>,
    pub(crate) token_hash: String,
    pub(crate) active: bool,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) updated_at: OffsetDateTime,
}

impl ActorRow {
    pub(crate) fn into_domain(self) -> Result<Actor> {
        let roles = self
            .roles
            .iter()
            .map(|r| Role::parse(r))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(Error::Storage)?;
        Ok(Actor {
            id: self.id,
            name: self.name,
            roles,
            active: self.active,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
