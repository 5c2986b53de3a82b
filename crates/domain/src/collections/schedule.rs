//! When the daily dunning run happens (P15, decision 0195): at a local time of day in
//! Morocco, whose offset changes during Ramadan (UTC+1 most of the year, UTC+0 during the
//! month), and again at start when the last completed run is more than a day old. Pure: the
//! instant comes from the `Clock` port and the offsets from the caller.

use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The IANA zone the schedule's time of day is read in.
pub const DUNNING_ZONE: &str = "Africa/Casablanca";

/// A completed run older than this is caught up at start.
pub const CATCH_UP_AFTER: Duration = Duration::days(1);

/// A local time of day (`HH:MM`, 24-hour), as `MTF_DUNNING_AT` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyAt(Time);

impl DailyAt {
    /// `02:00`, the default: before the offices open, after the night's payments are posted.
    pub const DEFAULT: DailyAt = DailyAt(time::macros::time!(02:00));

    /// Parses `HH:MM` (`00:00` to `23:59`).
    pub fn parse(text: &str) -> Result<DailyAt, String> {
        let invalid = || format!("`{text}` is not a time of day HH:MM (00:00 to 23:59)");
        let (hours, minutes) = text.trim().split_once(':').ok_or_else(invalid)?;
        if hours.len() != 2 || minutes.len() != 2 {
            return Err(invalid());
        }
        let hours: u8 = hours.parse().map_err(|_| invalid())?;
        let minutes: u8 = minutes.parse().map_err(|_| invalid())?;
        Time::from_hms(hours, minutes, 0)
            .map(DailyAt)
            .map_err(|_| invalid())
    }

    /// The time of day.
    pub fn time(self) -> Time {
        self.0
    }
}

/// The first instant strictly after `now` at which the local clock of the zone reads `at`.
/// `offset_at` gives the zone's UTC offset at an instant (fallible: it may read the tz
/// database). On the day the clocks move, a local time that happens twice is taken at its
/// first occurrence, and one the clocks jump over at the jump; either way the run happens
/// once that day.
pub fn next_run<E>(
    now: OffsetDateTime,
    at: DailyAt,
    mut offset_at: impl FnMut(OffsetDateTime) -> Result<UtcOffset, E>,
) -> Result<OffsetDateTime, E> {
    let local_today = now.to_offset(offset_at(now)?).date();
    let mut day = local_today;
    loop {
        let local = PrimitiveDateTime::new(day, at.time());
        // The offset a day earlier, then the one in force at that guess: a reading is valid
        // when the zone has that offset at the instant it gives. Two valid readings (the
        // clocks went back): the first. None (the clocks jumped over it): the jump.
        let before = offset_at(local.assume_utc() - Duration::days(1))?;
        let guess = local.assume_offset(before);
        let after = offset_at(guess)?;
        let mut candidate = None;
        for offset in [before, after] {
            let reading = local.assume_offset(offset);
            if offset_at(reading)? == offset {
                candidate = Some(candidate.map_or(reading, |c: OffsetDateTime| c.min(reading)));
            }
        }
        let candidate = candidate.unwrap_or(guess);
        if candidate > now {
            return Ok(candidate.to_offset(UtcOffset::UTC));
        }
        day = day.next_day().unwrap_or(day);
        if day == local_today {
            // Only at the end of the calendar: nothing later exists.
            return Ok(now);
        }
    }
}

/// Whether the run must be caught up now: never completed, or last completed more than a
/// day before `now`.
pub fn catch_up_due(last_completed: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    last_completed.is_none_or(|last| now - last > CATCH_UP_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset, time};

    /// Morocco in 2026 as the tz database has it: UTC+1, UTC+0 from 15 February 02:00 UTC
    /// (03:00 local becomes 02:00) to 22 March 02:00 UTC (02:00 local becomes 03:00).
    fn morocco(at: OffsetDateTime) -> Result<UtcOffset, ()> {
        let ramadan = datetime!(2026-02-15 02:00 UTC)..datetime!(2026-03-22 02:00 UTC);
        Ok(if ramadan.contains(&at) {
            offset!(UTC)
        } else {
            offset!(+1)
        })
    }

    fn next(now: OffsetDateTime, at: &str) -> OffsetDateTime {
        next_run(now, DailyAt::parse(at).unwrap(), morocco).unwrap()
    }

    #[test]
    fn two_in_the_morning_is_one_utc_most_of_the_year() {
        assert_eq!(
            next(datetime!(2026-01-10 12:00 UTC), "02:00"),
            datetime!(2026-01-11 01:00 UTC)
        );
        // Before today's run: today.
        assert_eq!(
            next(datetime!(2026-01-10 00:30 UTC), "02:00"),
            datetime!(2026-01-10 01:00 UTC)
        );
    }

    #[test]
    fn during_ramadan_two_in_the_morning_is_two_utc() {
        assert_eq!(
            next(datetime!(2026-03-01 12:00 UTC), "02:00"),
            datetime!(2026-03-02 02:00 UTC)
        );
    }

    #[test]
    fn the_run_is_not_repeated_the_moment_it_is_due() {
        let due = datetime!(2026-01-11 01:00 UTC);
        assert_eq!(next(due, "02:00"), datetime!(2026-01-12 01:00 UTC));
        assert_eq!(
            next(due + Duration::seconds(5), "02:00"),
            datetime!(2026-01-12 01:00 UTC)
        );
    }

    #[test]
    fn the_days_the_clocks_move_have_exactly_one_run() {
        // 15 February: 02:00 local happens at 01:00 UTC (+1), the clocks go back at 02:00 UTC.
        let mut runs = Vec::new();
        let mut now = datetime!(2026-02-14 12:00 UTC);
        while now < datetime!(2026-02-17 00:00 UTC) {
            now = next(now, "02:00");
            runs.push(now);
        }
        assert_eq!(
            runs,
            [
                datetime!(2026-02-15 01:00 UTC),
                datetime!(2026-02-16 02:00 UTC),
                datetime!(2026-02-17 02:00 UTC),
            ]
        );
        // 22 March: 02:00 local does not exist (02:00 becomes 03:00); one run, at 02:00 UTC.
        let mut runs = Vec::new();
        let mut now = datetime!(2026-03-21 12:00 UTC);
        while now < datetime!(2026-03-24 00:00 UTC) {
            now = next(now, "02:00");
            runs.push(now);
        }
        assert_eq!(
            runs,
            [
                datetime!(2026-03-22 02:00 UTC),
                datetime!(2026-03-23 01:00 UTC),
                datetime!(2026-03-24 01:00 UTC),
            ]
        );
    }

    #[test]
    fn a_time_after_the_change_on_that_day_uses_the_new_offset() {
        // 03:30 local on 15 February, after the clocks went back at 03:00 (+1) to 02:00 (+0).
        assert_eq!(
            next(datetime!(2026-02-14 12:00 UTC), "03:30"),
            datetime!(2026-02-15 03:30 UTC)
        );
    }

    #[test]
    fn a_late_evening_time_is_read_on_the_local_date() {
        // 23:30 local on 10 January is 22:30 UTC; at 23:00 UTC it is already 11 January there.
        assert_eq!(
            next(datetime!(2026-01-10 23:00 UTC), "23:30"),
            datetime!(2026-01-11 22:30 UTC)
        );
    }

    #[test]
    fn an_offset_lookup_failure_is_returned() {
        let failing = |_: OffsetDateTime| -> Result<UtcOffset, &str> { Err("no tz data") };
        assert_eq!(
            next_run(datetime!(2026-01-10 12:00 UTC), DailyAt::DEFAULT, failing),
            Err("no tz data")
        );
    }

    #[test]
    fn times_of_day_are_hh_mm() {
        assert_eq!(DailyAt::parse("02:00"), Ok(DailyAt::DEFAULT));
        assert_eq!(
            DailyAt::parse(" 23:59 ").map(DailyAt::time),
            Ok(time!(23:59))
        );
        for bad in ["2:00", "24:00", "02:60", "0200", "02:00:00", "", "ab:cd"] {
            assert!(DailyAt::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_run_older_than_a_day_or_none_is_caught_up() {
        let now = datetime!(2026-03-10 09:00 UTC);
        assert!(catch_up_due(None, now));
        assert!(catch_up_due(Some(now - Duration::hours(25)), now));
        assert!(!catch_up_due(Some(now - Duration::hours(23)), now));
        assert!(!catch_up_due(Some(now - Duration::days(1)), now));
    }
}
