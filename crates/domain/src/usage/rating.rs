//! Rating a contract's month of usage (decision 0360). The month is cut into segments, one per
//! offer period that served it; each segment's allowance is the month's prorated to its days
//! (floor), its usage is the records dated inside it, and what goes beyond is charged at its
//! own rates in whole units (started minutes, messages, started MB). The same inputs always
//! give the same charges: a dry run and the run itself agree to the centime.

use time::Date;

use super::{UsageKind, UsageTerms};
use crate::money::{clamp_to_i64, Money};
use crate::typed_ids::OfferId;

/// The days of a month one offer period served, and that period's usage terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageSegment {
    /// Offer of the period.
    pub offer_id: OfferId,
    /// First day of the segment inside the month.
    pub start_date: Date,
    /// Last day of the segment inside the month (inclusive).
    pub end_date: Date,
    /// The period's snapshot of its offer's terms; `None` rates nothing (an offer without
    /// usage terms), though its days still hold their own usage.
    pub terms: Option<UsageTerms>,
}

impl UsageSegment {
    fn days(&self) -> i64 {
        (self.end_date - self.start_date).whole_days() + 1
    }
}

/// Usage of one kind on one day (the records of that day summed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyUsage {
    /// The day, in Morocco.
    pub date: Date,
    /// What was used.
    pub kind: UsageKind,
    /// Seconds, messages or bytes.
    pub quantity: i64,
}

/// One kind rated over one segment (or, in a [`KindTotal`], over the month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRating {
    /// What was used.
    pub kind: UsageKind,
    /// Recorded quantity (seconds, messages, bytes).
    pub used: i64,
    /// The prorated allowance; `None` is unlimited.
    pub included: Option<i64>,
    /// Units charged beyond it (started minutes, messages, started MB).
    pub charged_units: i64,
    /// Price of one unit excl. tax.
    pub unit_price: Money,
    /// `charged_units × unit_price`, excl. tax.
    pub amount: Money,
}

/// A segment rated, kind by kind (in [`UsageKind::ALL`] order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRating {
    /// Offer of the segment.
    pub offer_id: OfferId,
    /// First day (inclusive).
    pub start_date: Date,
    /// Last day (inclusive).
    pub end_date: Date,
    /// Whether the segment's offer has usage terms (else nothing is included or charged).
    pub rated: bool,
    /// Voice, SMS, data.
    pub kinds: [KindRating; 3],
}

/// `allowance × days / days_in_month`, rounded down: a part month never includes more than
/// its share (decision 0360).
pub fn prorated_allowance(allowance: Option<i64>, days: i64, days_in_month: i64) -> Option<i64> {
    allowance.map(|whole| {
        let days = days.clamp(0, days_in_month.max(1));
        clamp_to_i64(i128::from(whole) * i128::from(days) / i128::from(days_in_month.max(1)))
    })
}

/// Rates a month: `segments` in date order, `days_in_month` of the billed month, and the
/// month's usage by day. A day outside every segment (which attribution at ingestion rules
/// out) counts in the last segment starting on or before it, else the first.
pub fn rate_month(
    segments: &[UsageSegment],
    days_in_month: i64,
    usage: &[DailyUsage],
) -> Vec<SegmentRating> {
    let mut used = vec![[0i64; 3]; segments.len()];
    for day in usage {
        let Some(index) = segment_of(segments, day.date) else {
            continue;
        };
        let slot = &mut used[index][day.kind.index()];
        *slot = slot.saturating_add(day.quantity.max(0));
    }
    segments
        .iter()
        .zip(used)
        .map(|(segment, used)| {
            let days = segment.days();
            SegmentRating {
                offer_id: segment.offer_id.clone(),
                start_date: segment.start_date,
                end_date: segment.end_date,
                rated: segment.terms.is_some(),
                kinds: UsageKind::ALL.map(|kind| match &segment.terms {
                    Some(terms) => {
                        let allowance = terms.allowances.of(kind);
                        let included = prorated_allowance(allowance, days, days_in_month);
                        rate_kind(kind, used[kind.index()], included, terms)
                    }
                    None => unrated(kind, used[kind.index()]),
                }),
            }
        })
        .collect()
}

fn segment_of(segments: &[UsageSegment], date: Date) -> Option<usize> {
    if segments.is_empty() {
        return None;
    }
    Some(
        segments
            .iter()
            .rposition(|segment| segment.start_date <= date)
            .unwrap_or(0),
    )
}

fn unrated(kind: UsageKind, used: i64) -> KindRating {
    KindRating {
        kind,
        used,
        included: None,
        charged_units: 0,
        unit_price: Money::ZERO,
        amount: Money::ZERO,
    }
}

fn rate_kind(kind: UsageKind, used: i64, included: Option<i64>, terms: &UsageTerms) -> KindRating {
    let over = included.map_or(0, |included| used.saturating_sub(included));
    let charged_units = kind.charged_units(over);
    let unit_price = terms.rates.per_unit(kind);
    let amount = clamp_to_i64(i128::from(charged_units) * i128::from(unit_price.centimes()));
    KindRating {
        kind,
        used,
        included,
        charged_units,
        unit_price,
        amount: Money::from_stored(amount),
    }
}

/// What late records add to a month already billed: the month rated with every record known
/// now (`now`) minus the month as it was billed (`billed`, the same segments rated without the
/// late records), segment by segment and kind by kind. `used` is the late quantity; units and
/// amount are the increase (usage only grows, so neither is negative).
pub fn late_charges(billed: &[SegmentRating], now: &[SegmentRating]) -> Vec<SegmentRating> {
    billed
        .iter()
        .zip(now)
        .map(|(before, after)| SegmentRating {
            offer_id: after.offer_id.clone(),
            start_date: after.start_date,
            end_date: after.end_date,
            rated: after.rated,
            kinds: UsageKind::ALL.map(|kind| {
                let (b, a) = (before.kinds[kind.index()], after.kinds[kind.index()]);
                KindRating {
                    kind,
                    used: a.used.saturating_sub(b.used).max(0),
                    included: a.included,
                    charged_units: a.charged_units.saturating_sub(b.charged_units).max(0),
                    unit_price: a.unit_price,
                    amount: a.amount.saturating_sub(b.amount).max(Money::ZERO),
                }
            }),
        })
        .collect()
}

/// One kind over the whole month (all segments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindTotal {
    /// What was used.
    pub kind: UsageKind,
    /// Recorded quantity.
    pub used: i64,
    /// Sum of the segments' allowances; `None` when any segment is unlimited.
    pub included: Option<i64>,
    /// Units charged beyond the allowances.
    pub charged_units: i64,
    /// Amount charged excl. tax.
    pub amount: Money,
}

impl KindTotal {
    /// What is left of the allowance (never negative); `None` is unlimited.
    pub fn remaining(&self) -> Option<i64> {
        self.included
            .map(|included| included.saturating_sub(self.used).max(0))
    }

    /// The alert thresholds (80, 100 % of the allowance) the usage has reached; none for an
    /// unlimited allowance or no usage.
    pub fn thresholds_reached(&self) -> Vec<i32> {
        let Some(included) = self.included else {
            return Vec::new();
        };
        if self.used <= 0 {
            return Vec::new();
        }
        let used = i128::from(self.used) * 100;
        [80, 100]
            .into_iter()
            .filter(|percent| used >= i128::from(included) * i128::from(*percent))
            .collect()
    }
}

/// A month's usage by kind, summed over its segments: what views and the invoice show as
/// used / included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageSummary {
    /// Whether any segment's offer has usage terms; when none has, the contract's plan does
    /// not rate usage and there is nothing to show but what was used.
    pub rated: bool,
    /// Voice, SMS, data.
    pub kinds: [KindTotal; 3],
}

/// The rated segments' allowances of `kind` summed; `None` when one is unlimited or none is
/// rated (nothing is included where nothing is rated).
fn included(segments: &[SegmentRating], kind: UsageKind) -> Option<i64> {
    let mut rated = segments.iter().filter(|segment| segment.rated).peekable();
    rated.peek()?;
    rated.try_fold(0i64, |sum, segment| {
        segment.kinds[kind.index()]
            .included
            .map(|i| sum.saturating_add(i))
    })
}

impl UsageSummary {
    /// Sums rated segments.
    pub fn of(segments: &[SegmentRating]) -> UsageSummary {
        UsageSummary {
            rated: segments.iter().any(|segment| segment.rated),
            kinds: UsageKind::ALL.map(|kind| {
                let ratings = segments.iter().map(|segment| segment.kinds[kind.index()]);
                KindTotal {
                    kind,
                    used: ratings.clone().map(|r| r.used).fold(0, i64::saturating_add),
                    included: included(segments, kind),
                    charged_units: ratings
                        .clone()
                        .map(|r| r.charged_units)
                        .fold(0, i64::saturating_add),
                    amount: ratings.map(|r| r.amount).sum(),
                }
            }),
        }
    }

    /// The overage so far, excl. tax.
    pub fn overage(&self) -> Money {
        self.kinds.iter().map(|k| k.amount).sum()
    }
}
