//! Audit entries: who changed what on a contract, before and after.

use time::OffsetDateTime;

/// A flat snapshot of the fields an action changed, as (name, value) pairs.
pub type Fields = Vec<(String, String)>;

/// One append-only audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// `aud_…`.
    pub id: String,
    /// Contract concerned.
    pub contract_id: String,
    /// When.
    pub at: OffsetDateTime,
    /// Who (`act_…` or `system`, or `landing:<CIN>` for self-service).
    pub actor_id: String,
    /// What: `created`, `status_changed`, `offer_changed`, `plan_changed`, `document_generated`…
    pub action: String,
    /// Values before (absent at creation).
    pub before: Option<Fields>,
    /// Values after.
    pub after: Option<Fields>,
}
