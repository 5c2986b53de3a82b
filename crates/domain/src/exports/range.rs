//! The date range of a journal export: both ends given, in order, and at most a year long.

use time::Date;

use crate::error::FieldError;

/// Longest range one export covers, in days counted inclusively (a leap year).
pub const MAX_RANGE_DAYS: i64 = 366;

/// Days `from` to `to`, both included; `from <= to` and at most [`MAX_RANGE_DAYS`] days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    from: Date,
    to: Date,
}

impl DateRange {
    /// The range between two parsed ends; the field errors name `from` or `to`.
    pub fn new(from: Date, to: Date) -> Result<DateRange, Vec<FieldError>> {
        if to < from {
            return Err(vec![FieldError::new("to", "must be on or after `from`")]);
        }
        let days = (to - from).whole_days() + 1;
        if days > MAX_RANGE_DAYS {
            return Err(vec![FieldError::new(
                "to",
                format!("the range covers {days} days; at most {MAX_RANGE_DAYS} are read at once"),
            )]);
        }
        Ok(DateRange { from, to })
    }

    /// First day, included.
    pub fn from(self) -> Date {
        self.from
    }

    /// Last day, included.
    pub fn to(self) -> Date {
        self.to
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_leap_year_is_the_longest_range() {
        assert!(DateRange::new(date!(2028 - 01 - 01), date!(2028 - 12 - 31)).is_ok());
        let too_long = DateRange::new(date!(2026 - 01 - 01), date!(2027 - 01 - 02)).unwrap_err();
        assert_eq!(too_long[0].field, "to");
    }

    #[test]
    fn one_day_is_a_range_and_a_reversed_one_is_not() {
        let day = date!(2026 - 03 - 31);
        assert_eq!(DateRange::new(day, day).unwrap().to(), day);
        assert_eq!(
            DateRange::new(day, date!(2026 - 03 - 30)).unwrap_err()[0].field,
            "to"
        );
    }
}
