//! The credit engine: a client's available credit pays their open invoices, oldest due first
//! (then id), from the oldest source first, in the caller's transaction.

use time::OffsetDateTime;

use super::{CreditApplication, CreditSource, LedgerAction, LedgerAuditEntry};
use crate::billing::Invoice;
use crate::collections::allocate;
use crate::collections::SYSTEM_ACTOR;
use crate::error::Result;
use crate::events::{record_settlements, statuses};
use crate::ids::IdGenerator;
use crate::tx::UnitOfWork;
use crate::typed_ids::{ClientId, LedgerAuditEntryId};

/// Plans the use of `sources` (oldest first) on `open` (by due date, then id), client by
/// client. Updates the invoices (`amount_paid`, `status`) and the sources' `remaining` in
/// place and returns the applications, in order.
pub fn plan_applications(
    sources: &mut [CreditSource],
    open: &mut [Invoice],
) -> Vec<CreditApplication> {
    let mut applications = Vec::new();
    for source in sources.iter_mut() {
        // Only this client's invoices, in the order they were given.
        let mut own: Vec<&mut Invoice> = open
            .iter_mut()
            .filter(|i| i.client_id == source.client_id && !i.outstanding().is_zero())
            .collect();
        if own.is_empty() || source.remaining.is_zero() {
            continue;
        }
        let mut copies: Vec<Invoice> = own.iter().map(|i| (**i).clone()).collect();
        let before: Vec<_> = copies.iter().map(Invoice::outstanding).collect();
        let plan = allocate(source.remaining, None, &mut copies);
        for outcome in &plan.outcomes {
            let Some(index) = copies.iter().position(|i| i.id == outcome.invoice_id) else {
                continue;
            };
            applications.push(CreditApplication {
                source: source.source.clone(),
                client_id: source.client_id.clone(),
                invoice_id: outcome.invoice_id.clone(),
                amount: outcome.amount,
                outstanding_before: before[index],
                outstanding_after: outcome.outstanding_after,
                source_before: source.remaining,
            });
            source.remaining = source.remaining.saturating_sub(outcome.amount);
        }
        for (target, updated) in own.iter_mut().zip(copies) {
            **target = updated;
        }
    }
    applications
}

/// Applies the client's available credit to their open invoices (see
/// [`apply_available_credit_to_clients`]).
pub fn apply_available_credit(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    client: &ClientId,
    at: OffsetDateTime,
    actor: &str,
) -> Result<Vec<CreditApplication>> {
    apply_available_credit_to_clients(uow, ids, std::slice::from_ref(client), at, actor)
}

/// Applies the available credit of `clients` to their open invoices, in the caller's
/// transaction and in a fixed number of statements whatever the number of clients: locks
/// the open invoices, then the credit sources (decision 0151), plans, then saves the
/// invoices, the allocations naming their source, the sources' new credit and one ledger
/// audit entry per application. Returns the applications (empty when there is no credit or
/// nothing open).
pub fn apply_available_credit_to_clients(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    clients: &[ClientId],
    at: OffsetDateTime,
    actor: &str,
) -> Result<Vec<CreditApplication>> {
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    let mut open = uow.invoices().lock_open_invoices(clients)?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let mut sources = uow.ledger().lock_credit_sources(clients)?;
    if sources.is_empty() {
        return Ok(Vec::new());
    }
    let before = statuses(&open);
    let applications = plan_applications(&mut sources, &mut open);
    if applications.is_empty() {
        return Ok(applications);
    }
    let touched: Vec<Invoice> = open
        .into_iter()
        .filter(|i| applications.iter().any(|a| a.invoice_id == i.id))
        .map(|mut i| {
            i.updated_at = at;
            i
        })
        .collect();
    uow.invoices().save_settlements(&touched)?;
    // Credit is applied by whoever triggered it; `system` (billing, dunning) is no caller.
    let caller = Some(actor).filter(|a| *a != SYSTEM_ACTOR);
    // The engine has no clock: the instant's date stands for the business day (it only sets
    // the `overdue` flag of the published invoice).
    record_settlements(uow, ids, (at, at.date()), caller, &before, &touched)?;
    uow.ledger().record_applications(&applications, at)?;
    let entries: Vec<LedgerAuditEntry> = applications
        .iter()
        .map(|a| LedgerAuditEntry {
            id: LedgerAuditEntryId::generate(ids),
            client_id: a.client_id.clone(),
            document_kind: "invoice",
            document_id: a.invoice_id.to_string(),
            action: LedgerAction::CreditApplied,
            actor_id: actor.to_owned(),
            at,
            before: vec![
                ("outstanding".into(), a.outstanding_before.centimes()),
                (
                    format!("{}_credit", a.source.kind()),
                    a.source_before.centimes(),
                ),
            ],
            after: vec![
                ("outstanding".into(), a.outstanding_after.centimes()),
                (
                    format!("{}_credit", a.source.kind()),
                    a.source_before.saturating_sub(a.amount).centimes(),
                ),
                ("applied".into(), a.amount.centimes()),
            ],
        })
        .collect();
    uow.ledger().insert_audit(&entries)?;
    Ok(applications)
}
