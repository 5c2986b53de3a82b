//! Gapless legal numbers (`CTR-2026-000001`, `FAC-2026-000001`).

use crate::error::Result;

/// Sequences of legal numbers, one per name and year, without gaps.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SequenceRepository {
    /// Reserves `count` consecutive values of the sequence `name` for `year` and returns the
    /// first. The reservation is part of the current transaction: a rollback gives the values
    /// back, so no gap appears; concurrent callers wait on the sequence's row lock.
    fn reserve(&mut self, name: &str, year: i32, count: i64) -> Result<i64>;
}

/// Formats a legal number: `PREFIX-YEAR-NNNNNN`.
pub fn format_number(prefix: &str, year: i32, value: i64) -> String {
    format!("{prefix}-{year}-{value:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_zero_padded_to_six_digits() {
        assert_eq!(format_number("FAC", 2026, 1), "FAC-2026-000001");
        assert_eq!(format_number("CTR", 2027, 1234567), "CTR-2027-1234567");
    }
}
