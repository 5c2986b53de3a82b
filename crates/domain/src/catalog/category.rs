//! Offer categories: the catalog grouped by service family.

use super::Offer;
use crate::service_type::ServiceType;

/// The offers of one service family (`/offer-categories`, alias `/offer-families`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferCategory {
    /// The family.
    pub service_type: ServiceType,
    /// Its offers, ordered by code.
    pub offers: Vec<Offer>,
}

impl OfferCategory {
    /// The family's label shown to people.
    pub fn label(&self) -> &'static str {
        self.service_type.label()
    }

    /// How many offers the category holds.
    pub fn offer_count(&self) -> usize {
        self.offers.len()
    }

    /// One category per service type, in catalog order (every type appears, even empty),
    /// each with its offers from `offers` in their given order.
    pub fn group(offers: Vec<Offer>) -> Vec<OfferCategory> {
        let mut categories: Vec<OfferCategory> = ServiceType::ALL
            .into_iter()
            .map(|service_type| OfferCategory {
                service_type,
                offers: Vec::new(),
            })
            .collect();
        for offer in offers {
            if let Some(category) = categories
                .iter_mut()
                .find(|c| c.service_type == offer.service_type)
            {
                category.offers.push(offer);
            }
        }
        categories
    }
}
