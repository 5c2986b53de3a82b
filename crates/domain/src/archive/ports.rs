//! Storage of the archive.

use time::Date;

use super::entry::{ArchiveEntry, ChainHead, DocumentRef, PendingDocument, Series};
use crate::error::Result;

/// The archive's heads and entries, and the issued documents it seals.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ArchiveRepository {
    /// Locks the head of `series` until the transaction ends and returns it; `None` when
    /// another transaction holds it (`SKIP LOCKED`): another sealer is at work on the series.
    fn lock_head(&mut self, series: Series) -> Result<Option<ChainHead>>;
    /// Whether a billing run holds its lock (`KeyLocks::hold_billing_run`) now, checked
    /// without waiting (decision 0325).
    fn billing_run_in_progress(&mut self) -> Result<bool>;
    /// Moves the head and appends the entries sealed after it, in position order.
    fn append(&mut self, head: &ChainHead, entries: &[ArchiveEntry]) -> Result<()>;

    /// The committed documents of a numbered series among `numbers`, in any order.
    fn numbered(&mut self, series: Series, numbers: &[String]) -> Result<Vec<PendingDocument>>;
    /// The last committed value of the sequence `name` for `year`; `None` if never used.
    fn sequence_value(&mut self, name: &str, year: i32) -> Result<Option<i64>>;
    /// The first year after `after` (any year when `None`) in which `name` was used.
    fn next_sequence_year(&mut self, name: &str, after: Option<i32>) -> Result<Option<i32>>;
    /// At most `limit` contract documents without an entry, in the order they were produced.
    fn unsealed_contract_documents(&mut self, limit: usize) -> Result<Vec<PendingDocument>>;
    /// The stored PDF of a contract document.
    fn contract_document_pdf(&mut self, contract_id: &str, version: i32)
        -> Result<Option<Vec<u8>>>;

    /// At most `limit` entries of `series` issued within `from..=to` whose position is
    /// after `after`, in position order.
    fn entries(
        &mut self,
        series: Series,
        from: Date,
        to: Date,
        after: i64,
        limit: usize,
    ) -> Result<Vec<ArchiveEntry>>;
    /// The entry of `series` at `position`.
    fn entry_at(&mut self, series: Series, position: i64) -> Result<Option<ArchiveEntry>>;
    /// The current number of a sealed document (its contract's number for a contract
    /// document); `None` when the document is gone.
    fn current_number(&mut self, document: &DocumentRef) -> Result<Option<String>>;
}
