//! French formatting of amounts (`1 234,56 MAD`), tax rates (`20 %`), dates and periods.

use time::{Date, Month};

/// `123456` centimes → `1 234,56` (plain spaces group thousands, so text extracts cleanly).
pub(crate) fn amount(centimes: i64) -> String {
    let sign = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3);
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02}", abs % 100)
}

/// `123456`, `MAD` → `1 234,56 MAD`.
pub(crate) fn money(centimes: i64, currency: &str) -> String {
    format!("{} {currency}", amount(centimes))
}

/// Basis points → `20 %`, `5,5 %`, `0 %`.
pub(crate) fn rate(basis_points: i32) -> String {
    let sign = if basis_points < 0 { "-" } else { "" };
    let abs = basis_points.unsigned_abs();
    let whole = abs / 100;
    let fraction = abs % 100;
    if fraction == 0 {
        format!("{sign}{whole} %")
    } else if fraction.is_multiple_of(10) {
        format!("{sign}{whole},{} %", fraction / 10)
    } else {
        format!("{sign}{whole},{fraction:02} %")
    }
}

/// `jj/mm/aaaa`.
pub(crate) fn date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// `2026-02` → `février 2026`; anything else is shown as given.
pub(crate) fn period(period: &str) -> String {
    let parsed = period.split_once('-').and_then(|(year, month)| {
        let year: i32 = year.parse().ok()?;
        let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
        Some((year, month))
    });
    match parsed {
        Some((year, month)) => format!("{} {year}", month_name(month)),
        None => period.to_owned(),
    }
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "janvier",
        Month::February => "février",
        Month::March => "mars",
        Month::April => "avril",
        Month::May => "mai",
        Month::June => "juin",
        Month::July => "juillet",
        Month::August => "août",
        Month::September => "septembre",
        Month::October => "octobre",
        Month::November => "novembre",
        Month::December => "décembre",
    }
}

/// `mobile` → `Mobile`, `internet` → `Internet`, `landline` → `Téléphonie fixe`.
pub(crate) fn service_type(service_type: &str) -> String {
    match service_type {
        "mobile" => "Mobile".to_owned(),
        "internet" => "Internet".to_owned(),
        "landline" => "Téléphonie fixe".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn amounts_group_thousands_with_spaces_and_use_a_decimal_comma() {
        assert_eq!(amount(0), "0,00");
        assert_eq!(amount(5), "0,05");
        assert_eq!(amount(99_900), "999,00");
        assert_eq!(amount(123_456), "1 234,56");
        assert_eq!(amount(123_456_789), "1 234 567,89");
        assert_eq!(amount(100_000_000), "1 000 000,00");
    }

    #[test]
    fn negative_amounts_keep_their_sign_in_front() {
        assert_eq!(amount(-123_456), "-1 234,56");
        assert_eq!(amount(-5), "-0,05");
        assert_eq!(amount(i64::MIN), "-92 233 720 368 547 758,08");
    }

    #[test]
    fn money_appends_the_currency() {
        assert_eq!(money(123_456, "MAD"), "1 234,56 MAD");
    }

    #[test]
    fn rates_print_as_french_percentages() {
        assert_eq!(rate(2000), "20 %");
        assert_eq!(rate(1000), "10 %");
        assert_eq!(rate(550), "5,5 %");
        assert_eq!(rate(1025), "10,25 %");
        assert_eq!(rate(0), "0 %");
    }

    #[test]
    fn dates_print_day_first() {
        assert_eq!(super::date(date!(2026 - 01 - 05)), "05/01/2026");
        assert_eq!(super::date(date!(2026 - 12 - 31)), "31/12/2026");
    }

    #[test]
    fn periods_print_as_french_month_and_year() {
        assert_eq!(period("2026-02"), "février 2026");
        assert_eq!(period("2026-08"), "août 2026");
        assert_eq!(period("2026-13"), "2026-13");
        assert_eq!(period("garbage"), "garbage");
    }

    #[test]
    fn service_types_print_in_french() {
        assert_eq!(service_type("landline"), "Téléphonie fixe");
        assert_eq!(service_type("mobile"), "Mobile");
    }
}
