//! The offer catalog (P1, P2).

mod category;
mod filter;
mod input;
mod offer;
mod ports;
mod service;
#[cfg(test)]
mod service_tests;

pub use category::OfferCategory;
pub use filter::OfferFilter;
pub use input::{
    AllowancesInput, OfferFields, OfferInput, OverageRatesInput, MAX_ALLOWANCE,
    MAX_COMMITMENT_MONTHS, MAX_DESCRIPTION_CHARS, MAX_MONTHLY_PRICE, MAX_NAME_CHARS,
    MAX_OVERAGE_RATE,
};
pub use offer::{Offer, OfferCode, OfferStatus};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockOfferRepository;
pub use ports::OfferRepository;
pub use service::{get_offer_in, CatalogService};
