//! Idempotent writes: a key's stored response commits in the same transaction as the effect.

use time::OffsetDateTime;

use crate::error::{Conflict, Error, Result, RuleViolation};
use crate::tx::{transaction, TransactionRunner, UnitOfWork};

/// The response of a write, kept to be replayed byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// HTTP status of the first response.
    pub status: u16,
    /// Body of the first response, exactly as sent.
    pub body: Vec<u8>,
}

/// A stored key with the fingerprint of the request that created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// Digest of the first request (method, path, canonical body).
    pub fingerprint: String,
    /// What was answered.
    pub response: StoredResponse,
}

/// The identity of one idempotent attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRequest {
    /// Whose key it is: an actor id, or `cin:<CIN>` for landing calls.
    pub scope: String,
    /// The client's `Idempotency-Key`.
    pub key: String,
    /// Digest of the request, to tell a replay from a reuse.
    pub fingerprint: String,
}

/// Whether the response was produced now or replayed from the first attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The effect happened now.
    Fresh(StoredResponse),
    /// The effect happened before; this is the first response again.
    Replayed(StoredResponse),
}

/// Storage of idempotency records.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait IdempotencyRepository {
    /// Takes a lock on (scope, key) held until the transaction ends. Returns `false` at once,
    /// without waiting, when another transaction holds it.
    fn try_lock(&mut self, scope: &str, key: &str) -> Result<bool>;
    /// The record stored for (scope, key), if any.
    fn find(&mut self, scope: &str, key: &str) -> Result<Option<IdempotencyRecord>>;
    /// Stores the record. `Error::Conflict(IdempotencyKeyInUse)` if it already exists.
    fn save(
        &mut self,
        scope: &str,
        key: &str,
        record: &IdempotencyRecord,
        at: OffsetDateTime,
    ) -> Result<()>;
}

/// Longest accepted `Idempotency-Key`.
pub const MAX_KEY_LEN: usize = 255;

/// Whether a client-sent key is acceptable: 1 to 255 visible ASCII characters.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Runs `work` once per (scope, key): the first call commits the effect and its encoded
/// response together; a later call with the same fingerprint replays that response; another
/// fingerprint is `IdempotencyKeyReused`; a call while the first is running is
/// `IdempotencyKeyInUse`. A failed `work` stores nothing, so the client may retry.
pub fn execute<T>(
    runner: &dyn TransactionRunner,
    request: &IdempotencyRequest,
    now: OffsetDateTime,
    mut work: impl FnMut(&mut dyn UnitOfWork) -> Result<T>,
    encode: impl Fn(&T) -> Result<StoredResponse>,
) -> Result<Outcome> {
    transaction(runner, |uow| {
        if !uow.idempotency().try_lock(&request.scope, &request.key)? {
            return Err(Error::Conflict(Conflict::IdempotencyKeyInUse));
        }
        if let Some(existing) = uow.idempotency().find(&request.scope, &request.key)? {
            if existing.fingerprint == request.fingerprint {
                return Ok(Outcome::Replayed(existing.response));
            }
            return Err(Error::Rule(RuleViolation::IdempotencyKeyReused));
        }
        let value = work(uow)?;
        let response = encode(&value)?;
        let record = IdempotencyRecord {
            fingerprint: request.fingerprint.clone(),
            response: response.clone(),
        };
        uow.idempotency()
            .save(&request.scope, &request.key, &record, now)?;
        Ok(Outcome::Fresh(response))
    })
}

/// Proof that (scope, key) is held; the lock is released when this is dropped (or when the
/// process holding it dies).
pub struct KeyLock {
    _held: Box<dyn Send>,
}

impl KeyLock {
    /// Wraps whatever keeps the lock alive (e.g. a dedicated database session).
    pub fn new(held: Box<dyn Send>) -> Self {
        Self { _held: held }
    }
}

impl std::fmt::Debug for KeyLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLock")
    }
}

/// Locks on (scope, key) that outlive one transaction, for idempotent writes made of several
/// transactions (billing runs). They exclude `IdempotencyRepository::try_lock` on the same
/// (scope, key) too, so no other request with that key runs meanwhile.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait KeyLocks: Send + Sync {
    /// Takes the lock on (scope, key) and keeps it until the returned guard is dropped.
    /// `Ok(None)` at once, without waiting, when someone else holds it; `Error::Unavailable`
    /// when no connection can be had.
    fn try_hold(&self, scope: &str, key: &str) -> Result<Option<KeyLock>>;
}
