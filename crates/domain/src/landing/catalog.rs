//! P7 bootstrap: what the public subscription form needs to render.

use super::plan_change_rules::active_offers;
use super::LandingService;
use crate::catalog::{Offer, OfferStatus};
use crate::error::Result;
use crate::money::CURRENCY;
use crate::service_type::ServiceType;
use crate::tx::read;

/// Commitment lengths (months) a client may choose on the landing.
pub const COMMITMENT_OPTIONS: [i32; 3] = [0, 12, 24];

/// Request fields of `submit/new` a client must fill in.
pub const REQUIRED_FIELDS: [&str; 6] = [
    "client.cin",
    "client.first_name",
    "client.last_name",
    "offer_id",
    "contract_start_date",
    "subscriber.service_identifier",
];

/// The public catalog: every active offer, by service family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandingCatalog {
    /// Currency of every price.
    pub currency: &'static str,
    /// Every service family, in catalog order, with its active offers.
    pub families: Vec<(ServiceType, Vec<Offer>)>,
    /// Allowed commitment lengths.
    pub commitment_options: [i32; 3],
    /// Required `submit/new` fields.
    pub required_fields: [&'static str; 6],
}

impl LandingService {
    /// The catalog shown on the landing: active offers only (retired ones are hidden),
    /// cheapest first inside each family.
    pub fn bootstrap(&self) -> Result<LandingCatalog> {
        let offers = read(self.tx.as_ref(), |uow| uow.offers().all(&active_offers()))?;
        let families = ServiceType::ALL
            .into_iter()
            .map(|family| {
                let mut of_family: Vec<Offer> = offers
                    .iter()
                    .filter(|o| o.service_type == family && o.status == OfferStatus::Active)
                    .cloned()
                    .collect();
                of_family.sort_by(|a, b| {
                    (a.monthly_price_incl_tax(), &a.id).cmp(&(b.monthly_price_incl_tax(), &b.id))
                });
                (family, of_family)
            })
            .collect();
        Ok(LandingCatalog {
            currency: CURRENCY,
            families,
            commitment_options: COMMITMENT_OPTIONS,
            required_fields: REQUIRED_FIELDS,
        })
    }
}
