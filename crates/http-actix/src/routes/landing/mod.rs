//! P7–P10: the public landing. No credentials: access is by signed token or proof of the
//! CIN, and every call is rate limited per client address before it does anything else.

use actix_web::{web, HttpRequest};
use domain::landing::LandingCall;
use domain::services::Services;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::blocking::blocking;
use crate::network::{self, HttpSettings};
use crate::problem::ApiError;

pub mod bootstrap;
pub mod dates;
pub mod documents;
pub mod drafts;
pub mod lookup;
pub mod submit;
pub mod views;

/// Registers the landing handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(bootstrap::bootstrap)
        .service(drafts::create_draft)
        .service(drafts::get_draft)
        .service(drafts::update_draft)
        .service(lookup::verify_cin)
        .service(lookup::confirm_cin)
        .service(lookup::subscriptions)
        .service(documents::document_link)
        .service(documents::download_document)
        .service(submit::submit_new)
        .service(submit::submit_plan_change);
}

/// The caller's address as rate limits and draft caps count it: the peer, or the client a
/// trusted proxy names (see `network::client_ip`), an IPv6 client by its /64; `unknown`
/// without a peer.
pub fn client_address(req: &HttpRequest) -> String {
    let fallback = HttpSettings::default();
    let settings = req
        .app_data::<web::Data<HttpSettings>>()
        .map_or(&fallback, |data| data.get_ref());
    network::client_ip(req, settings).map_or_else(|| "unknown".into(), network::address_key)
}

/// Counts the call against its per-address limit: 429 `rate_limited` with `Retry-After`
/// once passed.
pub async fn admit(
    services: &web::Data<Services>,
    req: &HttpRequest,
    call: LandingCall,
) -> Result<(), ApiError> {
    let address = client_address(req);
    let landing = services.landing.clone();
    blocking(move || landing.admit(call, &address)).await
}
