//! Calendar-date parsing for collections requests (`YYYY-MM-DD`).

use time::macros::format_description;
use time::Date;

use crate::business_dates::DateWindow;

/// Parses a `YYYY-MM-DD` date, with a message a person can act on.
pub(crate) fn parse_date(value: &str) -> Result<Date, String> {
    Date::parse(value.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("`{value}` is not a date; expected YYYY-MM-DD"))
}

/// A date no later than `today`, and inside the business-date window.
pub(crate) fn parse_past_date(value: &str, today: Date) -> Result<Date, String> {
    let date = parse_date(value)?;
    if date > today {
        Err(format!("must not be in the future (today is {today})"))
    } else {
        DateWindow::new(today, 0).check(date)
    }
}

/// The first day of `day`'s month and of the month after.
pub(crate) fn month_bounds(day: Date) -> (Date, Date) {
    let first = day.replace_day(1).unwrap_or(day);
    let next = first
        .checked_add(time::Duration::days(i64::from(
            first.month().length(first.year()),
        )))
        .unwrap_or(first);
    (first, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_parse_only_in_iso_form() {
        assert_eq!(parse_date("2026-03-10"), Ok(date!(2026 - 03 - 10)));
        assert!(parse_date("10/03/2026").is_err());
        assert!(parse_date("2026-02-30").is_err());
    }

    #[test]
    fn future_dates_are_refused() {
        let today = date!(2026 - 03 - 10);
        assert!(parse_past_date("2026-03-10", today).is_ok());
        assert!(parse_past_date("2026-03-11", today).is_err());
        assert!(parse_past_date("2000-01-01", today).is_ok());
        assert!(parse_past_date("1999-12-31", today).is_err());
        assert!(parse_past_date("0000-01-01", today).is_err());
    }

    #[test]
    fn month_bounds_cover_the_calendar_month() {
        assert_eq!(
            month_bounds(date!(2026 - 02 - 17)),
            (date!(2026 - 02 - 01), date!(2026 - 03 - 01))
        );
        assert_eq!(
            month_bounds(date!(2026 - 12 - 31)),
            (date!(2026 - 12 - 01), date!(2027 - 01 - 01))
        );
    }
}
