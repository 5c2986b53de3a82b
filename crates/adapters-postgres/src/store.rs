//! The connection pool and the transaction runner: one use case, one PostgreSQL transaction.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{
    event::{CheckoutEvent, TimeoutEvent},
    ConnectionManager, CustomizeConnection, HandleEvent, ManageConnection, Pool, PooledConnection,
};
use diesel::Connection;
use domain::error::{Error, Result};
use domain::events::EventEncoder;
use domain::tx::{TransactionRunner, UnitOfWork};

use crate::tx::{PgTx, UnwiredEncoder};

/// r2d2 pool of diesel connections.
pub type PgPool = Pool<PgManager>;

/// How long after a sign of an outage every checkout is tested.
const SUSPECT_FOR: Duration = Duration::from_secs(30);

/// Longest wait for a pooled connection before a use case fails with `Unavailable`.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// Histogram (seconds): wait for a pooled connection.
pub const POOL_WAIT: &str = "mtf_db_pool_wait_seconds";
/// Counter: checkouts that gave up after [`CHECKOUT_TIMEOUT`].
pub const POOL_TIMEOUTS: &str = "mtf_db_pool_timeouts_total";
/// Gauge: pooled connections in use (sampled by the metrics endpoint, see [`PgStore::pool`]).
pub const POOL_IN_USE: &str = "mtf_db_pool_connections_in_use";
/// Gauge: pooled connections idle.
pub const POOL_IDLE: &str = "mtf_db_pool_connections_idle";
/// Gauge: largest number of pooled connections.
pub const POOL_MAX: &str = "mtf_db_pool_connections_max";

/// When the database was last seen failing: until a while after, pooled connections are
/// tested before use, since a restart may have broken them.
#[derive(Debug)]
struct Suspicion {
    epoch: Instant,
    /// Milliseconds after `epoch` until which connections are suspect.
    until_ms: AtomicU64,
}

impl Suspicion {
    fn new() -> Self {
        Suspicion {
            epoch: Instant::now(),
            until_ms: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn raise(&self) {
        let until = self
            .now_ms()
            .saturating_add(u64::try_from(SUSPECT_FOR.as_millis()).unwrap_or(u64::MAX));
        self.until_ms.fetch_max(until, Ordering::Relaxed);
    }

    fn active(&self) -> bool {
        self.now_ms() < self.until_ms.load(Ordering::Relaxed)
    }
}

/// diesel's connection manager, testing connections on checkout only while the database is
/// suspect (decision 0162): a `SELECT 1` per checkout would cost every request a round trip
/// while the database is healthy.
#[derive(Debug)]
pub struct PgManager {
    inner: ConnectionManager<PgConnection>,
    suspicion: Arc<Suspicion>,
}

impl ManageConnection for PgManager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> std::result::Result<PgConnection, Self::Error> {
        self.inner.connect().inspect_err(|_| self.suspicion.raise())
    }

    fn is_valid(&self, conn: &mut PgConnection) -> std::result::Result<(), Self::Error> {
        if self.suspicion.active() {
            self.inner.is_valid(conn)
        } else {
            Ok(())
        }
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        self.inner.has_broken(conn)
    }
}

/// PostgreSQL storage behind every repository port.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    suspicion: Arc<Suspicion>,
    /// Kept for the dedicated sessions of `PgKeyLocks` (never logged: it may hold a password).
    url: String,
    /// Encodes the payloads of the events use cases write (decision 0261).
    encoder: Arc<dyn EventEncoder>,
}

impl PgStore {
    /// Opens a pool of at most `max_size` connections to `url` (a URL or a libpq key/value
    /// string). Fails with `Error::Unavailable` when the first connection cannot be made.
    pub fn connect(url: &str, max_size: u32) -> Result<PgStore> {
        let suspicion = Arc::new(Suspicion::new());
        let pool = Self::builder(max_size)
            .build(Self::manager(url, &suspicion))
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        Ok(PgStore {
            pool,
            suspicion,
            url: url.to_owned(),
            encoder: Arc::new(UnwiredEncoder),
        })
    }

    /// The same pool without a first connection: it connects when asked, so a store over a
    /// server that is down can be made (every use case then fails with `Unavailable`).
    pub fn connect_lazily(url: &str, max_size: u32) -> PgStore {
        let suspicion = Arc::new(Suspicion::new());
        PgStore {
            pool: Self::builder(max_size).build_unchecked(Self::manager(url, &suspicion)),
            suspicion,
            url: url.to_owned(),
            encoder: Arc::new(UnwiredEncoder),
        }
    }

    /// The same store, encoding event payloads with `encoder` (the HTTP adapter's, which
    /// knows the API's shapes). Without one, writing an event fails.
    pub fn with_event_encoder(mut self, encoder: Arc<dyn EventEncoder>) -> PgStore {
        self.encoder = encoder;
        self
    }

    fn manager(url: &str, suspicion: &Arc<Suspicion>) -> PgManager {
        PgManager {
            inner: ConnectionManager::new(url),
            suspicion: suspicion.clone(),
        }
    }

    /// Notes a failure that may come from a lost connection: checkouts are tested for a while.
    fn watch<T>(&self, result: Result<T>) -> Result<T> {
        if let Err(Error::Unavailable(_)) = &result {
            self.suspicion.raise();
        }
        result
    }

    /// Pool settings that ride out a database restart (decision 0162): a checkout waits at
    /// most [`CHECKOUT_TIMEOUT`] and then fails with `Unavailable` (503); once a failure was
    /// seen, connections are tested before use, so the ones a restart broke are replaced
    /// instead of failing a request each. r2d2 retries a failed connection at most every
    /// half time-out, so the pool serves again within about a second of the server's return.
    fn builder(max_size: u32) -> diesel::r2d2::Builder<PgManager> {
        Pool::builder()
            .max_size(max_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .test_on_check_out(true)
            .connection_customizer(Box::new(SessionSettings))
            .event_handler(Box::new(PoolMetrics))
    }

    /// A pooled connection that answered `SELECT 1`, awaited at most `within`; for health
    /// checks. A failure makes the following checkouts test their connection, so a connection
    /// a restart broke is not handed out again.
    pub fn answering_connection(&self, within: Duration) -> Result<PooledConnection<PgManager>> {
        let mut conn = self.watch(
            self.pool
                .get_timeout(within)
                .map_err(|e| Error::Unavailable(e.to_string())),
        )?;
        self.watch(
            conn.batch_execute("SELECT 1")
                .map_err(|e| Error::Unavailable(e.to_string())),
        )?;
        Ok(conn)
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
///
/// Temporary buffers are 32 MB, up from 8: usage ingestion stages up to 100,000 records
/// (about 12 MB) in a temporary table, which spilled to disk at 8 MB (decision 0383). They
/// are allocated only as a session uses temporary tables, and can be set only before it does,
/// hence here.
#[derive(Debug)]
struct SessionSettings;

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> std::result::Result<(), diesel::r2d2::Error> {
        conn.batch_execute("SET jit = off; SET temp_buffers = '32MB'")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Records the wait of every checkout and the time-outs.
#[derive(Debug)]
struct PoolMetrics;

impl HandleEvent for PoolMetrics {
    fn handle_checkout(&self, event: CheckoutEvent) {
        metrics::histogram!(POOL_WAIT).record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, event: TimeoutEvent) {
        metrics::histogram!(POOL_WAIT).record(event.timeout().as_secs_f64());
        metrics::counter!(POOL_TIMEOUTS).increment(1);
    }
}

impl PgStore {
    /// Sets the pool gauges from the pool's state; called when metrics are scraped.
    pub fn record_pool_state(&self) {
        let state = self.pool.state();
        let idle = state.idle_connections;
        metrics::gauge!(POOL_IN_USE).set(f64::from(state.connections.saturating_sub(idle)));
        metrics::gauge!(POOL_IDLE).set(f64::from(idle));
        metrics::gauge!(POOL_MAX).set(f64::from(self.pool.max_size()));
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
        let mut conn = self.watch(
            self.pool
                .get()
                .map_err(|e| Error::Unavailable(e.to_string())),
        )?;
        let outcome = conn.transaction::<(), TxError, _>(|conn| {
            let mut tx = PgTx::with_encoder(conn, self.encoder.as_ref());
            work(&mut tx).map_err(TxError::Domain)
        });
        self.watch(match outcome {
            Ok(()) => Ok(()),
            Err(TxError::Domain(error)) => Err(error),
            Err(TxError::Diesel(error)) => Err(crate::errors::storage(error)),
        })
    }

    fn read(&self, work: &mut dyn FnMut(&mut dyn UnitOfWork) -> Result<()>) -> Result<()> {
        let mut conn = self.watch(
            self.pool
                .get()
                .map_err(|e| Error::Unavailable(e.to_string())),
        )?;
        let mut tx = PgTx::with_encoder(&mut conn, self.encoder.as_ref());
        self.watch(work(&mut tx))
    }
}
