//! The offer catalog (P1, P2).

mod offer;
mod ports;

pub use offer::{Offer, OfferCode, OfferStatus};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockOfferRepository;
pub use ports::OfferRepository;
