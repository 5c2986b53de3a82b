//! Rows of `clearances` (issue #18).

use diesel::prelude::*;
use diesel::sql_types::{Int4, Text};
use domain::einvoicing::{
    ClaimedClearance, Clearance, ClearanceStatus, ClearedDocument, DocumentKind,
};
use domain::error::{Error, Result};
use time::OffsetDateTime;

use crate::schema::clearances;

/// A stored clearance.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = clearances)]
pub struct ClearanceRow {
    pub document_id: String,
    pub document_kind: String,
    pub document_number: String,
    pub status: String,
    pub reference: Option<String>,
    pub cleared_at: Option<OffsetDateTime>,
    pub verification_code: Option<String>,
    pub reasons: Vec<String>,
    pub attempts: i32,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
}

/// The document a stored kind and id name.
pub fn document_of(kind: &str, id: String) -> Result<ClearedDocument> {
    let kind = DocumentKind::from_stored(kind).ok_or_else(|| {
        Error::Storage(format!("clearance of {id}: unknown document kind `{kind}`"))
    })?;
    Ok(ClearedDocument::from_stored(kind, id))
}

impl ClearanceRow {
    /// The clearance this row holds.
    pub fn into_domain(self) -> Result<Clearance> {
        Ok(Clearance {
            document: document_of(&self.document_kind, self.document_id)?,
            number: self.document_number,
            status: ClearanceStatus::from_stored(&self.status),
            reference: self.reference,
            cleared_at: self.cleared_at,
            verification_code: self.verification_code,
            reasons: self.reasons,
            attempts: self.attempts,
            last_error: self.last_error,
            next_attempt_at: self.next_attempt_at,
        })
    }
}

/// A row the claim statement returns.
#[derive(Debug, QueryableByName)]
pub struct ClaimedClearanceRow {
    #[diesel(sql_type = Text)]
    pub document_id: String,
    #[diesel(sql_type = Text)]
    pub document_kind: String,
    #[diesel(sql_type = Text)]
    pub document_number: String,
    #[diesel(sql_type = Int4)]
    pub attempts: i32,
}

impl ClaimedClearanceRow {
    /// The claimed document.
    pub fn into_domain(self) -> Result<ClaimedClearance> {
        Ok(ClaimedClearance {
            document: document_of(&self.document_kind, self.document_id)?,
            number: self.document_number,
            attempt: self.attempts,
        })
    }
}

/// Documents per status.
#[derive(Debug, QueryableByName)]
pub struct StatusCountRow {
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = diesel::sql_types::Int8)]
    pub count: i64,
}

/// The oldest waiting document, or the latest error.
#[derive(Debug, Queryable)]
pub struct WatchRow {
    pub document_id: String,
    pub document_kind: String,
    pub document_number: String,
    pub at: Option<OffsetDateTime>,
    pub attempts: i32,
    pub last_error: Option<String>,
}
