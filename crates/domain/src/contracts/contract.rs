//! The contract entity, its offer periods and commitment arithmetic.

use time::{Date, Month, OffsetDateTime};

use super::ContractStatus;
use crate::money::Money;
use crate::service_type::ServiceType;
use crate::typed_ids::{ClientId, ContractId, OfferId, SubscriberId};
use crate::usage::UsageTerms;

/// A subscription of one line to one offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// `ctr_…`.
    pub id: ContractId,
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// Owner.
    pub client_id: ClientId,
    /// Line.
    pub subscriber_id: SubscriberId,
    /// Current offer.
    pub offer_id: OfferId,
    /// Service family (that of the line and every offer it ever had).
    pub service_type: ServiceType,
    /// Lifecycle state.
    pub status: ContractStatus,
    /// Effective start of the current offer (restarts at a plan change).
    pub contract_start_date: Date,
    /// Commitment in months.
    pub commitment_months: i32,
    /// `contract_start_date + commitment_months`.
    pub commitment_end_date: Date,
    /// Snapshot of the current offer's monthly price excl. tax.
    pub monthly_price: Money,
    /// `MAD`.
    pub currency: String,
    /// Snapshot of the current offer's tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Last day of service, once terminated.
    pub termination_date: Option<Date>,
    /// Latest document version (0 before the first document).
    pub document_version: i32,
    /// Set when dunning suspended it, so resolution reactivates only those.
    pub suspended_by_dunning: bool,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// One period of a contract on one offer, at the price snapshotted then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferPeriod {
    /// Offer of the period.
    pub offer_id: OfferId,
    /// Monthly price excl. tax.
    pub monthly_price: Money,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// First day.
    pub start_date: Date,
    /// First day no longer on this offer (exclusive); `None` while current.
    pub end_date: Option<Date>,
    /// The offer's usage terms when the period began (snapshot, as the price).
    pub usage: Option<UsageTerms>,
}

/// `start + months`, clamped to the last day of the target month (31 Jan + 1 = 28/29 Feb).
pub fn commitment_end_date(start: Date, months: i32) -> Date {
    let total = start.year() * 12 + (i32::from(u8::from(start.month())) - 1) + months.max(0);
    let year = total.div_euclid(12);
    let month_index = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
    let month = Month::try_from(month_index).unwrap_or(Month::January);
    let last_day = month.length(year);
    let day = start.day().min(last_day);
    Date::from_calendar_date(year, month, day).unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn commitment_adds_calendar_months() {
        assert_eq!(
            commitment_end_date(date!(2026 - 02 - 20), 12),
            date!(2027 - 02 - 20)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 11 - 15), 3),
            date!(2027 - 02 - 15)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 05 - 01), 0),
            date!(2026 - 05 - 01)
        );
    }

    #[test]
    fn commitment_clamps_to_month_end() {
        assert_eq!(
            commitment_end_date(date!(2026 - 01 - 31), 1),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            commitment_end_date(date!(2027 - 12 - 31), 2),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            commitment_end_date(date!(2024 - 02 - 29), 12),
            date!(2025 - 02 - 28)
        );
        assert_eq!(
            commitment_end_date(date!(2024 - 02 - 29), 24),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 08 - 31), 1),
            date!(2026 - 09 - 30)
        );
    }

    #[test]
    fn commitment_from_a_leap_day_lands_on_the_next_leap_day_every_four_years() {
        assert_eq!(
            commitment_end_date(date!(2028 - 02 - 29), 48),
            date!(2032 - 02 - 29)
        );
        assert_eq!(
            commitment_end_date(date!(2028 - 02 - 29), 1),
            date!(2028 - 03 - 29)
        );
        // 2100 is not a leap year (divisible by 100, not by 400); 2000 was.
        assert_eq!(
            commitment_end_date(date!(2096 - 02 - 29), 48),
            date!(2100 - 02 - 28)
        );
        assert_eq!(
            commitment_end_date(date!(1996 - 02 - 29), 48),
            date!(2000 - 02 - 29)
        );
    }

    #[test]
    fn commitment_crosses_year_ends_and_long_terms() {
        assert_eq!(
            commitment_end_date(date!(2026 - 12 - 31), 1),
            date!(2027 - 01 - 31)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 10 - 31), 4),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 03 - 31), 24),
            date!(2028 - 03 - 31)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 01 - 30), 120),
            date!(2036 - 01 - 30)
        );
        assert_eq!(
            commitment_end_date(date!(2026 - 05 - 31), 1),
            date!(2026 - 06 - 30)
        );
    }

    #[test]
    fn a_negative_commitment_is_treated_as_none() {
        assert_eq!(
            commitment_end_date(date!(2026 - 05 - 31), -3),
            date!(2026 - 05 - 31)
        );
    }
}
