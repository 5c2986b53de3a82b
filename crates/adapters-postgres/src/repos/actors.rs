//! `ActorRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::access::{Actor, ActorRepository};
use domain::error::{Error, Resource, Result};
use domain::page::PageRequest;
use domain::typed_ids::ActorId;

use crate::errors::storage;
use crate::rows::actor::{role_names, ActorRow};
use crate::schema::actors;
use crate::tx::PgTx;

/// `NotFound(Actor)` when an update touched no row.
fn found(rows: usize) -> Result<()> {
    if rows == 0 {
        Err(Error::NotFound(Resource::Actor))
    } else {
        Ok(())
    }
}

impl ActorRepository for PgTx<'_> {
    fn insert(&mut self, actor: &Actor, token_hash: &str) -> Result<()> {
        let row = ActorRow::from_domain(actor, token_hash);
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

    fn find_by_id(&mut self, id: &ActorId) -> Result<Option<Actor>> {
        actors::table
            .find(id.as_str())
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

    fn lock_active_admins(&mut self) -> Result<()> {
        actors::table
            .filter(actors::active.eq(true))
            .filter(actors::roles.contains(vec!["admin"]))
            .select(actors::id)
            .for_update()
            .load::<String>(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn list(&mut self, page: &PageRequest) -> Result<Vec<Actor>> {
        let mut query = actors::table.into_boxed();
        if let Some(after) = page.after() {
            query = query.filter(actors::id.gt(after.to_owned()));
        }
        query
            .order(actors::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .select(ActorRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ActorRow::into_domain)
            .collect()
    }

    fn update(&mut self, actor: &Actor) -> Result<()> {
        let rows = diesel::update(actors::table.find(actor.id.as_str()))
            .set((
                actors::roles.eq(role_names(actor)),
                actors::active.eq(actor.active),
                actors::updated_at.eq(actor.updated_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        found(rows)
    }

    fn replace_token_hash(&mut self, actor: &Actor, token_hash: &str) -> Result<()> {
        let rows = diesel::update(actors::table.find(actor.id.as_str()))
            .set((
                actors::token_hash.eq(token_hash),
                actors::updated_at.eq(actor.updated_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        found(rows)
    }
}
