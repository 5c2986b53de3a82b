//! Every route of `/api/v1`, one module per resource. Registering a handler here is what puts
//! it in the OpenAPI document.

use utoipa_actix_web::scope;
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

/// Registers every handler under the `/api/v1` scope, each resource in a scope of its own
/// first path segment. The router tries a scope's literal prefix with a string comparison, then
/// only that scope's routes; registered flat, every request was matched against the pattern of
/// each route before its own, one regular expression at a time (decision 0392).
pub fn configure(cfg: &mut ServiceConfig) {
    system::configure(cfg);
    offers::configure_vocabularies(cfg);
    archive::configure(cfg);
    einvoicing::configure(cfg);
    events::configure(cfg);
    exports::configure(cfg);
    reports::configure(cfg);
    usage::configure(cfg);
    landing::configure(cfg);
    cfg.service(scope("/admin").configure(actors::configure))
        .service(scope("/offers").configure(offers::configure))
        .service(
            scope("/customers")
                .configure(clients::configure)
                .configure(ledger::configure_on_customers),
        )
        .service(scope("/subscribers").configure(subscribers::configure))
        .service(
            scope("/collections")
                .configure(collections::configure)
                .configure(ledger::configure_on_collections),
        )
        .service(
            scope("/contracts")
                .configure(contracts::configure)
                .configure(contract_usage::configure),
        )
        .service(scope("/billing").configure(billing_runs::configure))
        .service(
            scope("/invoices")
                .configure(invoices::configure)
                .configure(credit_notes::configure_on_invoices),
        )
        .service(scope("/credit-notes").configure(credit_notes::configure))
        .service(scope("/webhooks").configure(webhooks::configure));
}
