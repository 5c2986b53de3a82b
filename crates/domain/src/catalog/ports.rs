//! Ports of the catalog.

use super::{Offer, OfferFilter};
use crate::error::Result;
use crate::page::PageRequest;
use crate::typed_ids::OfferId;

/// Storage of offers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait OfferRepository {
    /// The offer with this id.
    fn find(&mut self, id: &OfferId) -> Result<Option<Offer>>;
    /// Stores a new offer. `Conflict::OfferCodeExists` when another offer has its code
    /// (adapters map the unique constraint, so two concurrent creates cannot both succeed).
    fn insert(&mut self, offer: &Offer) -> Result<()>;
    /// Saves every field of an existing offer. `Error::NotFound(Offer)` if absent;
    /// `Conflict::OfferCodeExists` when another offer has the new code.
    fn update(&mut self, offer: &Offer) -> Result<()>;
    /// Removes an offer. `Error::NotFound(Offer)` if absent; `Conflict::OfferDeleteBlocked`
    /// when stored rows still reference it (a contract written concurrently).
    fn delete(&mut self, id: &OfferId) -> Result<()>;
    /// At most `page.fetch()` offers matching `filter` whose id sorts after
    /// `page.after()`, ordered by id.
    fn list(&mut self, filter: &OfferFilter, page: &PageRequest) -> Result<Vec<Offer>>;
    /// Every offer matching `filter`, ordered by code (the catalog is small: hundreds).
    fn all(&mut self, filter: &OfferFilter) -> Result<Vec<Offer>>;
}
