//! Automatic resolution: once a client's overdue balance is zero, its live case is resolved
//! and the contracts dunning suspended are reactivated — inside the caller's transaction, so
//! it is atomic with the payment (or dunning step) that cleared the balance.

use time::{Date, OffsetDateTime};

use super::action::{CASE_RESOLVED, SYSTEM_ACTOR};
use super::contract_effects::reactivate_dunning_suspensions;
use super::hold::{DISPUTE_CLOSED, SETTLED_OUTCOME};
use super::{CaseAction, CaseStatus};
use crate::error::Result;
use crate::events::{record, EventPayload};
use crate::ids::IdGenerator;
use crate::tx::UnitOfWork;
use crate::typed_ids::{CaseActionId, ClientId};

/// What a settlement check changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Settled {
    /// The live case was resolved.
    pub case_resolved: bool,
    /// Contracts reactivated.
    pub contracts_reactivated: usize,
}

/// Resolves the client's live case and reactivates its dunning suspensions when nothing of
/// the client is overdue on `today`; does nothing otherwise.
pub(crate) fn settle_if_clear(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    client_id: &ClientId,
    today: Date,
    now: OffsetDateTime,
) -> Result<Settled> {
    if !uow
        .collections()
        .overdue_invoices(client_id, today)?
        .is_empty()
    {
        return Ok(Settled::default());
    }
    settle_clear(uow, ids, client_id, now)
}

/// What [`settle_if_clear`] does once the caller knows that nothing of the client is overdue
/// (a payment knows it from the invoices it has just locked and settled, and so saves the
/// read; decision 0340).
pub(crate) fn settle_clear(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    client_id: &ClientId,
    now: OffsetDateTime,
) -> Result<Settled> {
    let mut settled = Settled::default();
    if let Some(mut case) = uow.collections().live_case_for_update(client_id)? {
        if case.status == CaseStatus::Disputed {
            // Paid or credited in full: nothing is left to dispute (decision 0240).
            uow.collections()
                .close_dispute(&case.id, now, SETTLED_OUTCOME, None)?;
            uow.collections().insert_action(&CaseAction {
                id: CaseActionId::generate(ids),
                case_id: case.id.clone(),
                action_type: DISPUTE_CLOSED.into(),
                note: Some("settled: overdue balance reached zero".into()),
                automatic: true,
                actor_id: SYSTEM_ACTOR.into(),
                dunning_step: None,
                at: now,
            })?;
        }
        case.status = case.status.transition(CaseStatus::Resolved)?;
        case.resolved_at = Some(now);
        case.updated_at = now;
        uow.collections().update_case(&case)?;
        uow.collections().insert_action(&CaseAction {
            id: CaseActionId::generate(ids),
            case_id: case.id.clone(),
            action_type: CASE_RESOLVED.into(),
            note: Some("overdue balance reached zero".into()),
            automatic: true,
            actor_id: SYSTEM_ACTOR.into(),
            dunning_step: None,
            at: now,
        })?;
        record(
            uow,
            ids,
            now,
            None,
            EventPayload::CollectionCaseResolved(case),
        )?;
        settled.case_resolved = true;
    }
    settled.contracts_reactivated = reactivate_dunning_suspensions(uow, ids, client_id, now)?;
    Ok(settled)
}
