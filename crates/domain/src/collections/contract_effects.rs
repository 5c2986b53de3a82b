//! What dunning does to contracts: suspend the active ones, and reactivate those it suspended,
//! always through the contract state machine and with an audit entry by `system`.

use time::OffsetDateTime;

use super::action::SYSTEM_ACTOR;
use crate::contracts::{AuditAction, AuditEntry, ContractStatus};
use crate::error::Result;
use crate::events::{record_line_change, LineChangeReason};
use crate::ids::IdGenerator;
use crate::tx::UnitOfWork;
use crate::typed_ids::{AuditEntryId, ClientId};

/// Suspends every active contract of the client, marking it as suspended by dunning.
/// Returns how many were suspended.
pub(crate) fn suspend_active_contracts(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    client_id: &ClientId,
    now: OffsetDateTime,
) -> Result<usize> {
    let mut count = 0;
    for id in uow.collections().active_contract_ids(client_id)? {
        // Re-read under lock: the contract may have changed since it was listed.
        let Some(mut contract) = uow.contracts().find_for_update(&id)? else {
            continue;
        };
        if contract.status != ContractStatus::Active {
            continue;
        }
        contract.status = contract.status.transition(ContractStatus::Suspended)?;
        contract.suspended_by_dunning = true;
        contract.updated_at = now;
        uow.contracts().update(&contract)?;
        uow.contracts().append_audit(&AuditEntry {
            id: AuditEntryId::generate(ids),
            contract_id: contract.id.clone(),
            at: now,
            actor_id: SYSTEM_ACTOR.into(),
            action: AuditAction::StatusChanged,
            before: Some(vec![("status".into(), "active".into())]),
            after: Some(vec![
                ("status".into(), "suspended".into()),
                ("reason".into(), "dunning".into()),
            ]),
        })?;
        record_line_change(
            uow,
            ids,
            now,
            None,
            (&contract, LineChangeReason::Dunning, true),
        )?;
        count += 1;
    }
    Ok(count)
}

/// Reactivates the client's contracts that dunning suspended, clearing the mark. Returns
/// how many were reactivated.
pub(crate) fn reactivate_dunning_suspensions(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    client_id: &ClientId,
    now: OffsetDateTime,
) -> Result<usize> {
    let mut count = 0;
    for id in uow
        .collections()
        .dunning_suspended_contract_ids(client_id)?
    {
        let Some(mut contract) = uow.contracts().find_for_update(&id)? else {
            continue;
        };
        if contract.status != ContractStatus::Suspended || !contract.suspended_by_dunning {
            continue;
        }
        contract.status = contract.status.transition(ContractStatus::Active)?;
        contract.suspended_by_dunning = false;
        contract.updated_at = now;
        uow.contracts().update(&contract)?;
        uow.contracts().append_audit(&AuditEntry {
            id: AuditEntryId::generate(ids),
            contract_id: contract.id.clone(),
            at: now,
            actor_id: SYSTEM_ACTOR.into(),
            action: AuditAction::StatusChanged,
            before: Some(vec![("status".into(), "suspended".into())]),
            after: Some(vec![
                ("status".into(), "active".into()),
                ("reason".into(), "overdue balance settled".into()),
            ]),
        })?;
        record_line_change(
            uow,
            ids,
            now,
            None,
            (&contract, LineChangeReason::Dunning, false),
        )?;
        count += 1;
    }
    Ok(count)
}
