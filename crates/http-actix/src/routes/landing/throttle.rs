//! The landing rate limit as middleware on the `/landing` scope, so no handler can forget it.
//! It runs before the handler's extractors: a malformed or oversized call is counted too.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};
use domain::landing::LandingCall;
use domain::services::Services;

use super::client_address;
use crate::blocking::blocking;
use crate::request_context::route_template;

/// Routes counted in the verify-cin budget: both are guesses at someone's identity.
const VERIFY_CIN_ROUTES: [&str; 2] = [
    "/landing/clients/verify-cin",
    "/landing/clients/verify-cin/confirm",
];

/// The budget a landing route counts in, from its registered pattern.
pub fn bucket(pattern: &str) -> LandingCall {
    if VERIFY_CIN_ROUTES
        .iter()
        .any(|route| pattern.ends_with(route))
    {
        LandingCall::VerifyCin
    } else {
        LandingCall::Other
    }
}

/// Counts the call against its per-address limit: 429 `rate_limited` with `Retry-After` once
/// passed. A path no landing route takes is left to the 404 without being counted.
pub async fn throttle(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let pattern = route_template(req.request());
    let services = req.app_data::<web::Data<Services>>().cloned();
    if let (Some(pattern), Some(services)) = (pattern, services) {
        let address = client_address(req.request());
        let landing = services.landing.clone();
        let call = bucket(&pattern);
        if let Err(error) = blocking(move || landing.admit(call, &address)).await {
            return Ok(req.into_response(error.error_response().map_into_right_body()));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cin_and_its_confirmation_share_the_verify_budget() {
        for pattern in [
            "/api/v1/landing/clients/verify-cin",
            "/api/v1/landing/clients/verify-cin/confirm",
        ] {
            assert!(
                matches!(bucket(pattern), LandingCall::VerifyCin),
                "{pattern}"
            );
        }
        for pattern in [
            "/api/v1/landing/clients/{cin}/subscriptions",
            "/api/v1/landing/drafts",
            "/api/v1/landing/invoices/{invoice_id}/document",
        ] {
            assert!(matches!(bucket(pattern), LandingCall::Other), "{pattern}");
        }
    }
}
