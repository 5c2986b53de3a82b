//! Ports of the collections module.

use super::{CollectionCase, Payment};
use crate::error::Result;

/// Storage of payments and their allocations.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait PaymentRepository {
    /// The payment with this id, with its allocations.
    fn find(&mut self, id: &str) -> Result<Option<Payment>>;
}

/// Storage of collection cases and their actions.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait CollectionRepository {
    /// The case with this id.
    fn find(&mut self, id: &str) -> Result<Option<CollectionCase>>;
}
