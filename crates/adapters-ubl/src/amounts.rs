//! Numbers as UBL states them: amounts in the currency's unit with two decimals, rates as
//! percentages, and the quantity a line bills (days or a whole month).

use domain::documents::{InvoiceDocumentLine, TaxSubtotal};
use domain::usage::UsageKind;

/// Centimes as a decimal amount: `12345` → `123.45`, `-5` → `-0.05`.
pub(crate) fn amount(centimes: i64) -> String {
    let sign = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Basis points as a percentage: `2000` → `20.00`, `550` → `5.50`.
pub(crate) fn percent(rate_bp: i32) -> String {
    amount(i64::from(rate_bp))
}

/// The UN/ECE 5305 tax category of a TVA rate: standard (`S`) or zero-rated (`Z`).
pub(crate) fn tax_category(rate_bp: i32) -> &'static str {
    if rate_bp == 0 {
        "Z"
    } else {
        "S"
    }
}

/// The TVA of all rates together, centimes.
pub(crate) fn total_tax(subtotals: &[TaxSubtotal]) -> i64 {
    subtotals
        .iter()
        .fold(0_i64, |sum, subtotal| sum.saturating_add(subtotal.tax))
}

/// What a line bills, as quantity × price ÷ base quantity (UN/ECE rec. 20 unit codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineQuantity {
    /// Days or months billed.
    pub(crate) quantity: i64,
    /// `DAY` or `MON`.
    pub(crate) unit: &'static str,
    /// The quantity the monthly price is for: 1 month, or the days of the line's month.
    pub(crate) base_quantity: i64,
}

/// A line covering a whole calendar month bills 1 `MON` at the monthly price; any other
/// line bills its days, at the monthly price per days of its month (the engine's
/// `monthly_price × days / days_in_month`, so price and quantity explain the amount).
pub(crate) fn line_quantity(line: &InvoiceDocumentLine) -> LineQuantity {
    // A usage line bills its charged units, each at its unit price: MIN (minute), C62
    // (one, an SMS) or 4L (megabyte).
    if let Some(usage) = line.usage {
        return LineQuantity {
            quantity: usage.quantity,
            unit: match usage.kind {
                UsageKind::Voice => "MIN",
                UsageKind::Sms => "C62",
                UsageKind::Data => "4L",
            },
            base_quantity: 1,
        };
    }
    let month_days = i64::from(line.start_date.month().length(line.start_date.year()));
    let whole_month = line.start_date.day() == 1
        && line.end_date.month() == line.start_date.month()
        && line.end_date.year() == line.start_date.year()
        && i64::from(line.end_date.day()) == month_days
        && i64::from(line.days) == month_days;
    if whole_month {
        LineQuantity {
            quantity: 1,
            unit: "MON",
            base_quantity: 1,
        }
    } else {
        LineQuantity {
            quantity: i64::from(line.days),
            unit: "DAY",
            base_quantity: month_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn line(start: time::Date, end: time::Date, days: i32) -> InvoiceDocumentLine {
        InvoiceDocumentLine {
            description: "x".into(),
            start_date: start,
            end_date: end,
            days,
            monthly_price: 9_900,
            amount_excl_tax: 0,
            tax_rate_bp: 2000,
            tax_amount: 0,
            amount_incl_tax: 0,
            usage: None,
        }
    }

    #[test]
    fn amounts_have_two_decimals_and_a_sign() {
        assert_eq!(amount(0), "0.00");
        assert_eq!(amount(5), "0.05");
        assert_eq!(amount(123_456), "1234.56");
        assert_eq!(amount(-1_205), "-12.05");
        assert_eq!(amount(i64::MIN), "-92233720368547758.08");
        assert_eq!(percent(2000), "20.00");
        assert_eq!(percent(550), "5.50");
    }

    #[test]
    fn a_whole_month_is_one_month_and_anything_else_days_of_its_month() {
        let february = line(date!(2026 - 02 - 01), date!(2026 - 02 - 28), 28);
        assert_eq!(
            line_quantity(&february),
            LineQuantity {
                quantity: 1,
                unit: "MON",
                base_quantity: 1
            }
        );
        let leap = line(date!(2028 - 02 - 01), date!(2028 - 02 - 28), 28);
        assert_eq!(
            line_quantity(&leap),
            LineQuantity {
                quantity: 28,
                unit: "DAY",
                base_quantity: 29
            }
        );
        let half = line(date!(2026 - 01 - 15), date!(2026 - 01 - 31), 17);
        assert_eq!(line_quantity(&half).unit, "DAY");
        assert_eq!(line_quantity(&half).quantity, 17);
        assert_eq!(line_quantity(&half).base_quantity, 31);
    }

    #[test]
    fn the_category_of_a_zero_rate_is_zero_rated() {
        assert_eq!(tax_category(0), "Z");
        assert_eq!(tax_category(1000), "S");
    }
}
