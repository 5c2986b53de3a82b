//! `ContractService`: the contracts use cases (P4–P6) and their transactions. Each write has
//! an `_in` form that runs inside a caller's unit of work (landing P8/P9, dunning).

use std::sync::Arc;

use super::{
    AuditEntry, Contract, ContractFilter, NewContract, ProvisionContract, ProvisionedContract,
};
use crate::business_dates::DateWindow;
use crate::clock::Clock;
use crate::credit_notes::CreditNoteService;
use crate::documents::DocumentRenderer;
use crate::error::{Error, Resource, Result};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{AuditEntryId, ContractId};

/// Contracts: provisioning, manual creation, lifecycle, offer changes, audit, documents.
#[derive(Clone)]
pub struct ContractService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ids: Arc<dyn IdGenerator>,
    pub(super) renderer: Arc<dyn DocumentRenderer>,
    pub(super) settings: Arc<Settings>,
    /// Issues the credit notes of regularised changes (decision 0251).
    pub(super) credit_notes: CreditNoteService,
}

impl ContractService {
    /// The business dates a request may name today.
    pub(super) fn date_window(&self) -> DateWindow {
        self.settings.date_window(self.clock.today())
    }

    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            renderer: ports.renderer.clone(),
            settings: ports.settings.clone(),
            credit_notes: CreditNoteService::new(ports),
        }
    }

    /// P4: provisions a contract, finding or creating its line, in one transaction.
    pub fn provision(
        &self,
        actor_id: &str,
        command: &ProvisionContract,
    ) -> Result<ProvisionedContract> {
        transaction(self.tx.as_ref(), |uow| {
            self.provision_in(uow, actor_id, command)
        })
    }

    /// P5: creates a contract from explicit ids, in one transaction.
    pub fn create(&self, actor_id: &str, command: &NewContract) -> Result<Contract> {
        transaction(self.tx.as_ref(), |uow| {
            self.create_in(uow, actor_id, command)
        })
    }

    /// The contract with this id; `NotFound(Contract)` when absent.
    pub fn get(&self, contract_id: &ContractId) -> Result<Contract> {
        // One statement: no transaction needed (decision 0004).
        read(self.tx.as_ref(), |uow| find_contract(uow, contract_id))
    }

    /// One page of contracts matching `filter`, ordered by id.
    pub fn list(&self, filter: &ContractFilter, page: &PageRequest) -> Result<Page<Contract>> {
        let rows = read(self.tx.as_ref(), |uow| uow.contracts().list(filter, page))?;
        Ok(Page::from_fetched(rows, page, |c| c.id.as_str()))
    }

    /// The contract's audit trail, oldest first.
    pub fn audit_trail(&self, contract_id: &ContractId) -> Result<Vec<AuditEntry>> {
        transaction(self.tx.as_ref(), |uow| {
            find_contract(uow, contract_id)?;
            uow.contracts().audit_trail(contract_id)
        })
    }

    /// A stored contract document: `(version, pdf)`, the latest when `version` is `None`.
    /// `NotFound(Contract)` for an unknown contract, `NotFound(ContractDocument)` for a
    /// version never produced.
    pub fn document(
        &self,
        contract_id: &ContractId,
        version: Option<i32>,
    ) -> Result<(i32, Vec<u8>)> {
        transaction(self.tx.as_ref(), |uow| {
            let contract = find_contract(uow, contract_id)?;
            let version = version.unwrap_or(contract.document_version);
            let pdf = uow
                .contracts()
                .document(contract_id, version)?
                .ok_or(Error::NotFound(Resource::ContractDocument))?;
            Ok((version, pdf))
        })
    }

    /// Appends an audit entry stamped now.
    pub(super) fn audit(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        contract_id: &ContractId,
        action: super::AuditAction,
        before: Option<super::Fields>,
        after: Option<super::Fields>,
    ) -> Result<()> {
        uow.contracts().append_audit(&AuditEntry {
            id: AuditEntryId::generate(self.ids.as_ref()),
            contract_id: contract_id.clone(),
            at: self.clock.now(),
            actor_id: actor_id.to_owned(),
            action,
            before,
            after,
        })
    }
}

/// The contract, or `NotFound(Contract)`.
pub(super) fn find_contract(
    uow: &mut dyn UnitOfWork,
    contract_id: &ContractId,
) -> Result<Contract> {
    uow.contracts()
        .find(contract_id)?
        .ok_or(Error::NotFound(Resource::Contract))
}

/// The contract locked for update, or `NotFound(Contract)`.
pub(super) fn lock_contract(
    uow: &mut dyn UnitOfWork,
    contract_id: &ContractId,
) -> Result<Contract> {
    uow.contracts()
        .find_for_update(contract_id)?
        .ok_or(Error::NotFound(Resource::Contract))
}
