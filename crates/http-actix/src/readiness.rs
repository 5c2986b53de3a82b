//! The readiness check's port: the application says how to probe its storage, the handler
//! (`GET /api/v1/health/ready`, decision 0161) bounds the wait and answers.

use std::time::Duration;

/// Longest the readiness check waits for the database.
pub const READY_WITHIN: Duration = Duration::from_secs(1);

/// Seconds a client is told to wait (`Retry-After`) when the database is unavailable.
pub const RETRY_AFTER_SECS: u64 = 5;

/// Why the instance is not ready; each variant is one named check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    /// The database did not answer (in time).
    #[error("database: {0}")]
    Database(String),
    /// Migrations embedded in this binary are not applied yet.
    #[error("migrations: {0} pending")]
    MigrationsPending(usize),
}

impl NotReady {
    /// Name of the failed check: `database` or `migrations`.
    pub fn check(&self) -> &'static str {
        match self {
            NotReady::Database(_) => "database",
            NotReady::MigrationsPending(_) => "migrations",
        }
    }
}

/// Probes what the instance needs to serve. Blocking: called off the async executor.
pub trait ReadinessProbe: Send + Sync {
    /// `Ok` when the database answers within `within` and its migrations are current.
    fn check(&self, within: Duration) -> Result<(), NotReady>;
}
