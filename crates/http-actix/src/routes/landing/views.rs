//! Response pieces shared by the landing handlers: offers as the public sees them, and
//! document URLs.

use domain::catalog::Offer;
use domain::landing::DocumentLink;
use serde::Serialize;
use utoipa::ToSchema;

use crate::public_links::{public_link, PublicBaseUrl};
use crate::routes::offers::usage::{usage_members, AllowancesResponse, OverageRatesResponse};

/// An offer on the landing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LandingOffer {
    /// `ofr_…`.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Commercial name.
    pub name: String,
    /// Free description.
    pub description: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// Monthly price incl. tax, centimes.
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Tax rate, basis points (2000 = 20 %).
    pub tax_rate_bp: i32,
    /// Default commitment, months.
    pub commitment_months: i32,
    /// `active` or `retired` (a contract may still be on a retired offer).
    pub status: String,
    /// What a month of the plan includes; `null` when the offer rates no usage.
    pub allowances: Option<AllowancesResponse>,
    /// Out-of-bundle rates, centimes excl. tax; `null` when the offer rates no usage.
    pub overage_rates: Option<OverageRatesResponse>,
}

impl From<&Offer> for LandingOffer {
    fn from(offer: &Offer) -> Self {
        let (allowances, overage_rates) = usage_members(offer.usage.as_ref());
        Self {
            allowances,
            overage_rates,
            id: offer.id.to_string(),
            code: offer.code.as_str().to_owned(),
            name: offer.name.clone(),
            description: offer.description.clone(),
            service_type: offer.service_type.as_str().to_owned(),
            monthly_price: offer.monthly_price.centimes(),
            monthly_price_incl_tax: offer.monthly_price_incl_tax(),
            currency: offer.currency.clone(),
            tax_rate_bp: offer.tax_rate_bp,
            commitment_months: offer.commitment_months,
            status: offer.status.as_str().to_owned(),
        }
    }
}

/// The link that downloads a contract's document with its token: an absolute path, or a URL
/// on `MTF_PUBLIC_BASE_URL`.
pub fn document_url(base: Option<&PublicBaseUrl>, link: &DocumentLink) -> String {
    public_link(
        base,
        &format!(
            "/api/v1/landing/contracts/{}/document?token={}",
            link.contract_id, link.token
        ),
    )
}
