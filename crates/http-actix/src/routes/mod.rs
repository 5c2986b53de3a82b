//! Every route of `/api/v1`, one module per resource. Registering a handler here is what puts
//! it in the OpenAPI document.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod actors;
pub mod archive;
pub mod billing_runs;
pub mod clients;
pub mod collections;
pub mod contract_usage;
pub mod contracts;
pub mod credit_notes;
pub mod einvoicing;
pub mod events;
pub mod exports;
pub mod invoices;
pub mod landing;
pub mod ledger;
pub mod offers;
pub mod reports;
pub mod subscribers;
pub mod system;
pub mod usage;
pub mod webhooks;

/// Registers every handler under the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    system::configure(cfg);
    actors::configure(cfg);
    offers::configure(cfg);
    clients::configure(cfg);
    subscribers::configure(cfg);
    collections::configure(cfg);
    contracts::configure(cfg);
    contract_usage::configure(cfg);
    landing::configure(cfg);
    billing_runs::configure(cfg);
    invoices::configure(cfg);
    ledger::configure(cfg);
    credit_notes::configure(cfg);
    exports::configure(cfg);
    reports::configure(cfg);
    events::configure(cfg);
    webhooks::configure(cfg);
    einvoicing::configure(cfg);
    archive::configure(cfg);
    usage::configure(cfg);
}
