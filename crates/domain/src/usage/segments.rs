//! The parts of a month each offer period served: the segments usage is rated over. They are
//! the days the billing engine bills, so usage and the subscription lines always agree.

use time::Date;

use super::UsageSegment;
use crate::billing::{billed_days, Period};
use crate::contracts::OfferPeriod;

/// The segments of `month` for a contract with these offer periods (any order) whose service
/// ends on `service_end` (inclusive; `None` while open), in date order.
pub fn month_segments(
    offer_periods: &[OfferPeriod],
    month: Period,
    service_end: Option<Date>,
) -> Vec<UsageSegment> {
    let mut periods: Vec<&OfferPeriod> = offer_periods.iter().collect();
    periods.sort_by_key(|period| period.start_date);
    periods
        .into_iter()
        .filter_map(|period| {
            let (start, end) = billed_days(period, month, service_end)?;
            Some(UsageSegment {
                offer_id: period.offer_id.clone(),
                start_date: start,
                end_date: end,
                terms: period.usage,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::money::Money;
    use crate::typed_ids::OfferId;

    fn period(offer: &str, start: Date, end: Option<Date>) -> OfferPeriod {
        OfferPeriod {
            offer_id: OfferId::from_stored(offer),
            monthly_price: Money::from_stored(9900),
            tax_rate_bp: 2000,
            start_date: start,
            end_date: end,
            usage: None,
        }
    }

    #[test]
    fn segments_are_the_billed_days_of_each_offer_period() {
        let march = Period::parse("2026-03").unwrap();
        let periods = [
            period("off_b", date!(2026 - 03 - 15), None),
            period("off_a", date!(2026 - 03 - 10), Some(date!(2026 - 03 - 15))),
            period(
                "off_old",
                date!(2026 - 01 - 01),
                Some(date!(2026 - 02 - 01)),
            ),
        ];
        let segments = month_segments(&periods, march, Some(date!(2026 - 03 - 20)));
        let spans: Vec<_> = segments
            .iter()
            .map(|s| (s.offer_id.as_str().to_owned(), s.start_date, s.end_date))
            .collect();
        assert_eq!(
            spans,
            vec![
                (
                    "off_a".to_owned(),
                    date!(2026 - 03 - 10),
                    date!(2026 - 03 - 14)
                ),
                (
                    "off_b".to_owned(),
                    date!(2026 - 03 - 15),
                    date!(2026 - 03 - 20)
                ),
            ]
        );
    }
}
