//! JSON bodies of the reports: amounts in signed centimes.

use domain::exports::{RevenueReport, TvaReport};
use domain::money::CURRENCY;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::routes::exports::RateFigures;

/// TVA by rate for one month.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TvaReportResponse {
    /// Month, `YYYY-MM`.
    pub period: String,
    /// `debits` (documents issued in the month) or `encaissements` (TVA share of the money
    /// collected in it).
    pub regime: String,
    /// Base and TVA per rate, highest rate first.
    pub rates: Vec<RateFigures>,
    /// Sum of the bases, centimes.
    pub total_excl_tax: i64,
    /// Sum of the TVA, centimes.
    pub total_tax: i64,
    /// `MAD`.
    pub currency: String,
}

impl TvaReportResponse {
    /// The body of `report`.
    pub fn new(report: &TvaReport) -> Self {
        Self {
            period: report.period.to_string(),
            regime: report.regime.as_str().into(),
            rates: report
                .rates
                .iter()
                .map(|r| RateFigures {
                    rate_bp: r.rate_bp,
                    excl_tax: r.excl_tax,
                    tax: r.tax,
                })
                .collect(),
            total_excl_tax: report.total_excl_tax,
            total_tax: report.total_tax,
            currency: CURRENCY.into(),
        }
    }
}

/// Revenue of one service type.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceRevenueResponse {
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Invoiced minus credited, excl. tax, centimes.
    pub excl_tax: i64,
}

/// Revenue of one offer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OfferRevenueResponse {
    /// `ofr_…`.
    pub offer_id: String,
    /// Its name.
    pub offer_name: String,
    /// Its service type.
    pub service_type: String,
    /// Invoiced minus credited, excl. tax, centimes.
    pub excl_tax: i64,
}

/// Revenue excl. tax of one month: invoices issued in it minus credit notes issued in it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevenueReportResponse {
    /// Month, `YYYY-MM`.
    pub period: String,
    /// By service type.
    pub by_service: Vec<ServiceRevenueResponse>,
    /// By offer, in id order.
    pub by_offer: Vec<OfferRevenueResponse>,
    /// The month's revenue, centimes.
    pub total_excl_tax: i64,
    /// `MAD`.
    pub currency: String,
}

impl RevenueReportResponse {
    /// The body of `report`.
    pub fn new(report: &RevenueReport) -> Self {
        Self {
            period: report.period.to_string(),
            by_service: report
                .by_service
                .iter()
                .map(|s| ServiceRevenueResponse {
                    service_type: s.service_type.as_str().into(),
                    excl_tax: s.excl_tax,
                })
                .collect(),
            by_offer: report
                .by_offer
                .iter()
                .map(|o| OfferRevenueResponse {
                    offer_id: o.offer_id.to_string(),
                    offer_name: o.offer_name.clone(),
                    service_type: o.service_type.as_str().into(),
                    excl_tax: o.excl_tax,
                })
                .collect(),
            total_excl_tax: report.total_excl_tax,
            currency: CURRENCY.into(),
        }
    }
}
