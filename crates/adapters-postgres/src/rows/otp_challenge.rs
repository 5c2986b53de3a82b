//! `landing_otp_challenges` rows.

use diesel::prelude::*;
use domain::error::Result;
use domain::landing::{OtpChallenge, OtpChannel};
use domain::typed_ids::{ClientId, OtpChallengeId};
use time::OffsetDateTime;

use super::corrupt;
use crate::schema::landing_otp_challenges;

/// One row of `landing_otp_challenges`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = landing_otp_challenges)]
pub struct OtpChallengeRow {
    pub id: String,
    pub client_id: String,
    pub channel: String,
    pub code_hash: String,
    pub attempts_left: i32,
    pub expires_at: OffsetDateTime,
    pub consumed_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

impl OtpChallengeRow {
    /// The row of `challenge`.
    pub fn from_domain(challenge: &OtpChallenge) -> Self {
        Self {
            id: challenge.id.to_string(),
            client_id: challenge.client_id.to_string(),
            channel: challenge.channel.as_str().to_owned(),
            code_hash: challenge.code_hash.clone(),
            attempts_left: challenge.attempts_left,
            expires_at: challenge.expires_at,
            consumed_at: challenge.consumed_at,
            created_at: challenge.created_at,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> Result<OtpChallenge> {
        let channel = OtpChannel::parse(&self.channel)
            .map_err(|m| corrupt("landing_otp_challenges", &self.id, m))?;
        Ok(OtpChallenge {
            id: OtpChallengeId::from_stored(self.id),
            client_id: ClientId::from_stored(self.client_id),
            channel,
            code_hash: self.code_hash,
            attempts_left: self.attempts_left,
            expires_at: self.expires_at,
            consumed_at: self.consumed_at,
            created_at: self.created_at,
        })
    }
}
