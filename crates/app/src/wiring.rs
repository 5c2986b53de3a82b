//! Builds the use-case services over the real adapters.

use std::sync::Arc;

use adapters_pdf::GenPdfRenderer;
use adapters_postgres::{PgKeyLocks, PgStore};
use domain::clock::Clock;
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
) -> domain::Result<Services> {
    let key_locks = Arc::new(PgKeyLocks::new(&store));
    Ok(Services::new(Ports {
        tx: Arc::new(store),
        clock,
        ids: Arc::new(UlidGenerator),
        credentials: Arc::new(Sha256Credentials),
        tokens: Arc::new(HmacTokens::new(token_secret.to_vec())),
        renderer: Arc::new(GenPdfRenderer::new()?),
        settings: Arc::new(settings),
        key_locks,
    }))
}
