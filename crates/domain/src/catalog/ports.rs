//! Ports of the catalog.

use super::Offer;
use crate::error::Result;

/// Storage of offers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait OfferRepository {
    /// The offer with this id.
    fn find(&mut self, id: &str) -> Result<Option<Offer>>;
}
