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

/// What a key holds for the calling transaction, as [`IdempotencyRepository::claim`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Another transaction holds the key's lock.
    InUse,
    /// The lock is taken and a record is stored for the key.
    Stored(IdempotencyRecord),
    /// The lock is taken and nothing is stored yet.
    Free,
}

/// Storage of idempotency records.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait IdempotencyRepository {
    /// [`Self::try_lock`] and, when taken, [`Self::find`] in one round trip (every idempotent
    /// write starts with both; decision 0340). The record is read in the same snapshot as the
    /// lock attempt: a first attempt committing in between is not seen, its work is then done
    /// again and its `save` fails with `IdempotencyKeyInUse`, so nothing happens twice.
    fn claim(&mut self, scope: &str, key: &str) -> Result<Claim>;
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
        match uow.idempotency().claim(&request.scope, &request.key)? {
            Claim::InUse => return Err(Error::Conflict(Conflict::IdempotencyKeyInUse)),
            Claim::Stored(existing) if existing.fingerprint == request.fingerprint => {
                return Ok(Outcome::Replayed(existing.response));
            }
            Claim::Stored(_) => return Err(Error::Rule(RuleViolation::IdempotencyKeyReused)),
            Claim::Free => {}
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
    /// Holds the shared "a billing run is in progress" lock until the guard is dropped; runs
    /// hold it together, and the archive's sealer starts no batch while anyone does
    /// (`ArchiveRepository::billing_run_in_progress`, decision 0325). Waits at most for a
    /// sealer's check of it (one statement); released with its session if the process dies.
    fn hold_billing_run(&self) -> Result<KeyLock>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{MockTransactions, MockUnitOfWork};
    use time::macros::datetime;

    fn request() -> IdempotencyRequest {
        IdempotencyRequest {
            scope: "act_1".into(),
            key: "k1".into(),
            fingerprint: "fp-1".into(),
        }
    }

    fn stored(fingerprint: &str) -> IdempotencyRecord {
        IdempotencyRecord {
            fingerprint: fingerprint.into(),
            response: StoredResponse {
                status: 201,
                body: b"first".to_vec(),
            },
        }
    }

    fn run(uow: MockUnitOfWork, work_runs: &mut usize) -> Result<Outcome> {
        let runner = MockTransactions::new(uow);
        execute(
            runner.as_ref(),
            &request(),
            datetime!(2026-03-20 10:00 UTC),
            |_| {
                *work_runs += 1;
                Ok(7)
            },
            |value: &i32| {
                Ok(StoredResponse {
                    status: 201,
                    body: value.to_string().into_bytes(),
                })
            },
        )
    }

    #[test]
    fn a_free_key_runs_the_work_and_saves_its_response() {
        let mut uow = MockUnitOfWork::default();
        uow.idempotency
            .expect_claim()
            .withf(|scope, key| scope == "act_1" && key == "k1")
            .times(1)
            .returning(|_, _| Ok(Claim::Free));
        uow.idempotency
            .expect_save()
            .withf(|_, _, record, _| record.fingerprint == "fp-1" && record.response.body == b"7")
            .times(1)
            .returning(|_, _, _, _| Ok(()));
        let mut runs = 0;
        let outcome = run(uow, &mut runs).expect("fresh");
        assert_eq!(runs, 1);
        assert!(matches!(outcome, Outcome::Fresh(r) if r.body == b"7"));
    }

    #[test]
    fn a_stored_key_with_the_same_fingerprint_replays_without_work() {
        let mut uow = MockUnitOfWork::default();
        uow.idempotency
            .expect_claim()
            .returning(|_, _| Ok(Claim::Stored(stored("fp-1"))));
        uow.idempotency.expect_save().never();
        let mut runs = 0;
        let outcome = run(uow, &mut runs).expect("replayed");
        assert_eq!(runs, 0);
        assert_eq!(outcome, Outcome::Replayed(stored("fp-1").response));
    }

    #[test]
    fn a_stored_key_with_another_fingerprint_is_reused() {
        let mut uow = MockUnitOfWork::default();
        uow.idempotency
            .expect_claim()
            .returning(|_, _| Ok(Claim::Stored(stored("fp-other"))));
        uow.idempotency.expect_save().never();
        let mut runs = 0;
        let error = run(uow, &mut runs).expect_err("reused");
        assert_eq!(runs, 0);
        assert!(matches!(
            error,
            Error::Rule(RuleViolation::IdempotencyKeyReused)
        ));
    }

    #[test]
    fn a_key_held_elsewhere_is_in_use_without_work() {
        let mut uow = MockUnitOfWork::default();
        uow.idempotency
            .expect_claim()
            .returning(|_, _| Ok(Claim::InUse));
        uow.idempotency.expect_save().never();
        let mut runs = 0;
        let error = run(uow, &mut runs).expect_err("in use");
        assert_eq!(runs, 0);
        assert!(matches!(
            error,
            Error::Conflict(Conflict::IdempotencyKeyInUse)
        ));
    }
}
