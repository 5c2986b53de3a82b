//! Builds the use-case services over the real adapters.

use std::sync::Arc;

use adapters_postgres::PgStore;
use domain::clock::Clock;
use domain::documents::{ContractDocument, DocumentRenderer, InvoiceDocument};
use domain::ids::UlidGenerator;
use domain::ports::Ports;
use domain::services::Services;
use domain::settings::Settings;

use crate::crypto::{HmacTokens, Sha256Credentials};

/// Every service over PostgreSQL, the given clock and the token secret.
pub fn services(
    store: PgStore,
    clock: Arc<dyn Clock>,
    token_secret: &[u8],
    settings: Settings,
) -> Services {
    Services::new(Ports {
        tx: Arc::new(store),
        clock,
        ids: Arc::new(UlidGenerator),
        credentials: Arc::new(Sha256Credentials),
        tokens: Arc::new(HmacTokens::new(token_secret.to_vec())),
        renderer: Arc::new(PendingRenderer),
        settings: Arc::new(settings),
    })
}

struct PendingRenderer;

impl DocumentRenderer for PendingRenderer {
    fn contract(&self, _: &ContractDocument) -> domain::Result<Vec<u8>> {
        Err(domain::Error::Rendering("renderer not wired".into()))
    }
    fn invoice(&self, _: &InvoiceDocument) -> domain::Result<Vec<u8>> {
        Err(domain::Error::Rendering("renderer not wired".into()))
    }
}
