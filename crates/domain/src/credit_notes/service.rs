//! `CreditNoteService`: issue a credit note (one transaction, under the invoice's lock),
//! read notes, their PDF, and the client's notes on the landing.

use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use super::rules::{credit_lines, effect_on};
use super::{
    credit_note_document, CreditNote, CreditNoteFilter, CreditNoteInput, IssuedCreditNote,
    CREDIT_NOTE_SEQUENCE,
};
use crate::billing::Invoice;
use crate::clients::Cin;
use crate::clock::Clock;
use crate::documents::{ClearanceStamp, DocumentRenderer};
use crate::einvoicing::{
    clearance_statuses, ensure_cleared, is_offered, Clearance, ClearanceStatus, ClearedDocument,
    PendingClearance, UblRenderer,
};
use crate::error::{Error, Resource, Result};
use crate::events::{record, record_settlements, statuses, CreditNoteOf, EventPayload};
use crate::ids::IdGenerator;
use crate::ledger::{apply_available_credit, LedgerAction, LedgerAuditEntry};
use crate::money::Money;
use crate::numbering::format_number;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tokens::{TokenPurpose, TokenService};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{CreditNoteId, InvoiceId, LedgerAuditEntryId};

/// A credit note as its client sees it on the landing, with a link token to its PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCreditNote {
    /// The note.
    pub note: CreditNote,
    /// Token opening this note's document, and only it; `None` while it is not offered
    /// (e-invoicing on and not cleared).
    pub document_token: Option<String>,
    /// Where it stands at the tax authority; `None` with e-invoicing off or for a note
    /// issued while it was off.
    pub clearance: Option<ClearanceStatus>,
    /// When the token expires.
    pub document_expires_at: OffsetDateTime,
}

/// Credit notes: issue, reads, documents.
#[derive(Clone)]
pub struct CreditNoteService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    renderer: Arc<dyn DocumentRenderer>,
    ubl: Arc<dyn UblRenderer>,
    tokens: Arc<dyn TokenService>,
    settings: Arc<Settings>,
}

impl CreditNoteService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            renderer: ports.renderer.clone(),
            ubl: ports.ubl.clone(),
            tokens: ports.tokens.clone(),
            settings: ports.settings.clone(),
        }
    }

    /// Issues a note in its own transaction.
    pub fn issue(
        &self,
        invoice_id: &InvoiceId,
        input: &CreditNoteInput,
        actor_id: &str,
    ) -> Result<IssuedCreditNote> {
        transaction(self.tx.as_ref(), |uow| {
            self.issue_in(uow, invoice_id, input, actor_id)
        })
    }

    /// Issues a credit note on `invoice_id`: validates the body, locks the invoice, credits
    /// what is asked (or all that remains) within what its lines have left, takes the next
    /// `AV-` number, stores the note, updates the invoice and audits the write. Everything in
    /// `uow`'s transaction, so a refused note changes nothing and consumes no number.
    pub fn issue_in(
        &self,
        uow: &mut dyn UnitOfWork,
        invoice_id: &InvoiceId,
        input: &CreditNoteInput,
        actor_id: &str,
    ) -> Result<IssuedCreditNote> {
        let command = input.validate()?;
        // Lock order of decision 0151: the invoice and its client's open invoices in one
        // statement, in (due date, id) order, as payments and reversals take them, so that
        // applying the note's credit below never waits on an invoice while holding a later
        // one. An invoice's client never changes, so it may be read before the lock.
        let client_id = uow
            .invoices()
            .find(invoice_id)?
            .ok_or(Error::NotFound(Resource::Invoice))?
            .client_id;
        uow.ledger()
            .lock_invoices(std::slice::from_ref(invoice_id), &client_id)?;
        let invoice = uow
            .invoices()
            .lock(invoice_id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        let credited = uow.credit_notes().credited_lines(invoice_id)?;
        let lines = credit_lines(&invoice, &credited, command.lines.as_deref())?;
        let total_excl_tax: Money = lines.iter().map(|l| l.amount_excl_tax).sum();
        let total_tax: Money = lines.iter().map(|l| l.tax_amount).sum();
        let total_incl_tax = total_excl_tax.saturating_add(total_tax);
        let effect = effect_on(&invoice, total_incl_tax);

        let now = self.clock.now();
        let today = self.clock.today();
        let year = today.year();
        let number = uow.sequences().reserve(CREDIT_NOTE_SEQUENCE, year, 1)?;
        let note = CreditNote {
            id: CreditNoteId::generate(self.ids.as_ref()),
            credit_note_number: format_number(CREDIT_NOTE_SEQUENCE, year, number),
            invoice_id: invoice.id.clone(),
            client_id: invoice.client_id.clone(),
            issue_date: today,
            reason: command.reason,
            lines,
            total_excl_tax,
            total_tax,
            total_incl_tax,
            applied_to_invoice: effect.applied_to_invoice,
            credited_to_balance: effect.credited_to_balance,
            credit_remaining: effect.credited_to_balance,
            currency: invoice.currency.clone(),
            actor_id: actor_id.to_owned(),
            created_at: now,
        };
        uow.credit_notes().insert(&note)?;
        let clearance = if self.settings.einvoicing {
            // A credit note is cleared as its invoice is, before it is offered (issue #18).
            let pending = PendingClearance {
                document: ClearedDocument::CreditNote(note.id.clone()),
                number: note.credit_note_number.clone(),
            };
            uow.clearances()
                .insert_pending(std::slice::from_ref(&pending), now)?;
            Some(Clearance::pending(&pending, now))
        } else {
            None
        };
        let corrected = Invoice {
            credited_amount: effect.credited_amount,
            status: effect.status,
            updated_at: now,
            ..invoice.clone()
        };
        uow.invoices().save_credit(&corrected)?;
        let ids = self.ids.as_ref();
        record(
            uow,
            ids,
            now,
            Some(actor_id),
            EventPayload::CreditNoteIssued(CreditNoteOf {
                note: note.clone(),
                clearance,
            }),
        )?;
        record_settlements(
            uow,
            ids,
            (now, today),
            Some(actor_id),
            &statuses(std::slice::from_ref(&invoice)),
            // As the API will read it: with this note among its credit notes.
            &[Invoice {
                credit_note_ids: invoice
                    .credit_note_ids
                    .iter()
                    .cloned()
                    .chain([note.id.clone()])
                    .collect(),
                ..corrected.clone()
            }],
        )?;
        uow.ledger().insert_audit(&[LedgerAuditEntry {
            id: LedgerAuditEntryId::generate(self.ids.as_ref()),
            client_id: invoice.client_id.clone(),
            document_kind: "credit_note",
            document_id: note.id.to_string(),
            action: LedgerAction::CreditNoteIssued,
            actor_id: actor_id.to_owned(),
            at: now,
            before: figures(&invoice),
            after: figures(&corrected),
        }])?;
        // Credit is used, never stranded: what the note credited to the client pays their
        // open invoices now, in this transaction (decision 0151).
        if !note.credited_to_balance.is_zero() {
            apply_available_credit(uow, self.ids.as_ref(), &invoice.client_id, now, actor_id)?;
        }
        Ok(IssuedCreditNote {
            note,
            invoice_status: effect.status,
            invoice_outstanding: effect.outstanding,
        })
    }

    /// One page of the notes matching `filter`, in id order.
    pub fn list(&self, filter: &CreditNoteFilter, page: &PageRequest) -> Result<Page<CreditNote>> {
        // A note and its lines are written in one transaction and lines never change, so two
        // statements outside a transaction agree (as invoices, decision 0089).
        let rows = read(self.tx.as_ref(), |uow| {
            uow.credit_notes().list(filter, page)
        })?;
        Ok(Page::from_fetched(rows, page, |note| note.id.as_str()))
    }

    /// The note with this id; `NotFound(CreditNote)` when there is none.
    pub fn get(&self, id: &CreditNoteId) -> Result<CreditNote> {
        read(self.tx.as_ref(), |uow| find_in(uow, id))
    }

    /// Ids of the invoice's notes, oldest first.
    pub fn ids_for_invoice(&self, invoice_id: &InvoiceId) -> Result<Vec<CreditNoteId>> {
        read(self.tx.as_ref(), |uow| {
            uow.credit_notes().ids_for_invoice(invoice_id)
        })
    }

    /// The note's PDF: rendered at its first download and stored, then served unchanged.
    pub fn pdf(&self, id: &CreditNoteId) -> Result<Vec<u8>> {
        transaction(self.tx.as_ref(), |uow| self.pdf_in(uow, id))
    }

    /// `pdf` inside an existing unit of work.
    pub fn pdf_in(&self, uow: &mut dyn UnitOfWork, id: &CreditNoteId) -> Result<Vec<u8>> {
        find_in(uow, id)?;
        let stamp = ensure_cleared(uow, &self.settings, id.as_str())?;
        self.stored_pdf_in(uow, id, stamp.as_ref())
    }

    /// The stored PDF, or rendered with `stamp` and stored now (first copy wins), without
    /// the clearance guard: the archive's sealer decides for itself when a document is final.
    pub fn stored_pdf_in(
        &self,
        uow: &mut dyn UnitOfWork,
        id: &CreditNoteId,
        stamp: Option<&ClearanceStamp>,
    ) -> Result<Vec<u8>> {
        let note = find_in(uow, id)?;
        if let Some(pdf) = uow.credit_notes().find_document(id)? {
            return Ok(pdf);
        }
        let invoice = uow
            .invoices()
            .find(&note.invoice_id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        let parties = uow
            .invoices()
            .parties(&note.invoice_id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        let document = credit_note_document(&note, &invoice, parties);
        let pdf = match stamp {
            Some(stamp) => self.renderer.cleared_credit_note(&document, stamp)?,
            None => self.renderer.credit_note(&document)?,
        };
        // Two first downloads at once both render; the first stored copy wins and both
        // answer it.
        uow.credit_notes()
            .insert_document(id, &pdf, self.clock.now())?;
        uow.credit_notes()
            .find_document(id)?
            .ok_or_else(|| Error::Storage("credit note document vanished after insert".into()))
    }

    /// The note's UBL 2.1 `CreditNote`, built from the note and the invoice it corrects as
    /// stored: the same bytes on every call, so it is rendered each time, not stored.
    pub fn ubl(&self, id: &CreditNoteId) -> Result<Vec<u8>> {
        // A note, its invoice's number, buyer and seller never change once issued.
        read(self.tx.as_ref(), |uow| self.ubl_in(uow, id))
    }

    /// `ubl` inside an existing unit of work.
    pub fn ubl_in(&self, uow: &mut dyn UnitOfWork, id: &CreditNoteId) -> Result<Vec<u8>> {
        let note = find_in(uow, id)?;
        let invoice = uow
            .invoices()
            .find(&note.invoice_id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        let parties = uow
            .invoices()
            .parties(&note.invoice_id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        self.ubl
            .credit_note(&credit_note_document(&note, &invoice, parties))
    }

    /// The notes of the client with this CIN that correct `invoices` (one page of the
    /// landing's list), newest first, each with a document token. `Forbidden` unless `lookup_token` was issued for this CIN and is still
    /// valid; `NotFound(Client)` when no client has it.
    pub fn for_client(
        &self,
        cin: &str,
        lookup_token: Option<&str>,
        invoices: &[InvoiceId],
    ) -> Result<Vec<ClientCreditNote>> {
        let cin = Cin::parse(cin).map_err(|_| Error::Forbidden)?;
        let now = self.clock.now();
        self.tokens.verify(
            lookup_token.ok_or(Error::Forbidden)?,
            TokenPurpose::Lookup,
            cin.as_str(),
            now,
        )?;
        let expires_at = now + Duration::days(self.settings.document_link_ttl_days);
        let (notes, clearances) = transaction(self.tx.as_ref(), |uow| {
            let client = uow
                .clients()
                .find_by_cin(cin.as_str())?
                .ok_or(Error::NotFound(Resource::Client))?;
            let notes = uow.credit_notes().for_invoices(&client.id, invoices)?;
            let ids: Vec<String> = notes.iter().map(|n| n.id.to_string()).collect();
            Ok((notes, clearance_statuses(uow, &self.settings, &ids)?))
        })?;
        Ok(notes
            .into_iter()
            .map(|note| {
                let clearance = clearances.get(note.id.as_str()).copied();
                ClientCreditNote {
                    // No link to a document that would only answer `document_not_cleared`.
                    document_token: is_offered(clearance).then(|| {
                        self.tokens.issue(
                            TokenPurpose::CreditNoteDocument,
                            note.id.as_str(),
                            expires_at,
                        )
                    }),
                    clearance,
                    document_expires_at: expires_at,
                    note,
                }
            })
            .collect())
    }

    /// The PDF of one note for the landing. `Forbidden` unless `token` was issued for this
    /// note's document and is still valid.
    pub fn client_document(&self, id: &CreditNoteId, token: Option<&str>) -> Result<Vec<u8>> {
        self.tokens.verify(
            token.ok_or(Error::Forbidden)?,
            TokenPurpose::CreditNoteDocument,
            id.as_str(),
            self.clock.now(),
        )?;
        self.pdf(id)
    }
}

fn find_in(uow: &mut dyn UnitOfWork, id: &CreditNoteId) -> Result<CreditNote> {
    uow.credit_notes()
        .find(id)?
        .ok_or(Error::NotFound(Resource::CreditNote))
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;

/// The figures of `invoice` a ledger audit entry records, in centimes.
fn figures(invoice: &Invoice) -> Vec<(String, i64)> {
    vec![
        ("total_incl_tax".into(), invoice.total_incl_tax.centimes()),
        ("amount_paid".into(), invoice.amount_paid.centimes()),
        ("credited_amount".into(), invoice.credited_amount.centimes()),
        ("outstanding".into(), invoice.outstanding().centimes()),
    ]
}
