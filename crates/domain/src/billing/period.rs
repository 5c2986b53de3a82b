//! A billing period: one calendar month.

use std::fmt;

use time::{Date, Month};

/// A calendar month, `YYYY-MM` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    year: i32,
    month: Month,
}

impl Period {
    /// Parses `YYYY-MM` (years 2000 to 2999).
    pub fn parse(raw: &str) -> Result<Period, String> {
        let hint = || "must be a month as YYYY-MM, e.g. 2026-03".to_string();
        let (y, m) = raw.trim().split_once('-').ok_or_else(hint)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(hint());
        }
        let year: i32 = y.parse().map_err(|_| hint())?;
        let month_num: u8 = m.parse().map_err(|_| hint())?;
        let month = Month::try_from(month_num).map_err(|_| hint())?;
        if !(2000..=2999).contains(&year) {
            return Err(hint());
        }
        Ok(Period { year, month })
    }

    /// The month containing `date`.
    pub fn containing(date: Date) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Month.
    pub fn month(self) -> Month {
        self.month
    }

    /// Days in the month (28 to 31).
    pub fn days(self) -> u8 {
        self.month.length(self.year)
    }

    /// First day.
    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    /// Last day.
    pub fn last_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month, self.days()).unwrap_or(Date::MIN)
    }

    /// French label, e.g. `mars 2026`.
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let name = NAMES[usize::from(u8::from(self.month)) - 1];
        format!("{name} {}", self.year)
    }

    /// The following month.
    pub fn next(self) -> Period {
        match self.month {
            Month::December => Period {
                year: self.year + 1,
                month: Month::January,
            },
            m => Period {
                year: self.year,
                month: m.next(),
            },
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, u8::from(self.month))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_and_prints_year_month() {
        let p = Period::parse("2026-02").map(|p| p.to_string());
        assert_eq!(p, Ok("2026-02".into()));
        for bad in ["2026-13", "2026-2", "26-02", "2026/02", "", "2026-00"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn knows_month_lengths_including_leap_years() {
        let days = |s: &str| Period::parse(s).map(|p| p.days());
        assert_eq!(days("2026-01"), Ok(31));
        assert_eq!(days("2026-04"), Ok(30));
        assert_eq!(days("2026-02"), Ok(28));
        assert_eq!(days("2028-02"), Ok(29));
        assert_eq!(
            Period::parse("2026-12").map(|p| (p.first_day(), p.last_day(), p.next().to_string())),
            Ok((
                date!(2026 - 12 - 01),
                date!(2026 - 12 - 31),
                "2027-01".into()
            ))
        );
    }
}
