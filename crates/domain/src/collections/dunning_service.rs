//! The dunning run (P15): opens cases for clients with overdue invoices, climbs the ladder
//! once per step and case, suspends and reactivates contracts, resolves cleared cases. Every
//! step is enforced by the database (unique indexes, row locks), so any number of server
//! instances may run it on the same day without doing anything twice.

use std::sync::Arc;

use time::{Date, OffsetDateTime};

use super::action::{CASE_OPENED, SYSTEM_ACTOR};
use super::contract_effects::suspend_active_contracts;
use super::dates::parse_past_date;
use super::dunning::DunningStep;
use super::hold::{oldest_counted_due, resume_shift, PromiseOutcome, PROMISE_BROKEN, PROMISE_KEPT};
use super::schedule::{catch_up_due, next_run, DailyAt, DUNNING_ZONE};
use super::settlement::settle_if_clear;
use super::{CaseAction, CaseStatus, CollectionCase};
use crate::clock::Clock;
use crate::error::{Result, Validator};
use crate::events::{record, EventPayload};
use crate::ids::IdGenerator;
use crate::money::Money;
use crate::ports::Ports;
use crate::settings::DunningLadder;
use crate::telemetry::{self, DunningSteps};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{CaseActionId, CaseId, ClientId, InvoiceId};

/// What a dunning run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DunningReport {
    /// Date the ladder was evaluated for.
    pub as_of: Date,
    /// Cases opened.
    pub cases_opened: usize,
    /// Ladder steps recorded as automatic actions.
    pub actions_recorded: usize,
    /// Contracts suspended.
    pub contracts_suspended: usize,
    /// Cases resolved because nothing was overdue any more.
    pub cases_resolved: usize,
    /// Contracts suspended by dunning and reactivated.
    pub contracts_reactivated: usize,
    /// Promises whose date passed without the amount paid (`promise_broken`).
    pub promises_broken: usize,
    /// Promises whose amount was paid (`promise_kept`).
    pub promises_kept: usize,
}

impl DunningReport {
    /// Nothing done yet.
    pub fn empty(as_of: Date) -> Self {
        Self {
            as_of,
            cases_opened: 0,
            actions_recorded: 0,
            contracts_suspended: 0,
            cases_resolved: 0,
            contracts_reactivated: 0,
            promises_broken: 0,
            promises_kept: 0,
        }
    }

    /// Adds what `other` did.
    pub fn add(&mut self, other: &DunningReport) {
        self.cases_opened += other.cases_opened;
        self.actions_recorded += other.actions_recorded;
        self.contracts_suspended += other.contracts_suspended;
        self.cases_resolved += other.cases_resolved;
        self.contracts_reactivated += other.contracts_reactivated;
        self.promises_broken += other.promises_broken;
        self.promises_kept += other.promises_kept;
    }
}

/// The dunning use case.
#[derive(Clone)]
pub struct DunningService {
    tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ids: Arc<dyn IdGenerator>,
    pub(super) ladder: DunningLadder,
    batch_size: usize,
}

impl DunningService {
    /// Wires the service to its ports and the configured ladder.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            ladder: ports.settings.dunning_ladder,
            batch_size: usize::try_from(ports.settings.dunning_batch_size)
                .unwrap_or(Self::DEFAULT_BATCH_SIZE)
                .max(1),
        }
    }

    /// Clients per batch transaction by default (`Settings::dunning_batch_size`, decision
    /// 0330).
    pub const DEFAULT_BATCH_SIZE: usize = 500;

    /// The same service with `size` clients per batch transaction (at least 1).
    pub fn with_batch_size(mut self, size: usize) -> Self {
        self.batch_size = size.max(1);
        self
    }

    /// Runs dunning for `as_of` (`YYYY-MM-DD`, not in the future; today when absent). One
    /// transaction per batch of clients, so a failure leaves the batches already done
    /// committed and the next run carries on.
    pub fn run(&self, as_of: Option<&str>) -> Result<DunningReport> {
        let started = std::time::Instant::now();
        let outcome = self.run_all(as_of).and_then(|report| {
            // Only a run for today is one the schedule and its catch-up can count on.
            if report.as_of == self.clock.today() {
                let now = self.clock.now();
                transaction(self.tx.as_ref(), |uow| {
                    uow.collections().record_dunning_run(now)
                })?;
            }
            Ok(report)
        });
        telemetry::dunning_run(
            started.elapsed(),
            self.clock.now(),
            outcome.as_ref().ok().map(|report| DunningSteps {
                cases_opened: report.cases_opened,
                actions_recorded: report.actions_recorded,
                contracts_suspended: report.contracts_suspended,
                cases_resolved: report.cases_resolved,
                contracts_reactivated: report.contracts_reactivated,
            }),
        );
        outcome
    }

    /// The next instant strictly after now at which the local time in Morocco reads `at`
    /// (the database's tz data gives the offsets, Ramadan included; decision 0195).
    pub fn next_scheduled_run(&self, at: DailyAt) -> Result<OffsetDateTime> {
        let now = self.clock.now();
        read(self.tx.as_ref(), |uow| {
            next_run(now, at, |instant| {
                uow.collections().utc_offset(DUNNING_ZONE, instant)
            })
        })
    }

    /// Whether a run must be caught up now: none completed yet, or the last more than a
    /// day ago.
    pub fn catch_up_due(&self) -> Result<bool> {
        let now = self.clock.now();
        let last = read(self.tx.as_ref(), |uow| uow.collections().last_dunning_run())?;
        Ok(catch_up_due(last, now))
    }

    fn run_all(&self, as_of: Option<&str>) -> Result<DunningReport> {
        let today = self.clock.today();
        let as_of = match as_of {
            None => today,
            Some(raw) => {
                let mut v = Validator::new();
                let date = v.check("as_of", parse_past_date(raw, today));
                v.finish_with(date)?
            }
        };
        let ladder = self.ladder;
        let clients = read(self.tx.as_ref(), |uow| {
            uow.collections().dunning_candidates(as_of, &ladder)
        })?;
        let mut report = DunningReport::empty(as_of);
        for batch in clients.chunks(self.batch_size) {
            let done = transaction(self.tx.as_ref(), |uow| self.run_batch_in(uow, batch, as_of))?;
            report.add(&done);
        }
        Ok(report)
    }

    /// Dunning of one client inside an existing unit of work.
    pub fn run_client_in(
        &self,
        uow: &mut dyn UnitOfWork,
        client_id: &ClientId,
        as_of: Date,
    ) -> Result<DunningReport> {
        let now = self.clock.now();
        let mut report = DunningReport::empty(as_of);
        // Lock the live case first, then read the overdue invoices: a payment that resolves
        // the case meanwhile is seen, never overwritten.
        let live = uow.collections().live_case_for_update(client_id)?;
        let overdue = uow.collections().overdue_invoices(client_id, as_of)?;
        if overdue.is_empty() {
            let settled = settle_if_clear(uow, self.ids.as_ref(), client_id, as_of, now)?;
            report.cases_resolved = usize::from(settled.case_resolved);
            report.contracts_reactivated = settled.contracts_reactivated;
            return Ok(report);
        }
        // Credit that covers the overdue debt is the client's money, not a debt: no case is
        // opened or climbed (decision 0180). The live case, if any, stays as it is.
        let overdue_total: Money = overdue.iter().map(|i| i.outstanding()).sum();
        if uow.ledger().credit_available(client_id)? >= overdue_total {
            return Ok(report);
        }
        // A case that ended (resolved, written off) covers the debt overdue when it ended:
        // only invoices due since then open a new case and count for the ladder.
        let ended = uow.collections().last_case_end(client_id)?;
        let any_followed = overdue
            .iter()
            .any(|i| ended.is_none_or(|end| i.due_date >= end.date()));
        // Published cases show the debt this run found, as reading the case would.
        let with_debt = |mut case: CollectionCase| {
            case.overdue_amount = overdue_total;
            case.invoice_ids = overdue.iter().map(|i| i.id.clone()).collect();
            case
        };
        let mut case = match live {
            Some(case) => case,
            None => {
                if !any_followed {
                    return Ok(report);
                }
                match self.open_case(uow, client_id, now)? {
                    Some(case) => {
                        report.cases_opened = 1;
                        record(
                            uow,
                            self.ids.as_ref(),
                            now,
                            None,
                            EventPayload::CollectionCaseOpened(with_debt(case.clone())),
                        )?;
                        case
                    }
                    None => return Ok(report),
                }
            }
        };
        let mut changed = false;
        // A promise to pay holds the ladder through its date; the day after, it is judged
        // and the ladder resumes at the next step (decisions 0240, 0241).
        if case.status == CaseStatus::PromiseToPay {
            let Some(outcome) = self.judge_promise(uow, &case, as_of, now)? else {
                return Ok(report);
            };
            case.status = case.status.transition(CaseStatus::InProgress)?;
            report.promises_broken = usize::from(outcome == PromiseOutcome::Broken);
            report.promises_kept = usize::from(outcome == PromiseOutcome::Kept);
            changed = true;
        }
        // The invoices of an open dispute count for nothing until it is closed.
        let held: Vec<InvoiceId> = if case.status == CaseStatus::Disputed {
            uow.collections().disputed_invoice_ids(&case.id)?
        } else {
            Vec::new()
        };
        let oldest_due = oldest_counted_due(&overdue, &held, ended).unwrap_or(as_of);
        let days_past_due = (as_of - oldest_due).whole_days();
        if changed {
            case.ladder_shift_days = resume_shift(
                &self.ladder,
                case.dunning_level,
                days_past_due,
                case.ladder_shift_days,
            );
        }
        let days = days_past_due - i64::from(case.ladder_shift_days);
        let mut level = case.dunning_level;
        for step in DunningStep::reached(&self.ladder, days) {
            let action = CaseAction {
                id: CaseActionId::generate(self.ids.as_ref()),
                case_id: case.id.clone(),
                action_type: step.action_type().into(),
                note: Some(step.note(days_past_due)),
                automatic: true,
                actor_id: SYSTEM_ACTOR.into(),
                dunning_step: Some(step.action_type().into()),
                at: now,
            };
            let recorded = uow.collections().insert_action(&action)?;
            if recorded {
                report.actions_recorded += 1;
                let mut after = with_debt(case.clone());
                after.dunning_level = after.dunning_level.max(step.level());
                record(
                    uow,
                    self.ids.as_ref(),
                    now,
                    None,
                    EventPayload::CollectionCaseStepTaken(after, action),
                )?;
                if step == DunningStep::Suspension {
                    report.contracts_suspended +=
                        suspend_active_contracts(uow, self.ids.as_ref(), client_id, now)?;
                }
            }
            level = level.max(step.level());
        }
        if changed || level != case.dunning_level {
            case.dunning_level = level;
            case.updated_at = now;
            uow.collections().update_case(&case)?;
        }
        Ok(report)
    }

    /// Records how the case's promise ended (`promise_kept` or `promise_broken`, by the
    /// system), or `None` while it still holds the ladder. A promise_to_pay case without
    /// terms (set before promises carried them) holds until an agent moves it on.
    fn judge_promise(
        &self,
        uow: &mut dyn UnitOfWork,
        case: &CollectionCase,
        as_of: Date,
        now: OffsetDateTime,
    ) -> Result<Option<PromiseOutcome>> {
        let Some(promise) = case.promise else {
            return Ok(None);
        };
        if as_of <= promise.date {
            return Ok(None);
        }
        let settled_now = uow.collections().settled_total(&case.client_id)?;
        let outcome = promise.outcome(settled_now, as_of);
        let (action_type, what) = match outcome {
            PromiseOutcome::Pending => return Ok(None),
            PromiseOutcome::Kept => (PROMISE_KEPT, "paid"),
            PromiseOutcome::Broken => (PROMISE_BROKEN, "not paid"),
        };
        let paid = settled_now.saturating_sub(promise.settled_before);
        uow.collections().insert_action(&CaseAction {
            id: CaseActionId::generate(self.ids.as_ref()),
            case_id: case.id.clone(),
            action_type: action_type.into(),
            note: Some(format!(
                "{} centimes promised by {}, {what} ({} centimes received since)",
                promise.amount.centimes(),
                promise.date,
                paid.centimes()
            )),
            automatic: true,
            actor_id: SYSTEM_ACTOR.into(),
            dunning_step: None,
            at: now,
        })?;
        Ok(Some(outcome))
    }

    /// Opens a case for the client; `None` when a concurrent run opened it first.
    fn open_case(
        &self,
        uow: &mut dyn UnitOfWork,
        client_id: &ClientId,
        now: OffsetDateTime,
    ) -> Result<Option<CollectionCase>> {
        let case =
            CollectionCase::opened(CaseId::generate(self.ids.as_ref()), client_id.clone(), now);
        if !uow.collections().insert_case(&case)? {
            // Another instance opened it and committed; it climbs the ladder for it.
            return Ok(None);
        }
        uow.collections().insert_action(&CaseAction {
            id: CaseActionId::generate(self.ids.as_ref()),
            case_id: case.id.clone(),
            action_type: CASE_OPENED.into(),
            note: Some("overdue invoices found by dunning".into()),
            automatic: true,
            actor_id: SYSTEM_ACTOR.into(),
            dunning_step: None,
            at: now,
        })?;
        Ok(Some(case))
    }
}
