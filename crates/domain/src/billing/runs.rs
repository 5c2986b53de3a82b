//! `BillingService`: start (or resume) a billing run batch by batch under its idempotency
//! key, preview one (dry run), and read runs.
//!
//! A run spans many transactions, so `idempotency::execute` (one transaction) cannot hold
//! its key. Instead (decision 0030): the key is held by a [`KeyLocks`] lock for the whole
//! run; the run row remembers its key; each batch is idempotent by construction (it bills
//! only contracts without an invoice for the period, under a unique constraint); and the
//! final transaction completes the run *and* stores the key's response. A retry after a
//! crash finds no response, finds the run by its key, bills the rest and answers.

use std::sync::Arc;

use super::batch::{bill_batch, preview_batch, BatchShape, Cursor};
use super::{
    BillingRun, BillingRunStatus, InvoiceIdList, RunKey, RunPlan, RunProgress, RunRequest,
};
use crate::clock::Clock;
use crate::error::{Conflict, Error, Resource, Result, RuleViolation};
use crate::events::{record, EventPayload};
use crate::idempotency::{
    IdempotencyRecord, IdempotencyRequest, KeyLocks, Outcome, StoredResponse,
};
use crate::ids::IdGenerator;
use crate::money::{Money, CURRENCY};
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::telemetry;
use crate::tx::{transaction, TransactionRunner};
use crate::typed_ids::BillingRunId;

/// A run and the invoices it issued (empty for a dry run, which has no id: nothing is
/// stored, and `run.id` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// The run's figures.
    pub run: BillingRun,
    /// Its invoices, in number order.
    pub invoice_ids: InvoiceIdList,
}

/// Billing runs (P11).
#[derive(Clone)]
pub struct BillingService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    key_locks: Arc<dyn KeyLocks>,
    settings: Arc<Settings>,
    batch_size: i64,
    invoice_events: bool,
}

impl BillingService {
    /// Contracts per batch transaction.
    pub const DEFAULT_BATCH_SIZE: i64 = 5_000;

    /// Batches of one run in flight at once: while one worker writes its batch (holding the
    /// number sequence until it commits), the other claims and prices the next. Two overlap
    /// all there is to overlap; more would only queue on the sequence.
    const WORKERS: usize = 2;

    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            key_locks: ports.key_locks.clone(),
            settings: ports.settings.clone(),
            batch_size: Self::DEFAULT_BATCH_SIZE,
            invoice_events: true,
        }
    }

    /// The same service without `invoice.issued` events: only for the billing benchmark's
    /// baseline, which measures what the events cost. Never wired into the application.
    pub fn without_invoice_events(mut self) -> Self {
        self.invoice_events = false;
        self
    }

    /// The same service with another batch size (at least 1).
    pub fn with_batch_size(mut self, batch_size: i64) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Starts the run `request` asks for as `actor_id`, or resumes the one started with the
    /// same key, and answers `encode` of its report; replays the stored answer of a finished
    /// run. Errors: `IdempotencyKeyInUse` while another request holds the key,
    /// `IdempotencyKeyReused` for the same key with another request, `Validation`.
    /// A dry run writes nothing at all, not even the key's answer.
    pub fn run(
        &self,
        actor_id: &str,
        request: &RunRequest,
        key: &IdempotencyRequest,
        encode: impl Fn(&RunReport) -> Result<StoredResponse>,
    ) -> Result<Outcome> {
        let _held = self
            .key_locks
            .try_hold(&key.scope, &key.key)?
            .ok_or(Error::Conflict(Conflict::IdempotencyKeyInUse))?;
        let stored = transaction(self.tx.as_ref(), |uow| {
            uow.idempotency().find(&key.scope, &key.key)
        })?;
        if let Some(record) = stored {
            return if record.fingerprint == key.fingerprint {
                Ok(Outcome::Replayed(record.response))
            } else {
                Err(Error::Rule(RuleViolation::IdempotencyKeyReused))
            };
        }
        let plan = RunPlan::validate(request, self.clock.today(), &self.settings)?;
        if plan.dry_run {
            let report = self.preview(actor_id, &plan)?;
            return Ok(Outcome::Fresh(encode(&report)?));
        }
        // Billing comes first on the shared cores: the archive's sealer waits while this is
        // held and catches up after (decision 0325).
        let _billing = self.key_locks.hold_billing_run()?;
        let run = self.open(actor_id, &plan, key)?;
        let started = std::time::Instant::now();
        let billed = self.bill_all(&run);
        telemetry::billing_run(started.elapsed(), billed.is_ok());
        if let Err(error) = billed {
            // Best effort: the run shows as failed until a retry with its key resumes it.
            let now = self.clock.now();
            let _ = transaction(self.tx.as_ref(), |uow| {
                uow.billing_runs()
                    .set_status(&run.id, BillingRunStatus::Failed, now)
            });
            return Err(error);
        }
        self.finish(&run, key, encode)
    }

    /// The run with this id and its invoices; `NotFound(BillingRun)` for unknown ids.
    pub fn find(&self, id: &BillingRunId) -> Result<RunReport> {
        transaction(self.tx.as_ref(), |uow| {
            let run = uow
                .billing_runs()
                .find(id)?
                .ok_or(Error::NotFound(Resource::BillingRun))?;
            let invoice_ids = uow.invoices().ids_for_run(id)?;
            Ok(RunReport { run, invoice_ids })
        })
    }

    /// One page of the runs, in id (creation) order.
    pub fn list(&self, page: &PageRequest) -> Result<Page<BillingRun>> {
        let rows = transaction(self.tx.as_ref(), |uow| uow.billing_runs().list(page))?;
        Ok(Page::from_fetched(rows, page, |run| run.id.as_str()))
    }

    /// The run started with `key`, resumed, or a new one.
    fn open(&self, actor_id: &str, plan: &RunPlan, key: &IdempotencyRequest) -> Result<BillingRun> {
        let now = self.clock.now();
        transaction(self.tx.as_ref(), |uow| {
            match uow.billing_runs().find_by_key(&key.scope, &key.key)? {
                Some((run, fingerprint)) if fingerprint == key.fingerprint => {
                    uow.billing_runs()
                        .set_status(&run.id, BillingRunStatus::Running, now)?;
                    Ok(run)
                }
                Some(_) => Err(Error::Rule(RuleViolation::IdempotencyKeyReused)),
                None => {
                    let run = self.new_run(
                        actor_id,
                        plan,
                        now,
                        BillingRunId::generate(self.ids.as_ref()),
                    );
                    let run_key = RunKey {
                        scope: key.scope.clone(),
                        key: key.key.clone(),
                        fingerprint: key.fingerprint.clone(),
                    };
                    uow.billing_runs().insert(&run, &run_key)?;
                    Ok(run)
                }
            }
        })
    }

    fn new_run(
        &self,
        actor_id: &str,
        plan: &RunPlan,
        now: time::OffsetDateTime,
        id: BillingRunId,
    ) -> BillingRun {
        BillingRun {
            id,
            period: plan.period,
            issue_date: plan.issue_date,
            due_date: plan.due_date,
            status: BillingRunStatus::Running,
            dry_run: plan.dry_run,
            invoice_count: 0,
            skipped_count: 0,
            total_excl_tax: Money::ZERO,
            total_tax: Money::ZERO,
            total_incl_tax: Money::ZERO,
            currency: CURRENCY.to_owned(),
            actor_id: actor_id.to_owned(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Every batch of the run, from the first contract (those it already invoiced before an
    /// interruption are recognised and passed over).
    fn bill_all(&self, run: &BillingRun) -> Result<()> {
        let cursor = Cursor::default();
        // Resolved once for the run: each invoice refers to it instead of copying it.
        let seller = transaction(self.tx.as_ref(), |uow| {
            uow.invoices().seller_identity(&self.settings.seller)
        })?;
        // A worker that fails closes the cursor, so the other stops at its next claim.
        let work = || -> Result<()> {
            loop {
                match bill_batch(
                    self.tx.as_ref(),
                    self.ids.as_ref(),
                    run,
                    seller,
                    &cursor,
                    BatchShape {
                        limit: self.batch_size,
                        events: self.invoice_events,
                        clearance: self.settings.einvoicing,
                    },
                    self.clock.now(),
                ) {
                    Ok(true) => {}
                    Ok(false) => return Ok(()),
                    Err(error) => {
                        cursor.close();
                        return Err(error);
                    }
                }
            }
        };
        std::thread::scope(|scope| {
            let others: Vec<_> = (1..Self::WORKERS).map(|_| scope.spawn(work)).collect();
            let mine = work();
            others.into_iter().fold(mine, |first, other| {
                let theirs = other
                    .join()
                    .unwrap_or_else(|_| Err(Error::Storage("a billing worker panicked".into())));
                first.and(theirs)
            })
        })
    }

    /// Completes the run and stores the key's answer in one transaction.
    fn finish(
        &self,
        run: &BillingRun,
        key: &IdempotencyRequest,
        encode: impl Fn(&RunReport) -> Result<StoredResponse>,
    ) -> Result<Outcome> {
        let now = self.clock.now();
        transaction(self.tx.as_ref(), |uow| {
            uow.billing_runs()
                .set_status(&run.id, BillingRunStatus::Completed, now)?;
            let run = uow
                .billing_runs()
                .find(&run.id)?
                .ok_or(Error::NotFound(Resource::BillingRun))?;
            record(
                uow,
                self.ids.as_ref(),
                now,
                Some(&run.actor_id),
                EventPayload::BillingRunCompleted(run.clone()),
            )?;
            let invoice_ids = uow.invoices().ids_for_run(&run.id)?;
            let response = encode(&RunReport { run, invoice_ids })?;
            // The answer grows with the run (33 bytes per invoice): stored, then handed back,
            // never copied.
            let record = IdempotencyRecord {
                fingerprint: key.fingerprint.clone(),
                response,
            };
            uow.idempotency().save(&key.scope, &key.key, &record, now)?;
            Ok(Outcome::Fresh(record.response))
        })
    }

    /// The figures the run would have, read batch by batch without locks or writes.
    fn preview(&self, actor_id: &str, plan: &RunPlan) -> Result<RunReport> {
        let mut total = RunProgress::default();
        let mut after = String::new();
        while let Some((progress, last)) =
            preview_batch(self.tx.as_ref(), plan.period, &after, self.batch_size)?
        {
            total.add(&progress);
            after = last;
        }
        // A dry run stores nothing, so its run has no id (empty on the wire, as before).
        let mut run = self.new_run(
            actor_id,
            plan,
            self.clock.now(),
            BillingRunId::from_stored(String::new()),
        );
        run.status = BillingRunStatus::Completed;
        run.invoice_count = total.invoices;
        run.skipped_count = total.skipped;
        run.total_excl_tax = total.total_excl_tax;
        run.total_tax = total.total_tax;
        run.total_incl_tax = total.total_incl_tax;
        Ok(RunReport {
            run,
            invoice_ids: InvoiceIdList::default(),
        })
    }
}

#[cfg(test)]
#[path = "runs_tests.rs"]
mod tests;
