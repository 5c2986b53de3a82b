//! The readiness probe over PostgreSQL: a pooled connection within the time allowed, a
//! round trip, and no embedded migration left to apply.

use std::time::Duration;

use adapters_postgres::migrations;
use adapters_postgres::PgStore;
use http_actix::readiness::{NotReady, ReadinessProbe};

/// Probes the store's database.
pub struct PgReadiness {
    store: PgStore,
}

impl PgReadiness {
    /// A probe of `store`.
    pub fn new(store: PgStore) -> Self {
        PgReadiness { store }
    }
}

impl ReadinessProbe for PgReadiness {
    fn check(&self, within: Duration) -> Result<(), NotReady> {
        let mut conn = self
            .store
            .answering_connection(within)
            .map_err(|e| NotReady::Database(e.to_string()))?;
        match migrations::pending_count(&mut conn) {
            Ok(0) => Ok(()),
            Ok(pending) => Err(NotReady::MigrationsPending(pending)),
            Err(error) => Err(NotReady::Database(error.to_string())),
        }
    }
}
