//! Usage (issue #21): what a plan includes (allowances), what goes beyond it costs (overage
//! rates), and the exact rating of a month's usage against them. Pure: the records come from
//! the caller, summed by day and kind.

mod ingest;
mod kind;
mod ports;
mod rating;
mod records;
mod segments;
mod terms;
mod views;

pub use ingest::{thresholds, IngestReport, UsageService};
pub use kind::UsageKind;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockUsageRepository;
pub use ports::{MonthUsage, StoredBatch, ThresholdReached, UsageContract, UsageRepository};
pub use rating::prorated_allowance;
pub use rating::{
    late_charges, rate_month, DailyUsage, KindRating, KindTotal, SegmentRating, UsageSegment,
    UsageSummary,
};
pub use records::{
    check_quantity, max_quantity, normalise_line, Rejection, RejectionCode, UsageRecord,
    MAX_RECORDS, MAX_TEXT,
};
pub use segments::month_segments;
pub use terms::{Allowances, OverageRates, UsageTerms};
pub use views::{ClientContractUsage, ClientUsage, ContractUsage, UsageViewService};

#[cfg(test)]
mod ingest_tests;
#[cfg(test)]
mod rating_tests;
