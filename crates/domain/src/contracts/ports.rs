//! Ports of the contracts module.

use super::{AuditEntry, Contract};
use crate::error::Result;

/// Storage of contracts, their offer periods, audit entries and documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ContractRepository {
    /// The contract with this id.
    fn find(&mut self, id: &str) -> Result<Option<Contract>>;
    /// Whether any contract ever referenced this offer (current or past period).
    fn any_for_offer(&mut self, offer_id: &str) -> Result<bool>;
    /// The contract with this id, locked (`FOR UPDATE`) until the transaction ends.
    fn find_for_update(&mut self, id: &str) -> Result<Option<Contract>>;
    /// Saves every field of an existing contract. `Error::NotFound(Contract)` if absent;
    /// `Conflict::ServiceIdentifierInUse` if it would make a second live contract on its line.
    fn update(&mut self, contract: &Contract) -> Result<()>;
    /// Appends an audit entry (entries are never changed or removed).
    fn append_audit(&mut self, entry: &AuditEntry) -> Result<()>;
    /// Every contract of this client, oldest first (by id).
    fn list_by_client(&mut self, client_id: &str) -> Result<Vec<Contract>>;
}
