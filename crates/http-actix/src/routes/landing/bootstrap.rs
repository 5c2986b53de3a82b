//! P7 step 1: what the subscription form needs.

use actix_web::{get, web, HttpResponse};
use domain::services::Services;
use serde::Serialize;
use utoipa::ToSchema;

use super::views::LandingOffer;
use crate::blocking::blocking;
use crate::problem::ApiError;
use crate::responses::LandingErrors;

/// A service family.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTypeView {
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Label shown to clients.
    pub label: String,
    /// Active offers of the family.
    pub offer_count: usize,
}

/// Landing metadata.
#[derive(Debug, Serialize, ToSchema)]
pub struct BootstrapResponse {
    /// Currency of every price (`MAD`).
    pub currency: String,
    /// Service families, in catalog order.
    pub service_types: Vec<ServiceTypeView>,
    /// Active offers, by family then cheapest first, each tagged with its `service_type`.
    pub offers: Vec<LandingOffer>,
    /// Commitment lengths a client may choose, months.
    pub commitment_options: Vec<i32>,
    /// Fields `submit/new` requires (request paths).
    pub required_fields: Vec<String>,
    /// Whether `verify-cin` answers a one-time-code challenge (`MTF_LANDING_OTP=on`) instead
    /// of the lookup token.
    pub otp: bool,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    responses(
        (status = 200, description = "Catalog and form metadata", body = BootstrapResponse),
        LandingErrors
    )
)]
#[get("/bootstrap")]
pub async fn bootstrap(services: web::Data<Services>) -> Result<HttpResponse, ApiError> {
    let landing = services.landing.clone();
    let catalog = blocking(move || landing.bootstrap()).await?;
    let otp = services.ports.settings.landing_otp;
    Ok(HttpResponse::Ok().json(BootstrapResponse {
        currency: catalog.currency.to_owned(),
        service_types: catalog
            .families
            .iter()
            .map(|(family, offers)| ServiceTypeView {
                service_type: family.as_str().to_owned(),
                label: family.label().to_owned(),
                offer_count: offers.len(),
            })
            .collect(),
        offers: catalog
            .families
            .iter()
            .flat_map(|(_, offers)| offers.iter().map(LandingOffer::from))
            .collect(),
        commitment_options: catalog.commitment_options.to_vec(),
        required_fields: catalog
            .required_fields
            .iter()
            .map(|f| (*f).to_owned())
            .collect(),
        otp,
    }))
}
