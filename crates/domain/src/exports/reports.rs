//! Revenue of a month, excl. tax, by service type and by offer.

use std::collections::BTreeMap;

use super::ports::RevenueLine;
use crate::billing::Period;
use crate::money::clamp_to_i64;
use crate::service_type::ServiceType;
use crate::typed_ids::OfferId;

/// Revenue of one service type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRevenue {
    /// The service family.
    pub service_type: ServiceType,
    /// Invoiced minus credited, excl. tax (signed centimes).
    pub excl_tax: i64,
}

/// Revenue of one offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRevenue {
    /// The offer.
    pub offer_id: OfferId,
    /// Its name.
    pub offer_name: String,
    /// Its service family.
    pub service_type: ServiceType,
    /// Invoiced minus credited, excl. tax (signed centimes).
    pub excl_tax: i64,
}

/// The revenue report of one month: documents issued in it, invoices minus credit notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueReport {
    /// The month.
    pub period: Period,
    /// By service type, in wire-name order.
    pub by_service: Vec<ServiceRevenue>,
    /// By offer, in id order.
    pub by_offer: Vec<OfferRevenue>,
    /// The month's revenue, excl. tax.
    pub total_excl_tax: i64,
}

impl RevenueReport {
    /// Sums the month's lines by service type and by offer.
    pub fn new(period: Period, lines: &[RevenueLine]) -> RevenueReport {
        let mut services: BTreeMap<&'static str, (ServiceType, i128)> = BTreeMap::new();
        let mut offers: BTreeMap<&str, (&RevenueLine, i128)> = BTreeMap::new();
        for line in lines {
            let amount = i128::from(line.excl_tax);
            services
                .entry(line.service_type.as_str())
                .or_insert((line.service_type, 0))
                .1 += amount;
            offers.entry(line.offer_id.as_str()).or_insert((line, 0)).1 += amount;
        }
        let by_service: Vec<ServiceRevenue> = services
            .into_values()
            .map(|(service_type, sum)| ServiceRevenue {
                service_type,
                excl_tax: clamp_to_i64(sum),
            })
            .collect();
        let by_offer = offers
            .into_values()
            .map(|(line, sum)| OfferRevenue {
                offer_id: line.offer_id.clone(),
                offer_name: line.offer_name.clone(),
                service_type: line.service_type,
                excl_tax: clamp_to_i64(sum),
            })
            .collect();
        let total_excl_tax = clamp_to_i64(by_service.iter().map(|s| i128::from(s.excl_tax)).sum());
        RevenueReport {
            period,
            by_service,
            by_offer,
            total_excl_tax,
        }
    }
}
