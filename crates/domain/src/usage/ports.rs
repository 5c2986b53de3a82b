//! What usage needs from storage.

use time::{Date, OffsetDateTime};

use super::{DailyUsage, Rejection, UsageKind, UsageRecord};
use crate::billing::Period;
use crate::contracts::OfferPeriod;
use crate::error::Result;
use crate::typed_ids::{ClientId, ContractId};

/// What storing a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredBatch {
    /// Records stored now (late ones included).
    pub accepted: u64,
    /// Records attributed but already stored (this batch or an earlier one).
    pub duplicates: u64,
    /// Stored records whose month was already billed for their contract.
    pub late: u64,
    /// `unknown_line` and `no_contract_at_time`, in line order.
    pub rejected: Vec<Rejection>,
    /// Each contract and month that gained records, once, in contract then month order,
    /// with its whole usage after the batch (records stored before it included): what the
    /// thresholds are rated on, read by the statement that stores the batch rather than
    /// read back after it (decision 0388).
    pub months: Vec<MonthUsage>,
}

/// A contract as rating its usage needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageContract {
    /// The contract.
    pub contract_id: ContractId,
    /// Its client.
    pub client_id: ClientId,
    /// Its offer periods (any order).
    pub offer_periods: Vec<OfferPeriod>,
    /// Last day of service (inclusive) once terminated; `None` while open.
    pub service_end: Option<Date>,
}

/// One month of one contract's usage, by day and kind (each pair once, in date then kind
/// order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthUsage {
    /// The contract.
    pub contract_id: ContractId,
    /// The month.
    pub period: Period,
    /// Its usage by day and kind.
    pub days: Vec<DailyUsage>,
}

/// An allowance threshold a contract's month reached (`usage.allowance_threshold_reached`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdReached {
    /// The contract.
    pub contract_id: ContractId,
    /// Its client.
    pub client_id: ClientId,
    /// The month.
    pub period: Period,
    /// Which allowance.
    pub kind: UsageKind,
    /// 80 or 100.
    pub percent: i32,
    /// Used so far in the month.
    pub used: i64,
    /// The month's (prorated) allowance.
    pub included: i64,
}

/// Usage records.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait UsageRepository {
    /// A contract's usage dated in `period`, summed by day and kind (late records included),
    /// in date then kind order.
    fn daily_usage(&mut self, contract_id: &ContractId, period: Period) -> Result<Vec<DailyUsage>>;

    /// Stores a batch of well-formed records in one set-based pass, after taking the usage
    /// lock exclusive (decisions 0367, 0375): each is attributed to the contract live on its line on
    /// its day (else rejected), marked late when an invoice already bills that contract for
    /// its month, and skipped when its `record_id` is already stored.
    fn ingest(
        &mut self,
        records: &[UsageRecord],
        received_at: OffsetDateTime,
    ) -> Result<StoredBatch>;

    /// The contracts, with what rating needs, in id order (unknown ids are left out, as is
    /// a contract without offer periods, which none is: each starts with its first).
    fn usage_contracts(&mut self, contract_ids: &[ContractId]) -> Result<Vec<UsageContract>>;

    /// Records thresholds reached at `at`, and returns those not recorded before (each fires
    /// once per contract, month, kind and percent).
    fn record_thresholds(
        &mut self,
        reached: &[ThresholdReached],
        at: OffsetDateTime,
    ) -> Result<Vec<ThresholdReached>>;
}
