//! `drafts` rows. The payload is JSONB in storage and JSON text in the domain.

use diesel::prelude::*;
use domain::error::{Error, Result};
use domain::landing::{Draft, DraftStatus};
use domain::typed_ids::DraftId;
use time::OffsetDateTime;

use super::corrupt;
use crate::schema::drafts;

/// One row of `drafts`. `created_by` is written once, at insert: `None` leaves it unchanged
/// on update (diesel skips `None` in a changeset).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = drafts)]
pub struct DraftRow {
    pub id: String,
    pub payload: serde_json::Value,
    pub status: String,
    pub expires_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub created_by: Option<String>,
}

impl DraftRow {
    /// The row of `draft`. The payload was parsed by the driving adapter, so text that is not
    /// JSON here is a programming fault, reported as a storage error.
    pub fn from_domain(draft: &Draft) -> Result<Self> {
        let payload = serde_json::from_str(&draft.payload)
            .map_err(|e| Error::Storage(format!("draft {}: payload is not JSON: {e}", draft.id)))?;
        Ok(Self {
            id: draft.id.to_string(),
            payload,
            status: draft.status.as_str().to_owned(),
            expires_at: draft.expires_at,
            created_at: draft.created_at,
            updated_at: draft.updated_at,
            created_by: None,
        })
    }

    /// The entity.
    pub fn into_domain(self) -> Result<Draft> {
        let bad = |m: String| corrupt("draft", &self.id, m);
        Ok(Draft {
            status: DraftStatus::parse(&self.status).map_err(bad)?,
            payload: self.payload.to_string(),
            id: DraftId::from_stored(self.id),
            expires_at: self.expires_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
