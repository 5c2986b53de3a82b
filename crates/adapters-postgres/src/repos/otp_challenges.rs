//! `OtpChallengeRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::error::{Error, Resource, Result};
use domain::landing::{OtpChallenge, OtpChallengeRepository};
use domain::typed_ids::OtpChallengeId;

use crate::errors::storage;
use crate::rows::otp_challenge::OtpChallengeRow;
use crate::schema::landing_otp_challenges as challenges;
use crate::tx::PgTx;

impl OtpChallengeRepository for PgTx<'_> {
    fn find_for_update(&mut self, id: &OtpChallengeId) -> Result<Option<OtpChallenge>> {
        let id = id.as_str();
        challenges::table
            .find(id)
            .for_update()
            .select(OtpChallengeRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(OtpChallengeRow::into_domain)
            .transpose()
    }

    fn replace_for_client(&mut self, challenge: &OtpChallenge) -> Result<()> {
        // One statement on the unique `client_id`, so two concurrent verifications of one CIN
        // leave exactly one live challenge (the later one) instead of failing.
        let row = OtpChallengeRow::from_domain(challenge);
        diesel::insert_into(challenges::table)
            .values(&row)
            .on_conflict(challenges::client_id)
            .do_update()
            .set((
                challenges::id.eq(&row.id),
                challenges::channel.eq(&row.channel),
                challenges::code_hash.eq(&row.code_hash),
                challenges::attempts_left.eq(row.attempts_left),
                challenges::expires_at.eq(row.expires_at),
                challenges::consumed_at.eq(row.consumed_at),
                challenges::created_at.eq(row.created_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn update(&mut self, challenge: &OtpChallenge) -> Result<()> {
        let changed = diesel::update(challenges::table.find(challenge.id.as_str()))
            .set((
                challenges::attempts_left.eq(challenge.attempts_left),
                challenges::consumed_at.eq(challenge.consumed_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::OtpChallenge));
        }
        Ok(())
    }
}
