//! Ports of the contracts module.

use time::{Date, OffsetDateTime};

use super::{AuditEntry, Contract, ContractFilter, OfferPeriod};
use crate::billing::PendingCharge;
use crate::error::Result;
use crate::page::PageRequest;
use crate::typed_ids::{ClientId, ContractId, OfferId, SubscriberId};

/// Storage of contracts, their offer periods, audit entries and documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ContractRepository {
    /// The contract with this id.
    fn find(&mut self, id: &ContractId) -> Result<Option<Contract>>;
    /// Whether any contract ever referenced this offer (current or past period).
    fn any_for_offer(&mut self, offer_id: &OfferId) -> Result<bool>;
    /// The contract with this id, locked (`FOR UPDATE`) until the transaction ends.
    fn find_for_update(&mut self, id: &ContractId) -> Result<Option<Contract>>;
    /// Saves every field of an existing contract. `Error::NotFound(Contract)` if absent;
    /// `Conflict::ServiceIdentifierInUse` if it would make a second live contract on its line.
    fn update(&mut self, contract: &Contract) -> Result<()>;
    /// Appends an audit entry (entries are never changed or removed).
    fn append_audit(&mut self, entry: &AuditEntry) -> Result<()>;
    /// Appends audit entries in one statement.
    fn append_audits(&mut self, entries: &[AuditEntry]) -> Result<()>;
    /// Suspends, in one statement, every contract of `clients` still `active` when the row
    /// lock is taken, marks it suspended by dunning with `updated_at = at`, and returns the
    /// contracts changed by client then id (the state machine's `active → suspended`).
    fn suspend_active_for_dunning(
        &mut self,
        clients: &[ClientId],
        at: OffsetDateTime,
    ) -> Result<Vec<Contract>>;

    /// Stores a new contract. `Conflict::ServiceIdentifierInUse` when its line already has a
    /// live contract (also when a concurrent transaction committed one first: the adapter
    /// maps the violation of the one-live-contract-per-line unique index).
    fn insert(&mut self, contract: &Contract) -> Result<()>;
    /// The live (pending, active or suspended) contract on this line, if any.
    fn live_for_subscriber(&mut self, subscriber_id: &SubscriberId) -> Result<Option<Contract>>;
    /// At most `page.fetch()` contracts matching `filter` whose id sorts after
    /// `page.after()`, ordered by id.
    fn list(&mut self, filter: &ContractFilter, page: &PageRequest) -> Result<Vec<Contract>>;
    /// Every audit entry of the contract, oldest first (by instant, then id).
    fn audit_trail(&mut self, contract_id: &ContractId) -> Result<Vec<AuditEntry>>;

    /// Opens an offer period of the contract (recorded at `at`).
    fn insert_offer_period(
        &mut self,
        contract_id: &ContractId,
        period: &OfferPeriod,
        at: OffsetDateTime,
    ) -> Result<()>;
    /// The contract's open period (`end_date` NULL), if any.
    fn open_offer_period(&mut self, contract_id: &ContractId) -> Result<Option<OfferPeriod>>;
    /// Closes the open period: `end_date` (exclusive) becomes `end_date`. Does nothing when no
    /// period is open.
    fn close_offer_period(&mut self, contract_id: &ContractId, end_date: Date) -> Result<()>;
    /// Replaces the offer and price of the open period, keeping its start (a change effective
    /// on the day the period starts, so no empty period is recorded).
    fn replace_open_offer_period(
        &mut self,
        contract_id: &ContractId,
        period: &OfferPeriod,
    ) -> Result<()>;
    /// Stores regularisation charges for the contracts' next invoices (decision 0251).
    fn insert_pending_charges(&mut self, charges: &[PendingCharge]) -> Result<()>;
    /// Every offer period of the contract, by start date.
    fn offer_periods(&mut self, contract_id: &ContractId) -> Result<Vec<OfferPeriod>>;

    /// Stores a document version. Documents are immutable: storing an existing
    /// (contract, version) is `Error::Storage`.
    fn insert_document(
        &mut self,
        contract_id: &ContractId,
        version: i32,
        pdf: &[u8],
        at: OffsetDateTime,
    ) -> Result<()>;
    /// The PDF of this document version, if stored.
    fn document(&mut self, contract_id: &ContractId, version: i32) -> Result<Option<Vec<u8>>>;
}
