//! Late usage on the next invoice (issue #21, decisions 0369 and 0377): records that arrived
//! after their month was invoiced for the contract are billed on its next invoice, for what
//! they add to that month's rating, one line per segment and kind charged, dated by the late
//! records themselves.

use time::Date;

use super::engine::{billed_days, taxed_segment, usage_description, usage_line};
use super::{BillableContract, InvoiceLine, NamedPeriod, Period};
use crate::usage::{late_charges, rate_month, DailyUsage, UsageKind, UsageSegment};

/// One earlier month's late records not billed yet, with what rating them needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateMonth {
    /// The month the records are dated in (before the month billed).
    pub period: Period,
    /// The contract's offer periods touching that month (any order).
    pub offer_periods: Vec<NamedPeriod>,
    /// The month's usage by day and kind without the late records still to bill: what the
    /// month was (or has since been) billed for.
    pub billed: Vec<DailyUsage>,
    /// The late records still to bill, by day and kind.
    pub late: Vec<DailyUsage>,
}

/// Appends the lines of `contract`'s late months, oldest month first: per month,
/// `late_charges(rate_month(billed), rate_month(billed + late))` over the segments of the
/// month (the days its offer periods served up to `service_end`), one line per segment and
/// kind with units charged, taxed at the segment's period's rate. A month whose late records
/// add nothing (they fit in the allowance left) gives no line.
pub(super) fn late_usage_lines(
    contract: &BillableContract,
    service_end: Option<Date>,
    lines: &mut Vec<InvoiceLine>,
) {
    let mut months: Vec<&LateMonth> = contract.late.iter().collect();
    months.sort_by_key(|month| month.period);
    for month in months {
        let segments = taxed_segments(&month.offer_periods, month.period, service_end);
        if segments.iter().all(|(segment, _)| segment.terms.is_none()) {
            continue;
        }
        let plain: Vec<UsageSegment> = segments.iter().map(|(s, _)| s.clone()).collect();
        let days = i64::from(month.period.days());
        let all: Vec<DailyUsage> = month.billed.iter().chain(&month.late).copied().collect();
        let charges = late_charges(
            &rate_month(&plain, days, &month.billed),
            &rate_month(&plain, days, &all),
        );
        for (index, (charge, (_, tax_rate_bp))) in charges.iter().zip(&segments).enumerate() {
            for kind in charge.kinds.iter().filter(|k| k.charged_units > 0) {
                let (first, last) = late_days(&plain, index, &month.late, kind.kind)
                    .unwrap_or((charge.start_date, charge.end_date));
                let description =
                    usage_description(kind.kind, kind.charged_units, Some(month.period));
                let line = usage_line(
                    contract,
                    &charge.offer_id,
                    kind,
                    *tax_rate_bp,
                    (description, first, last),
                    lines.len(),
                );
                lines.push(line);
            }
        }
    }
}

/// The usage segments of `month` (one per offer period serving it, in date order) with each
/// period's tax rate: the same days the month's subscription lines billed.
fn taxed_segments(
    periods: &[NamedPeriod],
    month: Period,
    service_end: Option<Date>,
) -> Vec<(UsageSegment, i32)> {
    let mut periods: Vec<&NamedPeriod> = periods.iter().collect();
    periods.sort_by_key(|p| p.period.start_date);
    periods
        .into_iter()
        .filter_map(|named| {
            let (start, end) = billed_days(&named.period, month, service_end)?;
            Some(taxed_segment(&named.period, start, end))
        })
        .collect()
}

/// First and last day of the late records of `kind` that `rate_month` counts in segment
/// `index` (the last segment starting on or before the day, else the first).
fn late_days(
    segments: &[UsageSegment],
    index: usize,
    late: &[DailyUsage],
    kind: UsageKind,
) -> Option<(Date, Date)> {
    let in_segment = |day: &&DailyUsage| {
        let of = segments
            .iter()
            .rposition(|segment| segment.start_date <= day.date)
            .unwrap_or(0);
        day.kind == kind && of == index
    };
    let dates = late.iter().filter(in_segment).map(|day| day.date);
    let first = dates.clone().min()?;
    let last = dates.max()?;
    Some((first, last))
}

#[cfg(test)]
#[path = "late_usage_tests.rs"]
mod tests;
