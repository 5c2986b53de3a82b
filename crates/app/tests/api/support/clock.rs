//! A clock the tests move by hand.

use std::sync::Mutex;

use domain::clock::Clock;
use time::{Duration, OffsetDateTime};

/// Starts at a fixed instant; `set` and `advance` move it.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    /// A clock at `at`.
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            now: Mutex::new(at),
        }
    }

    /// Moves to `at`.
    pub fn set(&self, at: OffsetDateTime) {
        *self.now.lock().unwrap() = at;
    }

    /// Moves forward by `by`.
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock().unwrap()
    }
}
