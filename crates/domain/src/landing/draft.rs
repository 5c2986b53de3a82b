//! A saved, unfinished subscription form.

use time::OffsetDateTime;

/// Whether the draft was turned into a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStatus {
    /// Still being edited.
    Open,
    /// Used by a successful `submit/new`.
    Submitted,
}

impl DraftStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Open => "open",
            DraftStatus::Submitted => "submitted",
        }
    }
}

/// A landing draft. The payload is the client's own JSON object, kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// `drf_…`.
    pub id: String,
    /// JSON object text (≤ 16 KiB).
    pub payload: String,
    /// Open or submitted.
    pub status: DraftStatus,
    /// After this instant the draft is gone (404).
    pub expires_at: OffsetDateTime,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}
