//! Fixed-window rate limits shared by every server instance through storage.

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::tx::{transaction, TransactionRunner};

/// Counters of requests per bucket and window.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait RateLimitRepository {
    /// Adds one hit to `bucket` in the window starting at `window_start` and returns the
    /// count including this hit.
    fn hit(&mut self, bucket: &str, window_start: OffsetDateTime) -> Result<i64>;
}

/// A limit of `max` hits per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Hits allowed per window.
    pub max: i64,
    /// Window length in seconds.
    pub window_secs: i64,
}

/// Counts a hit and fails with `Error::RateLimited` once the window's limit is passed.
pub fn check(
    runner: &dyn TransactionRunner,
    bucket: &str,
    limit: Limit,
    now: OffsetDateTime,
) -> Result<()> {
    let window = limit.window_secs.max(1);
    let start_ts = now.unix_timestamp() - now.unix_timestamp().rem_euclid(window);
    let window_start = OffsetDateTime::from_unix_timestamp(start_ts)
        .map_err(|e| Error::Storage(format!("rate-limit window: {e}")))?;
    let count = transaction(runner, |uow| uow.rate_limits().hit(bucket, window_start))?;
    if count > limit.max {
        let retry = (start_ts + window - now.unix_timestamp()).max(1);
        return Err(Error::RateLimited {
            retry_after_secs: u64::try_from(retry).unwrap_or(1),
        });
    }
    Ok(())
}
