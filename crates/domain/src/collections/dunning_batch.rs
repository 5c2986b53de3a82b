//! Dunning of a batch of clients in one transaction (decision 0330): the reads and the writes
//! of the common cases — opening a case, climbing the ladder, suspending contracts — are one
//! statement each for the whole batch; the rare cases (a promise past its date, a dispute,
//! nothing overdue any more) go through the per-client path, in the same transaction.

use std::collections::{HashMap, HashSet};

use time::{Date, OffsetDateTime};

use super::action::{CASE_OPENED, SYSTEM_ACTOR};
use super::dunning::DunningStep;
use super::dunning_service::{DunningReport, DunningService};
use super::hold::oldest_counted_due;
use super::{CaseAction, CaseStatus, CollectionCase};
use crate::billing::Invoice;
use crate::contracts::{AuditAction, AuditEntry, Contract};
use crate::error::{Error, Resource, Result};
use crate::events::{record_all, EventPayload, LineChange, LineChangeReason};
use crate::money::Money;
use crate::tx::UnitOfWork;
use crate::typed_ids::{AuditEntryId, CaseActionId, CaseId, ClientId, InvoiceId};

/// One client's case on the common path: its overdue debt and whether this batch opens it.
struct Plan {
    case: CollectionCase,
    opened: bool,
    overdue_total: Money,
    invoice_ids: Vec<InvoiceId>,
    days_past_due: i64,
    days: i64,
}

impl Plan {
    /// The case as published in events: with the debt this run found.
    fn published(&self) -> CollectionCase {
        let mut case = self.case.clone();
        case.overdue_amount = self.overdue_total;
        case.invoice_ids = self.invoice_ids.clone();
        case
    }
}

impl DunningService {
    /// Dunning of `clients` (sorted by id) inside one unit of work, with the same effects as
    /// [`DunningService::run_client_in`] for each of them.
    pub fn run_batch_in(
        &self,
        uow: &mut dyn UnitOfWork,
        clients: &[ClientId],
        as_of: Date,
    ) -> Result<DunningReport> {
        let now = self.clock.now();
        let mut report = DunningReport::empty(as_of);
        // Payments lock a client's open invoices, then its case: the same order here, so a
        // payment either lands before (and is seen) or waits for this batch to commit (and
        // then reactivates what the batch suspended).
        let mut overdue: HashMap<ClientId, Vec<Invoice>> = HashMap::new();
        for invoice in uow.collections().lock_overdue_invoices(clients, as_of)? {
            overdue
                .entry(invoice.client_id.clone())
                .or_default()
                .push(invoice);
        }
        let mut live: HashMap<ClientId, CollectionCase> = uow
            .collections()
            .live_cases_for_update(clients)?
            .into_iter()
            .map(|case| (case.client_id.clone(), case))
            .collect();
        let ends: HashMap<ClientId, OffsetDateTime> = uow
            .collections()
            .last_case_ends(clients)?
            .into_iter()
            .collect();
        let credits: HashMap<ClientId, Money> = uow
            .collections()
            .credits_available(clients)?
            .into_iter()
            .collect();

        let mut plans = Vec::new();
        for client_id in clients {
            let mut invoices = overdue.remove(client_id).unwrap_or_default();
            // Invoices come in lock order; the ladder reads them by due date then id.
            invoices.sort_by(|a, b| (a.due_date, &a.id).cmp(&(b.due_date, &b.id)));
            let case = live.remove(client_id);
            let held_or_cleared = invoices.is_empty()
                || case.as_ref().is_some_and(|c| {
                    matches!(c.status, CaseStatus::PromiseToPay | CaseStatus::Disputed)
                });
            if held_or_cleared {
                report.add(&self.run_client_in(uow, client_id, as_of)?);
                continue;
            }
            let overdue_total: Money = invoices.iter().map(|i| i.outstanding()).sum();
            // Credit covering the overdue debt is the client's money (decision 0180).
            if credits.get(client_id).copied().unwrap_or(Money::ZERO) >= overdue_total {
                continue;
            }
            let ended = ends.get(client_id).copied();
            let (case, opened) = match case {
                Some(case) => (case, false),
                None => {
                    let followed = invoices
                        .iter()
                        .any(|i| ended.is_none_or(|end| i.due_date >= end.date()));
                    if !followed {
                        continue;
                    }
                    (self.new_case(client_id, now), true)
                }
            };
            let oldest_due = oldest_counted_due(&invoices, &[], ended).unwrap_or(as_of);
            let days_past_due = (as_of - oldest_due).whole_days();
            plans.push(Plan {
                days: days_past_due - i64::from(case.ladder_shift_days),
                case,
                opened,
                overdue_total,
                invoice_ids: invoices.iter().map(|i| i.id.clone()).collect(),
                days_past_due,
            });
        }

        // A case another instance opened meanwhile is its to climb (decision 0043). A case
        // this batch opens gets every step it reaches (no other run knows its id), so it is
        // written at its final level at once rather than updated after its steps: the
        // update rewrote every new case's row and its index entries (decision 0380).
        let to_open: Vec<CollectionCase> = plans
            .iter()
            .filter(|p| p.opened)
            .map(|p| {
                let mut case = p.case.clone();
                case.dunning_level = self.level_reached(p);
                case
            })
            .collect();
        let opened: HashSet<CaseId> = uow
            .collections()
            .insert_cases(&to_open)?
            .into_iter()
            .collect();
        plans.retain(|p| !p.opened || opened.contains(&p.case.id));
        report.cases_opened = opened.len();

        let mut actions = Vec::new();
        for plan in &plans {
            if plan.opened {
                actions.push(self.system_action(
                    &plan.case.id,
                    CASE_OPENED,
                    "overdue invoices found by dunning".into(),
                    None,
                    now,
                ));
            }
            for step in DunningStep::reached(&self.ladder, plan.days) {
                actions.push(self.system_action(
                    &plan.case.id,
                    step.action_type(),
                    step.note(plan.days_past_due),
                    Some(step),
                    now,
                ));
            }
        }
        // Each step once per case (`case_actions_step_once`): only the inserted ones count.
        let recorded: HashSet<CaseActionId> = uow
            .collections()
            .insert_actions(&actions)?
            .into_iter()
            .collect();
        // Looked up by case, not by scanning every action for each plan: a batch of 500
        // clients takes some 1,800 actions.
        let suspended_cases: HashSet<&CaseId> = actions
            .iter()
            .filter(|a| {
                a.dunning_step.as_deref() == Some(DunningStep::Suspension.action_type())
                    && recorded.contains(&a.id)
            })
            .map(|a| &a.case_id)
            .collect();
        let suspending: Vec<ClientId> = plans
            .iter()
            .filter(|p| suspended_cases.contains(&p.case.id))
            .map(|p| p.case.client_id.clone())
            .collect();
        let suspended = uow
            .contracts()
            .suspend_active_for_dunning(&suspending, now)?;
        report.contracts_suspended = suspended.len();
        self.audit_suspensions(uow, &suspended, now)?;
        let mut lines = self.line_changes(uow, suspended)?;

        let mut payloads = Vec::new();
        let mut levels = Vec::new();
        let mut by_case: HashMap<&CaseId, Vec<&CaseAction>> = HashMap::new();
        for action in actions.iter().filter(|a| recorded.contains(&a.id)) {
            by_case.entry(&action.case_id).or_default().push(action);
        }
        for plan in &plans {
            if plan.opened {
                payloads.push(EventPayload::CollectionCaseOpened(plan.published()));
            }
            let level = self.level_reached(plan);
            for action in by_case.remove(&plan.case.id).unwrap_or_default() {
                let Some(step) = DunningStep::ALL
                    .into_iter()
                    .find(|s| action.dunning_step.as_deref() == Some(s.action_type()))
                else {
                    continue;
                };
                report.actions_recorded += 1;
                let mut after = plan.published();
                after.dunning_level = after.dunning_level.max(step.level());
                payloads.push(EventPayload::CollectionCaseStepTaken(after, action.clone()));
                if step == DunningStep::Suspension {
                    payloads.extend(
                        lines
                            .remove(&plan.case.client_id)
                            .unwrap_or_default()
                            .into_iter()
                            .map(EventPayload::ContractSuspended),
                    );
                }
            }
            // A case opened by this batch was written at its level.
            if !plan.opened && level != plan.case.dunning_level {
                levels.push((plan.case.id.clone(), level));
            }
        }
        uow.collections().set_dunning_levels(&levels, now)?;
        record_all(uow, self.ids.as_ref(), now, None, payloads)?;
        Ok(report)
    }

    /// The case's level once the steps its plan reaches are taken.
    fn level_reached(&self, plan: &Plan) -> i32 {
        DunningStep::reached(&self.ladder, plan.days)
            .into_iter()
            .map(DunningStep::level)
            .fold(plan.case.dunning_level, i32::max)
    }

    fn new_case(&self, client_id: &ClientId, now: OffsetDateTime) -> CollectionCase {
        CollectionCase::opened(CaseId::generate(self.ids.as_ref()), client_id.clone(), now)
    }

    fn system_action(
        &self,
        case_id: &CaseId,
        action_type: &str,
        note: String,
        step: Option<DunningStep>,
        now: OffsetDateTime,
    ) -> CaseAction {
        CaseAction {
            id: CaseActionId::generate(self.ids.as_ref()),
            case_id: case_id.clone(),
            action_type: action_type.into(),
            note: Some(note),
            automatic: true,
            actor_id: SYSTEM_ACTOR.into(),
            dunning_step: step.map(|s| s.action_type().into()),
            at: now,
        }
    }

    /// One audit entry by `system` per suspended contract, as the per-client path writes.
    fn audit_suspensions(
        &self,
        uow: &mut dyn UnitOfWork,
        suspended: &[Contract],
        now: OffsetDateTime,
    ) -> Result<()> {
        let entries: Vec<AuditEntry> = suspended
            .iter()
            .map(|contract| AuditEntry {
                id: AuditEntryId::generate(self.ids.as_ref()),
                contract_id: contract.id.clone(),
                at: now,
                actor_id: SYSTEM_ACTOR.into(),
                action: AuditAction::StatusChanged,
                before: Some(vec![("status".into(), "active".into())]),
                after: Some(vec![
                    ("status".into(), "suspended".into()),
                    ("reason".into(), "dunning".into()),
                ]),
            })
            .collect();
        if entries.is_empty() {
            return Ok(());
        }
        uow.contracts().append_audits(&entries)
    }

    /// The `contract.suspended` data of each suspended contract with its line, by client.
    fn line_changes(
        &self,
        uow: &mut dyn UnitOfWork,
        suspended: Vec<Contract>,
    ) -> Result<HashMap<ClientId, Vec<LineChange>>> {
        let mut lines: HashMap<ClientId, Vec<LineChange>> = HashMap::new();
        if suspended.is_empty() {
            return Ok(lines);
        }
        let wanted: Vec<_> = suspended.iter().map(|c| c.subscriber_id.clone()).collect();
        let subscribers: HashMap<_, _> = uow
            .subscribers()
            .find_many(&wanted)?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        for contract in suspended {
            let subscriber = subscribers
                .get(&contract.subscriber_id)
                .cloned()
                .ok_or(Error::NotFound(Resource::Subscriber))?;
            lines
                .entry(contract.client_id.clone())
                .or_default()
                .push(LineChange {
                    contract,
                    reason: LineChangeReason::Dunning,
                    subscriber,
                });
        }
        Ok(lines)
    }
}
