//! Ports of the landing module.

use time::OffsetDateTime;

use super::Draft;
use crate::error::Result;

/// Storage of drafts.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait DraftRepository {
    /// The draft with this id, expired or not.
    fn find(&mut self, id: &str) -> Result<Option<Draft>>;
    /// The draft with this id, expired or not, locked (`FOR UPDATE`) until the transaction
    /// ends, so two saves or submits of one draft never interleave.
    fn find_for_update(&mut self, id: &str) -> Result<Option<Draft>>;
    /// Stores a new draft made by `creator` (a pseudonym of the client address, kept only to
    /// count). Its `payload` is JSON object text; adapters may store it in a normalised form
    /// (key order, whitespace).
    fn insert(&mut self, draft: &Draft, creator: &str) -> Result<()>;
    /// How many drafts of `creator` are open and unexpired at `now`. Also holds, until the
    /// transaction ends, a lock on `creator` that the same call in another transaction waits
    /// for, so concurrent creations cannot all pass the cap on the same count.
    fn lock_and_count_open(&mut self, creator: &str, now: OffsetDateTime) -> Result<i64>;
    /// Saves payload, status and instants of an existing draft; `Error::NotFound(Draft)` if
    /// absent.
    fn update(&mut self, draft: &Draft) -> Result<()>;
}
