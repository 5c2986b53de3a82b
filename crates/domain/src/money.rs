//! Money in integer minor units (centimes) and the arithmetic billing needs.

use std::fmt;

/// The only currency the operator bills in.
pub const CURRENCY: &str = "MAD";

/// Morocco's standard TVA rate in basis points (20 %).
pub const DEFAULT_TAX_RATE_BP: i32 = 2000;

/// A non-negative amount in centimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Zero centimes.
    pub const ZERO: Money = Money(0);

    /// The largest amount any request may carry: 100,000,000.00 MAD. Far above any real
    /// telecom bill or payment, and low enough that sums of millions of such amounts stay
    /// within `i64` (stored as `bigint`).
    pub const MAX_INPUT: Money = Money(10_000_000_000);

    /// Accepts any amount from 0 to [`Money::MAX_INPUT`].
    pub fn new(centimes: i64) -> Result<Money, String> {
        if centimes < 0 {
            Err("must be zero or more (centimes)".into())
        } else {
            Money::at_most_max(centimes)
        }
    }

    /// Accepts any amount above 0 and up to [`Money::MAX_INPUT`].
    pub fn positive(centimes: i64) -> Result<Money, String> {
        if centimes <= 0 {
            Err("must be greater than zero (centimes)".into())
        } else {
            Money::at_most_max(centimes)
        }
    }

    fn at_most_max(centimes: i64) -> Result<Money, String> {
        if centimes > Money::MAX_INPUT.0 {
            Err(format!(
                "must be at most {} centimes ({} MAD)",
                Money::MAX_INPUT.0,
                Money::MAX_INPUT
            ))
        } else {
            Ok(Money(centimes))
        }
    }

    /// The amount in centimes.
    pub fn centimes(self) -> i64 {
        self.0
    }

    /// An amount read back from storage or computed from amounts that were validated: taken
    /// as it is, since storage only holds amounts this service wrote (non-negative by the
    /// tables' checks) and billing arithmetic never goes below zero.
    pub fn from_stored(centimes: i64) -> Money {
        Money(centimes)
    }

    /// `self + other`, at most `i64::MAX` centimes.
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }

    /// `self - other`, at least zero: what remains of an amount never goes negative.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0).max(0))
    }

    /// True for zero centimes.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// Sums amounts without overflow (see [`sum_clamped`]).
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(sum_clamped(iter.map(Money::centimes)))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// The sum of `amounts`, computed in `i128` so that no count of stored amounts can overflow,
/// then clamped to the `i64` range the API and the database carry.
pub fn sum_clamped(amounts: impl IntoIterator<Item = i64>) -> i64 {
    let total: i128 = amounts.into_iter().map(i128::from).sum();
    clamp_to_i64(total)
}

/// `value` clamped to the `i64` range.
pub fn clamp_to_i64(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// `numerator / denominator` rounded half up (away from zero for the positive amounts billing
/// handles). `denominator` must be positive.
pub fn div_half_up(numerator: i128, denominator: i128) -> i64 {
    let q = numerator / denominator;
    let r = numerator % denominator;
    let rounded = if 2 * r.abs() >= denominator {
        q + numerator.signum()
    } else {
        q
    };
    clamp_to_i64(rounded)
}

/// Tax on `amount` at `rate_bp` basis points, half-up to the centime.
pub fn tax_amount(amount: i64, rate_bp: i32) -> i64 {
    div_half_up(i128::from(amount) * i128::from(rate_bp), 10_000)
}

/// Price including tax.
pub fn incl_tax(amount: i64, rate_bp: i32) -> i64 {
    amount.saturating_add(tax_amount(amount, rate_bp))
}

/// `monthly × days / days_in_month`, half-up to the centime.
pub fn prorate(monthly: i64, days: i64, days_in_month: i64) -> i64 {
    div_half_up(
        i128::from(monthly) * i128::from(days),
        i128::from(days_in_month.max(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_rounds_half_up_to_the_centime() {
        assert_eq!(tax_amount(10_000, 2000), 2_000);
        assert_eq!(tax_amount(1, 2000), 0); // 0.2 → 0
        assert_eq!(tax_amount(3, 2000), 1); // 0.6 → 1
        assert_eq!(tax_amount(25, 2000), 5); // exactly 5
        assert_eq!(tax_amount(1_003, 1000), 100); // 100.3 → 100
        assert_eq!(tax_amount(1_005, 1000), 101); // 100.5 → 101
    }

    #[test]
    fn proration_is_by_day_half_up() {
        assert_eq!(prorate(9_900, 31, 31), 9_900);
        assert_eq!(prorate(9_900, 15, 30), 4_950);
        assert_eq!(prorate(10_000, 1, 3), 3_333);
        assert_eq!(prorate(10_000, 2, 3), 6_667);
    }

    #[test]
    fn money_rejects_negative_amounts() {
        assert!(Money::new(-1).is_err());
        assert!(Money::positive(0).is_err());
        assert_eq!(Money::new(1234).map(|m| m.to_string()), Ok("12.34".into()));
    }

    #[test]
    fn money_accepts_up_to_one_hundred_million_dirhams() {
        assert_eq!(Money::MAX_INPUT.to_string(), "100000000.00");
        assert!(Money::new(10_000_000_000).is_ok());
        assert!(Money::positive(10_000_000_000).is_ok());
        assert!(Money::new(10_000_000_001).is_err());
        assert!(Money::positive(i64::MAX).is_err());
    }

    #[test]
    fn money_arithmetic_saturates_and_never_goes_negative() {
        let m = Money::from_stored;
        assert_eq!(m(500).saturating_sub(m(800)), Money::ZERO);
        assert_eq!(m(800).saturating_sub(m(500)), m(300));
        assert_eq!(m(i64::MAX).saturating_add(m(1)), m(i64::MAX));
        assert_eq!(
            [m(i64::MAX), m(i64::MAX)].into_iter().sum::<Money>(),
            m(i64::MAX)
        );
        assert_eq!([m(1), m(2)].into_iter().sum::<Money>(), m(3));
    }

    #[test]
    fn sums_never_overflow() {
        assert_eq!(sum_clamped([i64::MAX, i64::MAX]), i64::MAX);
        assert_eq!(sum_clamped([i64::MIN, -1]), i64::MIN);
        assert_eq!(sum_clamped([i64::MAX, 1, -2]), i64::MAX - 1);
        assert_eq!(sum_clamped(Vec::new()), 0);
        assert_eq!(incl_tax(i64::MAX, 2000), i64::MAX);
    }
}
