//! P7–P10 and P13: the public landing. No credentials: access is by signed token or proof of
//! the CIN, and every call is rate limited per client address before it does anything else
//! (the `throttle` middleware wraps the whole `/landing` scope).

use actix_web::middleware::from_fn;
use actix_web::{web, HttpRequest};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::network::{self, HttpSettings};

pub mod bootstrap;
pub mod dates;
pub mod documents;
pub mod drafts;
pub mod invoices;
pub mod lookup;
pub mod queries;
pub mod submit;
pub mod throttle;
pub mod usage;
pub mod views;

/// Registers the landing handlers under `/landing`, behind the rate limit.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/landing")
            .configure(handlers)
            .wrap(from_fn(throttle::throttle)),
    );
}

fn handlers(cfg: &mut ServiceConfig) {
    cfg.service(bootstrap::bootstrap)
        .service(submit::submit_new)
        .service(submit::submit_plan_change)
        .service(invoices::invoice_document)
        .service(invoices::credit_note_document)
        .service(
            scope("/clients")
                .service(lookup::verify_cin)
                .service(lookup::confirm_cin)
                .service(lookup::subscriptions)
                .service(invoices::client_invoices)
                .service(usage::client_usage),
        )
        .service(
            scope("/drafts")
                .service(drafts::create_draft)
                .service(drafts::get_draft)
                .service(drafts::update_draft),
        )
        .service(
            scope("/contracts")
                .service(documents::document_link)
                .service(documents::download_document),
        );
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
