//! `KeyLocks` on PostgreSQL: a session-level advisory lock held by a dedicated connection
//! (outside the pool) for as long as the guard lives. Closing the connection, or the death
//! of the process, releases it, so a crashed run never leaves its key locked.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::error::{Error, Result};
use domain::idempotency::{KeyLock, KeyLocks};

use crate::errors::storage;
use crate::rows::scalar::Locked;
use crate::store::PgStore;

/// Advisory locks on (scope, key) that span transactions.
#[derive(Clone)]
pub struct PgKeyLocks {
    url: String,
}

impl PgKeyLocks {
    /// Locks on the database `store` connects to.
    pub fn new(store: &PgStore) -> Self {
        Self {
            url: store.url().to_owned(),
        }
    }
}

impl KeyLocks for PgKeyLocks {
    fn try_hold(&self, scope: &str, key: &str) -> Result<Option<KeyLock>> {
        let mut conn =
            PgConnection::establish(&self.url).map_err(|e| Error::Unavailable(e.to_string()))?;
        // The same lock id as `IdempotencyRepository::try_lock`'s transaction-level lock, so
        // the two exclude each other.
        let row: Locked = diesel::sql_query(
            "SELECT pg_try_advisory_lock(hashtextextended($1 || '\u{1f}' || $2, 0)) AS locked",
        )
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key)
        .get_result(&mut conn)
        .map_err(storage)?;
        Ok(row.locked.then(|| KeyLock::new(Box::new(HeldKey(conn)))))
    }

    fn hold_billing_run(&self) -> Result<KeyLock> {
        let mut conn =
            PgConnection::establish(&self.url).map_err(|e| Error::Unavailable(e.to_string()))?;
        // Shared: runs do not exclude each other. Waits only while a sealer's check holds it
        // exclusively, for one statement.
        diesel::sql_query("SELECT pg_advisory_lock_shared(hashtextextended($1, 0))")
            .bind::<Text, _>(BILLING_RUN_LOCK)
            .execute(&mut conn)
            .map_err(storage)?;
        Ok(KeyLock::new(Box::new(HeldKey(conn))))
    }
}

/// The shared lock every billing run holds while it bills, and the archive's sealer tests
/// before each batch (decision 0325). Text without the key locks' separator, so it never
/// names an idempotency key.
pub(crate) const BILLING_RUN_LOCK: &str = "mtf:billing-run-in-progress";

/// The session holding a key. Dropping it unlocks before closing: the server ends a closed
/// session asynchronously, so without the explicit unlock a retry made right after the guard
/// is dropped could still find the key held and answer `idempotency_key_in_use`.
struct HeldKey(PgConnection);

impl Drop for HeldKey {
    fn drop(&mut self) {
        // Best effort: if the session is already gone, so is its lock.
        let _ = diesel::sql_query("SELECT pg_advisory_unlock_all()").execute(&mut self.0);
    }
}
