//! The `Clock` port: every date and instant the domain uses comes from here.

use time::{Date, OffsetDateTime};

/// Source of the current instant and date (UTC), replaceable in tests.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// The current instant, UTC.
    fn now(&self) -> OffsetDateTime;

    /// Today's date, UTC.
    fn today(&self) -> Date {
        self.now().date()
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}
