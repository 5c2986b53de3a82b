//! P14–P15: payments, settlement, dunning and collection cases; bank payment files and
//! unidentified money (issue 22).

pub mod cases;
mod disputes;
pub(crate) mod dto;
mod dunning;
mod import_body;
pub mod imports;
mod imports_dto;
pub mod payments;
pub mod unidentified;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the collections handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    payments::configure(cfg);
    dunning::configure(cfg);
    cases::configure(cfg);
    disputes::configure(cfg);
    imports::configure(cfg);
    unidentified::configure(cfg);
}
