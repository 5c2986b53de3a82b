//! `ActorRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::access::{Actor, ActorRepository, Role};
use domain::error::{Error, Result};
use time::OffsetDateTime;

use crate::errors::storage;
use crate::schema::actors;
use crate::tx::PgTx;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = actors)]
struct ActorRow {
    id: String,
    name: String,
    roles: Vec<String>,
    token_hash: String,
    active: bool,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl ActorRow {
    fn into_domain(self) -> Result<Actor> {
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

impl ActorRepository for PgTx<'_> {
    fn insert(&mut self, actor: &Actor, token_hash: &str) -> Result<()> {
        let row = ActorRow {
            id: actor.id.clone(),
            name: actor.name.clone(),
            roles: actor.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            token_hash: token_hash.to_owned(),
            active: actor.active,
            created_at: actor.created_at,
            updated_at: actor.updated_at,
        };
        diesel::insert_into(actors::table)
            .values(&row)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn find_by_token_hash(&mut self, token_hash: &str) -> Result<Option<Actor>> {
        actors::table
            .filter(actors::token_hash.eq(token_hash))
            .select(ActorRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ActorRow::into_domain)
            .transpose()
    }

    fn find_by_id(&mut self, id: &str) -> Result<Option<Actor>> {
        actors::table
            .find(id)
            .select(ActorRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ActorRow::into_domain)
            .transpose()
    }

    fn count_active_admins(&mut self) -> Result<i64> {
        actors::table
            .filter(actors::active.eq(true))
            .filter(actors::roles.contains(vec!["admin"]))
            .count()
            .get_result(self.conn)
            .map_err(storage)
    }
}
