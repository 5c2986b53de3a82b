//! Ports of the contracts module.

use super::Contract;
use crate::error::Result;

/// Storage of contracts, their offer periods, audit entries and documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ContractRepository {
    /// The contract with this id.
    fn find(&mut self, id: &str) -> Result<Option<Contract>>;
    /// Whether any contract ever referenced this offer (current or past period).
    fn any_for_offer(&mut self, offer_id: &str) -> Result<bool>;
}
