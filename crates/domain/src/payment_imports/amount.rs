//! Decimal MAD amounts of a bank file (`1234,56`, `1234.56`, `1 234,56`), read exactly into
//! centimes: digits are counted, never passed through a float.

use crate::money::Money;

/// Most digits before the decimal separator: 100,000,000 MAD is [`Money::MAX_INPUT`].
const MAX_WHOLE_DIGITS: usize = 9;

/// The amount in centimes. One decimal separator (`,` or `.`) with one or two digits after
/// it; spaces (also no-break and narrow no-break) may group thousands; nothing else.
pub fn parse_mad(raw: &str) -> Result<Money, String> {
    let compact: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if compact.is_empty() {
        return Err("is required, e.g. 1234,56".into());
    }
    if compact.starts_with('-') {
        return Err("must be greater than zero".into());
    }
    let separators = compact.chars().filter(|c| matches!(c, ',' | '.')).count();
    if separators > 1 {
        return Err(
            "must have one decimal separator (`,` or `.`) and no other; group thousands with \
             spaces only"
                .into(),
        );
    }
    let (whole, fraction) = match compact.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, fraction),
        None => (compact.as_str(), ""),
    };
    let digits_only = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err("must be a decimal amount in MAD, e.g. 1234,56 or 1234.56".into());
    }
    if compact.len() > whole.len() && fraction.is_empty() {
        return Err("must have digits after the decimal separator".into());
    }
    if fraction.len() > 2 {
        return Err("must have at most two decimals (centimes)".into());
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > MAX_WHOLE_DIGITS {
        return Err(format!("must be at most {} MAD", Money::MAX_INPUT));
    }
    let dirhams: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "is not a number".to_owned())?
    };
    let centimes: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| "is not a number".to_owned())?;
    let total = dirhams
        .checked_mul(100)
        .and_then(|d| d.checked_add(centimes))
        .ok_or_else(|| format!("must be at most {} MAD", Money::MAX_INPUT))?;
    Money::positive(total).map_err(|_| {
        if total == 0 {
            "must be greater than zero".to_owned()
        } else {
            format!("must be at most {} MAD", Money::MAX_INPUT)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centimes(raw: &str) -> i64 {
        parse_mad(raw).map(Money::centimes).unwrap_or(-1)
    }

    #[test]
    fn comma_and_point_decimals_read_to_the_exact_centime() {
        assert_eq!(centimes("1234,56"), 123_456);
        assert_eq!(centimes("1234.56"), 123_456);
        assert_eq!(centimes("1234,5"), 123_450);
        assert_eq!(centimes("1234"), 123_400);
        assert_eq!(centimes("0,01"), 1);
        assert_eq!(centimes(" 1 234,56 "), 123_456);
        assert_eq!(centimes("1\u{a0}234.56"), 123_456);
        // A float would read 0.29 as 28.999… centimes.
        assert_eq!(centimes("0.29"), 29);
        assert_eq!(centimes("100000000,00"), 10_000_000_000);
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        for bad in [
            "",
            "abc",
            "12,345.67",
            "1.234,56",
            "12,345",
            "1,",
            ",5",
            "-10",
            "0",
            "0,00",
            "1e3",
            "100000000,01",
            "99999999999999999999",
            "12 MAD",
        ] {
            assert!(parse_mad(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(
            parse_mad("12,345"),
            Err("must have at most two decimals (centimes)".into())
        );
    }
}
