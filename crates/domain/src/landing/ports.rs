//! Ports of the landing module.

use super::Draft;
use crate::error::Result;

/// Storage of drafts.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait DraftRepository {
    /// The draft with this id, expired or not.
    fn find(&mut self, id: &str) -> Result<Option<Draft>>;
}
