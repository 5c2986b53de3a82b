//! The connection pool and the transaction runner: one use case, one PostgreSQL transaction.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::Connection;
use domain::error::{Error, Result};
use domain::tx::{TransactionRunner, UnitOfWork};

use crate::tx::PgTx;

/// r2d2 pool of diesel connections.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// PostgreSQL storage behind every repository port.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Kept for the dedicated sessions of `PgKeyLocks` (never logged: it may hold a password).
    url: String,
}

impl PgStore {
    /// Opens a pool of at most `max_size` connections to `url` (a URL or a libpq key/value
    /// string). Fails with `Error::Unavailable` when the first connection cannot be made.
    pub fn connect(url: &str, max_size: u32) -> Result<PgStore> {
        let manager = ConnectionManager::<PgConnection>::new(url);
        let pool = Pool::builder()
            .max_size(max_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(5))
            .test_on_check_out(false)
            .connection_customizer(Box::new(SessionSettings))
            .build(manager)
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        Ok(PgStore {
            pool,
            url: url.to_owned(),
        })
    }

    /// The connection string, for sessions outside the pool.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The underlying pool, for bulk jobs that manage their own transactions.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Settings of every pooled session.
///
/// JIT compilation is off: every statement here is short (an index probe, a batch of a few
/// thousand rows), and PostgreSQL's cost threshold for JIT is met by plans whose estimates are
/// merely pessimistic — the billing claim query compiled for 9 ms to run for 4 (decision 0094).
#[derive(Debug)]
struct SessionSettings;

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> std::result::Result<(), diesel::r2d2::Error> {
        conn.batch_execute("SET jit = off")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Carries a domain error out of diesel's transaction closure.
enum TxError {
    Domain(Error),
    Diesel(diesel::result::Error),
}

impl From<diesel::result::Error> for TxError {
    fn from(value: diesel::result::Error) -> Self {
        TxError::Diesel(value)
    }
}

impl TransactionRunner for PgStore {
    fn run(&self, work: &mut dyn FnMut(&mut dyn UnitOfWork) -> Result<()>) -> Result<()> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        let outcome = conn.transaction::<(), TxError, _>(|conn| {
            let mut tx = PgTx::new(conn);
            work(&mut tx).map_err(TxError::Domain)
        });
        match outcome {
            Ok(()) => Ok(()),
            Err(TxError::Domain(error)) => Err(error),
            Err(TxError::Diesel(error)) => Err(crate::errors::storage(error)),
        }
    }

    fn read(&self, work: &mut dyn FnMut(&mut dyn UnitOfWork) -> Result<()>) -> Result<()> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        let mut tx = PgTx::new(&mut conn);
        work(&mut tx)
    }
}
