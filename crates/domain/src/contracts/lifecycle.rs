//! The contract lifecycle (P6): status changes through the state machine, with termination
//! closing the offer history.

use super::audit::{fields, AuditAction};
use super::commands::parse_date;
use super::service::{lock_contract, ContractService};
use super::{Contract, ContractStatus, StatusChange, UpdateStatus};
use crate::error::{Result, RuleViolation, Validator};
use crate::events::{record, record_line_change, EventPayload, LineChangeReason};
use crate::text::{check_text, TextKind};
use crate::tx::UnitOfWork;
use crate::typed_ids::ContractId;
use time::OffsetDateTime;

/// Longest accepted `reason`, in characters.
const MAX_REASON_CHARS: usize = 500;

impl ContractService {
    /// Validates a status change as received: `status`, `effective_date`, `reason`.
    pub fn validate_status_update(&self, command: &UpdateStatus) -> Result<StatusChange> {
        let mut v = Validator::new();
        let status = v.check("status", ContractStatus::parse(command.status.trim()));
        let effective_date = match command.effective_date.as_deref() {
            Some(raw) => v
                .check(
                    "effective_date",
                    parse_date(raw).and_then(|d| self.date_window().check(d)),
                )
                .map(Some),
            None => Some(None),
        };
        let reason = command
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if reason.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
            v.push(
                "reason",
                format!("must be at most {MAX_REASON_CHARS} characters"),
            );
        } else if let Some(Err(message)) = reason.map(|r| check_text(r, TextKind::Lines)) {
            v.push("reason", message);
        }
        let (status, effective_date) = v.finish_with(status.zip(effective_date))?;
        Ok(StatusChange {
            status,
            reason: reason.map(str::to_owned),
            effective_date,
            by_dunning: false,
        })
    }

    /// Moves the contract through the state machine inside the caller's transaction.
    ///
    /// `terminated` sets `termination_date` (the last day of service, inclusive; default
    /// today, or the open offer period's start if later; never before that start) and closes
    /// the open offer period the day after. `cancelled` (never in service) closes it on its own start, empty. Every
    /// change but a dunning suspension clears `suspended_by_dunning`.
    ///
    /// Errors: `NotFound(Contract)`; `Conflict(InvalidStatusTransition)`;
    /// `Rule(EffectiveDateTooEarly)`.
    pub fn change_status_in(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        contract_id: &ContractId,
        change: &StatusChange,
    ) -> Result<Contract> {
        let mut contract = lock_contract(uow, contract_id)?;
        let before = contract.clone();
        contract.status = before.status.transition(change.status)?;
        let now = self.clock.now();
        match change.status {
            ContractStatus::Terminated => {
                let open = uow.contracts().open_offer_period(&contract.id)?;
                // Default: today, or the first day of service when the period has not begun
                // (a contract provisioned ahead of its start).
                let last_day = change.effective_date.unwrap_or_else(|| {
                    let today = self.clock.today();
                    open.as_ref().map_or(today, |p| today.max(p.start_date))
                });
                if let Some(open) = open {
                    if last_day < open.start_date {
                        return Err(RuleViolation::EffectiveDateTooEarly.into());
                    }
                    let end = last_day
                        .next_day()
                        .ok_or(RuleViolation::EffectiveDateTooEarly)?;
                    uow.contracts().close_offer_period(&contract.id, end)?;
                }
                contract.termination_date = Some(last_day);
            }
            ContractStatus::Cancelled => {
                if let Some(open) = uow.contracts().open_offer_period(&contract.id)? {
                    uow.contracts()
                        .close_offer_period(&contract.id, open.start_date)?;
                }
            }
            ContractStatus::Pending | ContractStatus::Active | ContractStatus::Suspended => {}
        }
        contract.suspended_by_dunning =
            change.by_dunning && change.status == ContractStatus::Suspended;
        contract.updated_at = now;
        uow.contracts().update(&contract)?;
        self.record_status_event(uow, actor_id, &before, &contract, change, now)?;
        self.audit(
            uow,
            actor_id,
            &contract.id,
            AuditAction::StatusChanged,
            Some(status_fields(&before)),
            Some(
                status_fields(&contract)
                    .into_iter()
                    .chain(fields([
                        ("reason", change.reason.clone()),
                        (
                            "effective_date",
                            change.effective_date.map(|d| d.to_string()),
                        ),
                    ]))
                    .collect(),
            ),
        )?;
        Ok(contract)
    }
}

impl ContractService {
    /// The event of a status change: `contract.activated` (from pending),
    /// `contract.suspended` / `contract.reactivated` (with the line and the reason),
    /// `contract.terminated`; none for a cancellation or a change to pending, which the
    /// catalogue does not list.
    fn record_status_event(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        before: &Contract,
        after: &Contract,
        change: &StatusChange,
        now: OffsetDateTime,
    ) -> Result<()> {
        let ids = self.ids.as_ref();
        let reason = if change.by_dunning {
            LineChangeReason::Dunning
        } else {
            LineChangeReason::Manual
        };
        let actor = (!change.by_dunning).then_some(actor_id);
        match (before.status, after.status) {
            (ContractStatus::Suspended, ContractStatus::Active) => {
                record_line_change(uow, ids, now, actor, (after, reason, false))
            }
            (_, ContractStatus::Active) => record(
                uow,
                ids,
                now,
                actor,
                EventPayload::ContractActivated(after.clone()),
            ),
            (_, ContractStatus::Suspended) => {
                record_line_change(uow, ids, now, actor, (after, reason, true))
            }
            (_, ContractStatus::Terminated) => record(
                uow,
                ids,
                now,
                actor,
                EventPayload::ContractTerminated(after.clone()),
            ),
            (_, ContractStatus::Pending | ContractStatus::Cancelled) => Ok(()),
        }
    }
}

/// The fields a status change touches.
fn status_fields(contract: &Contract) -> super::Fields {
    fields([
        ("status", Some(contract.status.as_str().to_owned())),
        (
            "termination_date",
            contract.termination_date.map(|d| d.to_string()),
        ),
        (
            "suspended_by_dunning",
            contract.suspended_by_dunning.then(|| "true".to_owned()),
        ),
    ])
}
