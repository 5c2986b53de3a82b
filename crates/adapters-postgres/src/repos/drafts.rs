//! `DraftRepository` on PostgreSQL.

use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::error::{Error, Resource, Result};
use domain::landing::{Draft, DraftRepository};
use domain::typed_ids::DraftId;
use time::OffsetDateTime;

use crate::errors::storage;
use crate::rows::draft::DraftRow;
use crate::schema::drafts;
use crate::tx::PgTx;

impl DraftRepository for PgTx<'_> {
    fn find(&mut self, id: &DraftId) -> Result<Option<Draft>> {
        let id = id.as_str();
        drafts::table
            .find(id)
            .select(DraftRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(DraftRow::into_domain)
            .transpose()
    }

    fn find_for_update(&mut self, id: &DraftId) -> Result<Option<Draft>> {
        let id = id.as_str();
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

    fn insert(&mut self, draft: &Draft, creator: &str) -> Result<()> {
        let row = DraftRow {
            created_by: Some(creator.to_owned()),
            ..DraftRow::from_domain(draft)?
        };
        diesel::insert_into(drafts::table)
            .values(row)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn lock_and_count_open(&mut self, creator: &str, now: OffsetDateTime) -> Result<i64> {
        // Released at commit or rollback; a hash collision with another key only makes one
        // wait for the other.
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock(hashtextextended('draft-creator' || chr(31) || $1, 0))",
        )
        .bind::<Text, _>(creator)
        .execute(self.conn)
        .map_err(storage)?;
        drafts::table
            .filter(drafts::created_by.eq(creator))
            .filter(drafts::status.eq("open"))
            .filter(drafts::expires_at.gt(now))
            .count()
            .get_result(self.conn)
            .map_err(storage)
    }

    fn update(&mut self, draft: &Draft) -> Result<()> {
        let changed = diesel::update(drafts::table.find(draft.id.as_str()))
            .set(DraftRow::from_domain(draft)?)
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Draft));
        }
        Ok(())
    }
}
