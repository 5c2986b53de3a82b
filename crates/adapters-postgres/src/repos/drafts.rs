//! `DraftRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::error::{Error, Resource, Result};
use domain::landing::{Draft, DraftRepository};

use crate::errors::storage;
use crate::rows::draft::DraftRow;
use crate::schema::drafts;
use crate::tx::PgTx;

impl DraftRepository for PgTx<'_> {
    fn find(&mut self, id: &str) -> Result<Option<Draft>> {
        drafts::table
            .find(id)
            .select(DraftRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(DraftRow::into_domain)
            .transpose()
    }

    fn find_for_update(&mut self, id: &str) -> Result<Option<Draft>> {
        drafts::table
            .find(id)
            .for_update()
            .select(DraftRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(DraftRow::into_domain)
            .transpose()
    }

    fn insert(&mut self, draft: &Draft) -> Result<()> {
        diesel::insert_into(drafts::table)
            .values(DraftRow::from_domain(draft)?)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn update(&mut self, draft: &Draft) -> Result<()> {
        let changed = diesel::update(drafts::table.find(&draft.id))
            .set(DraftRow::from_domain(draft)?)
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Draft));
        }
        Ok(())
    }
}
