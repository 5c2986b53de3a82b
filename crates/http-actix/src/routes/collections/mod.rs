//! P14–P15: payments, settlement, dunning and collection cases.

pub mod cases;
pub(crate) mod dto;
mod dunning;
pub mod payments;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the collections handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    payments::configure(cfg);
    dunning::configure(cfg);
    cases::configure(cfg);
}
