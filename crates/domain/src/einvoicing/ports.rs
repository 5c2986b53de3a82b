//! Storage of the clearances.

use time::OffsetDateTime;

use super::{ClaimedClearance, Clearance, ClearanceOutcome, ClearanceSummary, PendingClearance};
use crate::error::Result;

/// The clearance of every document issued while e-invoicing is on.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ClearanceRepository {
    /// Writes the documents' clearances, `pending` and due at `now`, in one statement (a
    /// billing batch writes its whole batch at once).
    fn insert_pending(&mut self, documents: &[PendingClearance], now: OffsetDateTime)
        -> Result<()>;
    /// The clearance of the document with this id, if it has one (documents issued while
    /// e-invoicing was off have none).
    fn find(&mut self, document_id: &str) -> Result<Option<Clearance>>;
    /// The clearances of these documents (any order; those without one are left out).
    fn find_many(&mut self, document_ids: &[String]) -> Result<Vec<Clearance>>;
    /// Claims at most `limit` documents due at `now` (`pending` ones due, and `submitted`
    /// ones whose lease ended: their worker died) with `FOR UPDATE SKIP LOCKED`: marks them
    /// `submitted`, counts the attempt and holds them until `lease_until`.
    fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<ClaimedClearance>>;
    /// Records what the attempt came to. `false` (nothing written) when the document is no
    /// longer `submitted` under this attempt (claimed again since, after its lease ended).
    fn record(
        &mut self,
        claimed: &ClaimedClearance,
        outcome: &ClearanceOutcome,
        now: OffsetDateTime,
    ) -> Result<bool>;
    /// Counts by status, the oldest document waiting and the latest error.
    fn summary(&mut self) -> Result<ClearanceSummary>;
}
