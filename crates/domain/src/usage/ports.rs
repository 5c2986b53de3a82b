//! What usage needs from storage.

use super::DailyUsage;
use crate::billing::Period;
use crate::error::Result;
use crate::typed_ids::ContractId;

/// Usage records.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait UsageRepository {
    /// A contract's usage dated in `period`, summed by day and kind (late records included),
    /// in date then kind order.
    fn daily_usage(&mut self, contract_id: &ContractId, period: Period) -> Result<Vec<DailyUsage>>;
}
