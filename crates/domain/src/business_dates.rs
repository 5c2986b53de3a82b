//! The window every business date must fall in: from 2000-01-01 to today plus a margin.

use time::macros::date;
use time::{Date, Duration};

/// No record of the operator predates this day: earlier dates are typing mistakes.
pub const EARLIEST: Date = date!(2000 - 01 - 01);

/// Default of `Settings::max_future_days`: a year and a day, so that a contract or plan change
/// can be scheduled for the same day next year, leap years included.
pub const DEFAULT_MAX_FUTURE_DAYS: i64 = 366;

/// The dates a request may name for a business event (payment, contract start, status or
/// offer change, invoice issue), seen from `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    latest: Date,
}

impl DateWindow {
    /// From [`EARLIEST`] to `today + max_future_days` (a negative margin counts as 0; a
    /// margin beyond a thousand years as that).
    pub fn new(today: Date, max_future_days: i64) -> DateWindow {
        let margin = Duration::days(max_future_days.clamp(0, 366_000));
        let latest = today.checked_add(margin).unwrap_or(Date::MAX);
        DateWindow { latest }
    }

    /// The last accepted day.
    pub fn latest(self) -> Date {
        self.latest
    }

    /// `date` when it lies in the window, else a message naming the bound it crosses.
    pub fn check(self, date: Date) -> Result<Date, String> {
        if date < EARLIEST {
            Err(format!("must be {EARLIEST} or later"))
        } else if date > self.latest {
            Err(format!("must be {} or earlier", self.latest))
        } else {
            Ok(date)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_runs_from_2000_to_today_plus_the_margin() {
        let window = DateWindow::new(date!(2026 - 03 - 10), 366);
        assert_eq!(window.latest(), date!(2027 - 03 - 11));
        assert!(window.check(date!(2000 - 01 - 01)).is_ok());
        assert!(window.check(date!(2027 - 03 - 11)).is_ok());
        assert_eq!(
            window.check(date!(1999 - 12 - 31)),
            Err("must be 2000-01-01 or later".into())
        );
        assert_eq!(
            window.check(date!(2027 - 03 - 12)),
            Err("must be 2027-03-11 or earlier".into())
        );
        assert!(window.check(Date::MIN).is_err());
        assert!(window.check(date!(9999 - 12 - 31)).is_err());
    }

    #[test]
    fn extreme_margins_never_panic() {
        let today = date!(2026 - 03 - 10);
        assert_eq!(DateWindow::new(today, -5).latest(), today);
        assert!(DateWindow::new(today, i64::MAX).latest() > date!(3000 - 01 - 01));
        assert_eq!(DateWindow::new(Date::MAX, 1).latest(), Date::MAX);
    }
}
