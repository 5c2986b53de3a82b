//! One batch of a billing run: claim contracts, bill them, number and write the invoices, all
//! in one transaction.

use std::collections::HashMap;
use std::sync::Mutex;

use time::OffsetDateTime;

use super::engine::{bill, bill_account, InvoiceDraft};
use super::{
    BatchQuery, BillableContract, BillingRun, Candidate, Invoice, InvoiceStatus, Period,
    RunProgress,
};
use crate::einvoicing::{Clearance, ClearedDocument, PendingClearance};
use crate::error::{Conflict, Error, Result};
use crate::events::{record_all, EventPayload, InvoiceAsOf};
use crate::ids::IdGenerator;
use crate::ledger::apply_available_credit_to_clients;
use crate::money::{Money, CURRENCY};
use crate::numbering::format_number;
use crate::parties::{BuyerIdentity, SellerIdentityId};
use crate::telemetry;
use crate::tx::{transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, PendingChargeId};

/// Name of the invoice number sequence (`FAC-YYYY-NNNNNN`).
pub const INVOICE_SEQUENCE: &str = "FAC";

/// How often a batch is retried when a concurrent run invoiced one of its contracts first.
const ATTEMPTS: usize = 3;

/// What a batch found among its candidates.
#[derive(Debug, Default)]
pub(crate) struct Sorted {
    /// Invoices to write.
    pub drafts: Vec<InvoiceDraft>,
    /// Billable contracts another run already invoiced.
    pub skipped: i64,
}

/// Sorts candidates out: those invoiced by `own_run` are done (a resumed run), those
/// invoiced by any other run are skipped, the rest are billed if the engine says so.
pub(crate) fn sort_out(
    candidates: &[Candidate],
    period: Period,
    own_run: Option<&BillingRunId>,
) -> Sorted {
    let mut sorted = Sorted::default();
    for candidate in candidates {
        match candidate.invoiced_by.as_ref() {
            Some(run) if Some(run) == own_run => {}
            Some(_) => sorted.skipped += 1,
            None => match &candidate.account {
                None => sorted.drafts.extend(bill(&candidate.contract, period)),
                Some(others) => {
                    let contracts: Vec<&BillableContract> =
                        std::iter::once(&candidate.contract).chain(others).collect();
                    sorted.drafts.extend(bill_account(&contracts, period));
                }
            },
        }
    }
    sorted
}

/// The figures of a set of drafts.
pub(crate) fn progress_of(sorted: &Sorted) -> RunProgress {
    RunProgress {
        invoices: i64::try_from(sorted.drafts.len()).unwrap_or(i64::MAX),
        skipped: sorted.skipped,
        total_excl_tax: sorted.drafts.iter().map(|d| d.total_excl_tax).sum(),
        total_tax: sorted.drafts.iter().map(|d| d.total_tax).sum(),
        total_incl_tax: sorted.drafts.iter().map(|d| d.total_incl_tax).sum(),
    }
}

/// Where the next batch of a run starts. Batches are claimed one after the other in contract
/// id order, each right after the previous claim, not after the previous commit: a worker
/// claims and prices the next batch while another writes its own (decision 0094).
#[derive(Debug, Default)]
pub(crate) struct Cursor {
    state: Mutex<CursorState>,
}

#[derive(Debug, Default)]
struct CursorState {
    /// Last contract id claimed.
    after: String,
    /// No contract left, or a worker failed: no more claims.
    closed: bool,
    /// Candidates to claim next, once a claim has shown how many contracts each brings
    /// (decision 0386): `None` until then, which claims the shape's limit.
    limit: Option<i64>,
}

/// How many candidates to claim so that a batch bills about `limit` contracts, given that the
/// last claim's `candidates` brought `contracts` (a per-account leader brings its client's
/// other contracts too).
fn scaled_limit(limit: i64, candidates: usize, contracts: usize) -> i64 {
    let candidates = i64::try_from(candidates).unwrap_or(i64::MAX);
    let contracts = i64::try_from(contracts).unwrap_or(i64::MAX).max(1);
    (limit.saturating_mul(candidates) / contracts).clamp(1, limit)
}

impl Cursor {
    /// Stops further claims (a worker failed: the run stops and can be resumed).
    pub(crate) fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
        }
    }
}

/// How each batch of a run is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BatchShape {
    /// Contracts claimed per batch.
    pub limit: i64,
    /// Whether the batch records its `invoice.issued` events (always, but for the
    /// benchmark's baseline).
    pub events: bool,
    /// Whether the batch's invoices wait for clearance (`MTF_EINVOICING` on): their
    /// clearances are written `pending` in one statement (issue #18).
    pub clearance: bool,
}

/// Claims the next batch of `run` at `cursor` and bills it; returns whether a batch was
/// found (`false`: nothing left to claim). The cursor stays locked until the claim is read,
/// so two workers never claim the same range. Retried when a concurrent run wins a contract
/// between this batch's read and its write (the unique (contract, period) constraint refuses
/// the duplicate and the whole batch, numbers included, rolls back); a retry claims again
/// from the same place.
pub(crate) fn bill_batch(
    tx: &dyn TransactionRunner,
    ids: &dyn IdGenerator,
    run: &BillingRun,
    seller: SellerIdentityId,
    cursor: &Cursor,
    shape: BatchShape,
    now: OffsetDateTime,
) -> Result<bool> {
    let mut held = Some(
        cursor
            .state
            .lock()
            .map_err(|_| Error::Storage("billing cursor poisoned".into()))?,
    );
    let (after, limit) = match held.as_deref() {
        Some(state) if !state.closed => (state.after.clone(), state.limit.unwrap_or(shape.limit)),
        _ => return Ok(false),
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = transaction(tx, |uow| {
            let candidates = uow.billing_runs().candidates(&BatchQuery {
                period: run.period,
                after: after.clone(),
                limit,
                lock: true,
            })?;
            if let Some(mut state) = held.take() {
                match candidates.last() {
                    Some(last) => last
                        .contract
                        .contract_id
                        .as_str()
                        .clone_into(&mut state.after),
                    None => state.closed = true,
                }
                let contracts = candidates
                    .iter()
                    .map(|c| 1 + c.account.as_ref().map_or(0, Vec::len))
                    .sum();
                state.limit = Some(scaled_limit(shape.limit, candidates.len(), contracts));
            }
            if candidates.is_empty() {
                return Ok(None);
            }
            bill_claimed(uow, ids, run, seller, (run.period, shape), &candidates, now).map(Some)
        });
        match result {
            Err(Error::Conflict(Conflict::InvoiceAlreadyIssued)) if attempt < ATTEMPTS => {}
            Ok(issued) => {
                // Counted once committed: a rolled-back batch issued nothing.
                if let Some(count) = issued {
                    telemetry::invoices_issued(count);
                }
                return Ok(issued.is_some());
            }
            Err(error) => return Err(error),
        }
    }
}

/// Bills claimed candidates: numbers and writes their invoices, adds the batch's figures.
fn bill_claimed(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    run: &BillingRun,
    seller: SellerIdentityId,
    (period, shape): (Period, BatchShape),
    candidates: &[Candidate],
    now: OffsetDateTime,
) -> Result<i64> {
    let sorted = sort_out(candidates, period, Some(&run.id));
    let progress = progress_of(&sorted);
    if !sorted.drafts.is_empty() {
        let buyers = buyers_of(uow, &sorted.drafts)?;
        // Reserved last, just before the write, so the sequence row stays locked briefly;
        // exactly as many numbers as invoices, in this transaction: no gap, even on rollback.
        // The lock also orders the writes of a run's workers.
        let year = run.issue_date.year();
        let first = uow
            .sequences()
            .reserve(INVOICE_SEQUENCE, year, progress.invoices)?;
        let invoices: Vec<Invoice> = sorted
            .drafts
            .into_iter()
            .zip(first..)
            .map(|(draft, number)| {
                // Contracts keep their client by foreign key: a missing one is a fault.
                let buyer = buyers.get(&draft.client_id).cloned().ok_or_else(|| {
                    Error::Storage(format!("client {} of a billed contract", draft.client_id))
                })?;
                Ok(issue(
                    draft,
                    Issued {
                        run,
                        buyer,
                        seller,
                        number: format_number(INVOICE_SEQUENCE, year, number),
                    },
                    ids,
                    now,
                ))
            })
            .collect::<Result<_>>()?;
        uow.invoices().insert_batch(&invoices)?;
        if shape.clearance {
            uow.clearances()
                .insert_pending(&pending_clearances(&invoices), now)?;
        }
        if shape.events {
            // One write for the whole batch (decision 0262), before the credit applied just
            // below, which tells its own `invoice.paid` after the `invoice.issued`.
            let today = run.issue_date;
            record_all(
                uow,
                ids,
                now,
                Some(&run.actor_id),
                invoices.iter().map(|invoice| {
                    EventPayload::InvoiceIssued(InvoiceAsOf {
                        invoice: invoice.clone(),
                        today,
                        clearance: shape
                            .clearance
                            .then(|| Clearance::pending(&pending_clearance(invoice), now)),
                    })
                }),
            )?;
        }
        consume_pending_charges(uow, candidates, &invoices)?;
        bill_late_usage(uow, candidates, &invoices, period)?;
        apply_credit_of_billed_clients(uow, ids, &invoices, &run.actor_id, now)?;
    }
    uow.billing_runs().add_progress(&run.id, &progress, now)?;
    Ok(progress.invoices)
}

/// The clearances a batch's invoices wait for.
fn pending_clearances(invoices: &[Invoice]) -> Vec<PendingClearance> {
    invoices.iter().map(pending_clearance).collect()
}

/// The clearance `invoice` waits for.
fn pending_clearance(invoice: &Invoice) -> PendingClearance {
    PendingClearance {
        document: ClearedDocument::Invoice(invoice.id.clone()),
        number: invoice.invoice_number.clone(),
    }
}

/// Marks the regularisation charges the batch's invoices billed, in one statement for the
/// batch (decision 0251). `bill` puts every pending charge of a contract on its invoice, so
/// the charges of each invoiced candidate are exactly those billed.
fn consume_pending_charges(
    uow: &mut dyn UnitOfWork,
    candidates: &[Candidate],
    invoices: &[Invoice],
) -> Result<()> {
    let mut billed: Vec<(PendingChargeId, InvoiceId)> = Vec::new();
    // Every contract of the batch, a per-account client's others included: a contract's
    // charges are billed on the invoice that holds its lines (its own, or its account's).
    let with_charges = candidates
        .iter()
        .flat_map(|c| std::iter::once(&c.contract).chain(c.account.iter().flatten()))
        .filter(|contract| !contract.pending_charges.is_empty());
    for contract in with_charges {
        let contract_id = &contract.contract_id;
        let holder = invoices
            .iter()
            .find(|i| i.lines.iter().any(|l| &l.contract_id == contract_id));
        if let Some(invoice) = holder {
            billed.extend(
                contract
                    .pending_charges
                    .iter()
                    .map(|charge| (charge.id.clone(), invoice.id.clone())),
            );
        }
    }
    if billed.is_empty() {
        return Ok(());
    }
    uow.billing_runs().consume_pending_charges(&billed)
}

/// Marks the late usage records the batch's invoices billed, in one statement for the batch
/// (decision 0377). `bill` rates every late month a contract carries onto the invoice that
/// holds its lines, so each such contract's late records are billed there, those whose
/// units added nothing (they fit in what was left of the allowance) included: they were
/// rated, and must not be rated again. A contract with no invoice this month keeps them for
/// its next one.
fn bill_late_usage(
    uow: &mut dyn UnitOfWork,
    candidates: &[Candidate],
    invoices: &[Invoice],
    period: Period,
) -> Result<()> {
    let billed: Vec<(ContractId, InvoiceId)> = candidates
        .iter()
        .flat_map(|c| std::iter::once(&c.contract).chain(c.account.iter().flatten()))
        .filter(|contract| !contract.late.is_empty())
        .filter_map(|contract| {
            let holder = invoices.iter().find(|i| {
                i.lines
                    .iter()
                    .any(|l| l.contract_id == contract.contract_id)
            })?;
            Some((contract.contract_id.clone(), holder.id.clone()))
        })
        .collect();
    if billed.is_empty() {
        return Ok(());
    }
    uow.billing_runs().bill_late_usage(&billed, period)?;
    Ok(())
}

/// The buyer of each client of the drafts, read in one statement for the whole batch: the
/// snapshot every invoice keeps of its client (decision 0200).
fn buyers_of(
    uow: &mut dyn UnitOfWork,
    drafts: &[InvoiceDraft],
) -> Result<HashMap<ClientId, BuyerIdentity>> {
    let mut clients: Vec<ClientId> = drafts.iter().map(|d| d.client_id.clone()).collect();
    clients.sort();
    clients.dedup();
    Ok(uow
        .clients()
        .find_many(&clients)?
        .iter()
        .map(|client| (client.id.clone(), BuyerIdentity::of(client)))
        .collect())
}

/// Clients of the batch who hold credit have it applied to their new invoices, in the
/// batch's transaction and in a few statements for the whole batch (decision 0180). Most
/// batches stop at the first, unlocked, statement: nobody in them has credit.
fn apply_credit_of_billed_clients(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    invoices: &[Invoice],
    actor: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let mut clients: Vec<ClientId> = invoices.iter().map(|i| i.client_id.clone()).collect();
    clients.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    clients.dedup();
    let with_credit = uow.ledger().clients_with_credit(&clients)?;
    apply_available_credit_to_clients(uow, ids, &with_credit, now, actor)?;
    Ok(())
}

/// What an invoice is issued with besides its draft.
struct Issued<'a> {
    run: &'a BillingRun,
    buyer: BuyerIdentity,
    seller: SellerIdentityId,
    number: String,
}

/// The invoice of `draft`, issued by `run` under `number`.
fn issue(
    draft: InvoiceDraft,
    issued: Issued<'_>,
    ids: &dyn IdGenerator,
    now: OffsetDateTime,
) -> Invoice {
    let run = issued.run;
    Invoice {
        id: InvoiceId::generate(ids),
        invoice_number: issued.number,
        billing_run_id: run.id.clone(),
        client_id: draft.client_id,
        contract_id: draft.contract_id,
        invoicing: draft.invoicing,
        offer_id: draft.offer_id,
        service_type: draft.service_type,
        buyer: issued.buyer,
        service_identifier: draft.service_identifier,
        seller_id: issued.seller,
        period: run.period,
        issue_date: run.issue_date,
        due_date: run.due_date,
        status: InvoiceStatus::Issued,
        lines: draft.lines,
        total_excl_tax: draft.total_excl_tax,
        total_tax: draft.total_tax,
        total_incl_tax: draft.total_incl_tax,
        amount_paid: Money::ZERO,
        credited_amount: Money::ZERO,
        credit_note_ids: Vec::new(),
        replaces_invoice_id: None,
        usage: draft.usage,
        currency: CURRENCY.to_owned(),
        created_at: now,
        updated_at: now,
    }
}

/// Reads the batch after `after` without locking or writing, for a dry run; returns its
/// figures and the last contract id looked at (`None` when no contract is left).
pub(crate) fn preview_batch(
    tx: &dyn TransactionRunner,
    period: Period,
    after: &str,
    limit: i64,
) -> Result<Option<(RunProgress, String)>> {
    transaction(tx, |uow| {
        let candidates = uow.billing_runs().candidates(&BatchQuery {
            period,
            after: after.to_owned(),
            limit,
            lock: false,
        })?;
        let Some(last) = candidates
            .last()
            .map(|c| c.contract.contract_id.to_string())
        else {
            return Ok(None);
        };
        Ok(Some((
            progress_of(&sort_out(&candidates, period, None)),
            last,
        )))
    })
}
