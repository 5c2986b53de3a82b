//! `ClearanceWorker`: the background submission of pending documents, on every instance.
//! Claims are `FOR UPDATE SKIP LOCKED` with a lease, so instances never submit the same
//! document at once and a worker that dies leaves its claim to the next one (decision 0312).
//! A final verdict is told as an event (`invoice.cleared`, `credit_note.rejected`, …) in the
//! transaction that records it (decision 0316).

use std::sync::Arc;

use time::OffsetDateTime;

use super::{
    ClaimedClearance, ClearanceOutcome, ClearanceSettings, ClearanceStatus, ClearedDocument,
    Submission, TaxAuthority, UblRenderer, Verdict,
};
use crate::billing::invoice_document;
use crate::clock::Clock;
use crate::credit_notes::credit_note_document;
use crate::error::{Error, Resource, Result};
use crate::events::{record, CreditNoteOf, EventPayload, InvoiceAsOf};
use crate::ids::IdGenerator;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};

/// Submits pending documents to the tax authority and records the verdicts.
#[derive(Clone)]
pub struct ClearanceWorker {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    authority: Arc<dyn TaxAuthority>,
    ubl: Arc<dyn UblRenderer>,
    settings: ClearanceSettings,
}

impl ClearanceWorker {
    /// Wires the worker to its ports.
    pub fn new(
        (tx, clock, ids): (
            Arc<dyn TransactionRunner>,
            Arc<dyn Clock>,
            Arc<dyn IdGenerator>,
        ),
        authority: Arc<dyn TaxAuthority>,
        ubl: Arc<dyn UblRenderer>,
        settings: ClearanceSettings,
    ) -> Self {
        Self {
            tx,
            clock,
            ids,
            authority,
            ubl,
            settings,
        }
    }

    /// Its pacing.
    pub fn settings(&self) -> &ClearanceSettings {
        &self.settings
    }

    /// One round: claims at most `batch` due documents (committed at once, so other
    /// instances skip them), submits each and records its verdict. Returns the number
    /// claimed (0: nothing due).
    pub fn run_round(&self) -> Result<usize> {
        let claimed = self.claim_due()?;
        for document in &claimed {
            self.submit(document)?;
        }
        Ok(claimed.len())
    }

    /// Claims the due documents for this worker.
    pub fn claim_due(&self) -> Result<Vec<ClaimedClearance>> {
        let now = self.clock.now();
        let lease_until = now + self.settings.lease;
        let limit = self.settings.batch;
        transaction(self.tx.as_ref(), |uow| {
            uow.clearances().claim_due(now, lease_until, limit)
        })
    }

    /// Submits one claimed document and records the outcome. A document that cannot be
    /// rendered is recorded as an error and retried after the backoff, as an unavailable
    /// authority is: both are visible in the operators' last error. Whether it was recorded
    /// (`false`: claimed again since, that later attempt records instead).
    pub fn submit(&self, claimed: &ClaimedClearance) -> Result<bool> {
        let verdict = match self.submission(claimed) {
            Ok(submission) => self.authority.submit(&submission),
            Err(error) => Verdict::Unavailable {
                error: format!("the document could not be prepared: {error}"),
            },
        };
        let now = self.clock.now();
        let outcome = match verdict {
            Verdict::Cleared {
                reference,
                cleared_at,
                verification_code,
            } => ClearanceOutcome::Cleared {
                reference,
                cleared_at,
                verification_code,
            },
            Verdict::Rejected { reasons } => ClearanceOutcome::Rejected { reasons },
            Verdict::Unavailable { error } => ClearanceOutcome::Retry {
                error,
                retry_at: now + self.settings.backoff_after(claimed.attempt),
            },
        };
        let is_final = !matches!(outcome, ClearanceOutcome::Retry { .. });
        transaction(self.tx.as_ref(), |uow| {
            let recorded = uow.clearances().record(claimed, &outcome, now)?;
            if recorded && is_final {
                self.tell_verdict(uow, &claimed.document, now)?;
            }
            Ok(recorded)
        })
    }

    /// Records `invoice.cleared`, `invoice.rejected`, `credit_note.cleared` or
    /// `credit_note.rejected` for `document`, whose final verdict was just recorded in
    /// `uow`: the resource as the API answers it, with its clearance.
    fn tell_verdict(
        &self,
        uow: &mut dyn UnitOfWork,
        document: &ClearedDocument,
        now: OffsetDateTime,
    ) -> Result<()> {
        let clearance = uow
            .clearances()
            .find(document.id())?
            .ok_or_else(|| Error::Storage(format!("clearance of {} vanished", document.id())))?;
        let cleared = clearance.status == ClearanceStatus::Cleared;
        let payload = match document {
            ClearedDocument::Invoice(id) => {
                let invoice = uow
                    .invoices()
                    .find(id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let of = InvoiceAsOf {
                    invoice,
                    today: self.clock.today(),
                    clearance: Some(clearance),
                };
                if cleared {
                    EventPayload::InvoiceCleared(of)
                } else {
                    EventPayload::InvoiceRejected(of)
                }
            }
            ClearedDocument::CreditNote(id) => {
                let note = uow
                    .credit_notes()
                    .find(id)?
                    .ok_or(Error::NotFound(Resource::CreditNote))?;
                let of = CreditNoteOf {
                    note,
                    clearance: Some(clearance),
                };
                if cleared {
                    EventPayload::CreditNoteCleared(of)
                } else {
                    EventPayload::CreditNoteRejected(of)
                }
            }
        };
        // The platform's verdict, not an actor's.
        record(uow, self.ids.as_ref(), now, None, payload)
    }

    /// The submission of a claimed document: its UBL and the facts checked against it,
    /// from the stored document as issued.
    pub fn submission(&self, claimed: &ClaimedClearance) -> Result<Submission> {
        read(self.tx.as_ref(), |uow| self.submission_in(uow, claimed))
    }

    fn submission_in(
        &self,
        uow: &mut dyn UnitOfWork,
        claimed: &ClaimedClearance,
    ) -> Result<Submission> {
        match &claimed.document {
            ClearedDocument::Invoice(id) => {
                let invoice = uow
                    .invoices()
                    .find(id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let parties = uow
                    .invoices()
                    .parties(id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let document = invoice_document(&invoice, parties);
                Ok(Submission {
                    kind: claimed.document.kind(),
                    document_id: id.to_string(),
                    number: invoice.invoice_number.clone(),
                    issue_date: invoice.issue_date,
                    total_incl_tax: invoice.total_incl_tax.centimes(),
                    currency: invoice.currency.clone(),
                    seller_ice: document.seller.ice.clone(),
                    ubl: self.ubl.invoice(&document)?,
                })
            }
            ClearedDocument::CreditNote(id) => {
                let note = uow
                    .credit_notes()
                    .find(id)?
                    .ok_or(Error::NotFound(Resource::CreditNote))?;
                let invoice = uow
                    .invoices()
                    .find(&note.invoice_id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let parties = uow
                    .invoices()
                    .parties(&note.invoice_id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let document = credit_note_document(&note, &invoice, parties);
                Ok(Submission {
                    kind: claimed.document.kind(),
                    document_id: id.to_string(),
                    number: note.credit_note_number.clone(),
                    issue_date: note.issue_date,
                    total_incl_tax: note.total_incl_tax.centimes(),
                    currency: note.currency.clone(),
                    seller_ice: document.seller.ice.clone(),
                    ubl: self.ubl.credit_note(&document)?,
                })
            }
        }
    }
}
