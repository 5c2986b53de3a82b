//! Ports of the catalog.

use super::Offer;
use crate::error::Result;

/// Storage of offers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait OfferRepository {
    /// The offer with this id.
    fn find(&mut self, id: &str) -> Result<Option<Offer>>;
    /// Every active offer, ordered by monthly price, then id (the landing catalog and
    /// plan-change targets; a catalog is small enough to read whole).
    fn list_active(&mut self) -> Result<Vec<Offer>>;
}
