//! The offer catalog (P1, P2).

mod offer;
mod ports;

pub use offer::{Offer, OfferCode, OfferStatus};
pub use ports::OfferRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockOfferRepository;
