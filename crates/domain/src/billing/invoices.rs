//! `InvoiceService`: invoice reads and PDFs (P12), and the client self-service (P13).

use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use super::document::invoice_document;
use super::{Invoice, InvoiceFilter};
use crate::clients::{mask, Cin};
use crate::clock::Clock;
use crate::documents::{ClearanceStamp, DocumentRenderer};
use crate::einvoicing::{
    clearance_statuses, ensure_cleared, is_offered, ClearanceStatus, UblRenderer,
};
use crate::error::{Error, Resource, Result};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tokens::{TokenPurpose, TokenService};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::InvoiceId;

/// An invoice as its client sees it on the landing, with a link token to its PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInvoice {
    /// The invoice.
    pub invoice: Invoice,
    /// The billed line, masked (`+2126•••••78`).
    pub service_identifier_masked: String,
    /// Token opening this invoice's document, and only it; `None` while the document is not
    /// offered (e-invoicing on and not cleared: pending, submitted or rejected).
    pub document_token: Option<String>,
    /// Where it stands at the tax authority; `None` with e-invoicing off or for an invoice
    /// issued while it was off.
    pub clearance: Option<ClearanceStatus>,
    /// When the token expires.
    pub document_expires_at: OffsetDateTime,
}

/// Invoice reads, documents and self-service.
#[derive(Clone)]
pub struct InvoiceService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    renderer: Arc<dyn DocumentRenderer>,
    ubl: Arc<dyn UblRenderer>,
    tokens: Arc<dyn TokenService>,
    settings: Arc<Settings>,
    ids: Arc<dyn IdGenerator>,
}

impl InvoiceService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            renderer: ports.renderer.clone(),
            ubl: ports.ubl.clone(),
            tokens: ports.tokens.clone(),
            settings: ports.settings.clone(),
            ids: ports.ids.clone(),
        }
    }

    /// Today, for `InvoiceFilter::as_of` and overdue flags.
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    /// One page of the invoices matching `filter`, in id order.
    pub fn list(&self, filter: &InvoiceFilter, page: &PageRequest) -> Result<Page<Invoice>> {
        // Outside a transaction (decision 0089): an invoice and its lines are written in one
        // transaction and lines never change, so the lines statement sees every line of the
        // invoices the first statement returned.
        let rows = read(self.tx.as_ref(), |uow| uow.invoices().list(filter, page))?;
        Ok(Page::from_fetched(rows, page, |invoice| {
            invoice.id.as_str()
        }))
    }

    /// The invoice with this id; `NotFound(Invoice)` for unknown or malformed ids.
    pub fn get(&self, id: &InvoiceId) -> Result<Invoice> {
        // Outside a transaction, as `list` (decision 0089).
        read(self.tx.as_ref(), |uow| find_in(uow, id))
    }

    /// The invoice's PDF: rendered at its first download and stored, then served unchanged.
    pub fn pdf(&self, id: &InvoiceId) -> Result<Vec<u8>> {
        transaction(self.tx.as_ref(), |uow| self.pdf_in(uow, id))
    }

    /// `pdf` inside an existing unit of work.
    pub fn pdf_in(&self, uow: &mut dyn UnitOfWork, id: &InvoiceId) -> Result<Vec<u8>> {
        find_in(uow, id)?;
        // Not offered before clearance; once cleared, it prints the clearance (issue #18).
        let stamp = ensure_cleared(uow, &self.settings, id.as_str())?;
        self.stored_pdf_in(uow, id, stamp.as_ref())
    }

    /// The stored PDF, or rendered with `stamp` and stored now (first copy wins), without
    /// the clearance guard: the archive's sealer decides for itself when a document is final.
    pub fn stored_pdf_in(
        &self,
        uow: &mut dyn UnitOfWork,
        id: &InvoiceId,
        stamp: Option<&ClearanceStamp>,
    ) -> Result<Vec<u8>> {
        let invoice = find_in(uow, id)?;
        if let Some(pdf) = uow.invoices().find_document(id)? {
            return Ok(pdf);
        }
        let parties = uow
            .invoices()
            .parties(id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        let document = invoice_document(&invoice, parties);
        let pdf = match stamp {
            Some(stamp) => self.renderer.cleared_invoice(&document, stamp)?,
            None => self.renderer.invoice(&document)?,
        };
        // Two first downloads at once both render; the first stored copy wins and both
        // answer it, so every download gets the same bytes.
        uow.invoices().insert_document(id, &pdf, self.clock.now())?;
        uow.invoices()
            .find_document(id)?
            .ok_or_else(|| Error::Storage("invoice document vanished after insert".into()))
    }

    /// The invoice's UBL 2.1 document, built from the invoice as stored and the parties fixed
    /// at issue: the same bytes on every call, so it is rendered each time, not stored.
    pub fn ubl(&self, id: &InvoiceId) -> Result<Vec<u8>> {
        // Outside a transaction, as `get` (decision 0089): what it reads never changes.
        read(self.tx.as_ref(), |uow| self.ubl_in(uow, id))
    }

    /// `ubl` inside an existing unit of work.
    pub fn ubl_in(&self, uow: &mut dyn UnitOfWork, id: &InvoiceId) -> Result<Vec<u8>> {
        let invoice = find_in(uow, id)?;
        let parties = uow
            .invoices()
            .parties(id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        self.ubl.invoice(&invoice_document(&invoice, parties))
    }

    /// Gives the invoices issued before documents were fixed at issue the seller identity of
    /// the settings (decision 0200). Run at every start; it changes something only at the
    /// first start after the migration, which left that identity pending. Returns whether
    /// it did.
    pub fn adopt_legacy_seller(&self) -> Result<bool> {
        transaction(self.tx.as_ref(), |uow| {
            uow.invoices().adopt_pending_seller(&self.settings.seller)
        })
    }

    /// One page of the invoices of the client with this CIN, newest first (period, then id,
    /// descending; the cursor is the last invoice id of the previous page), each with a
    /// document token. `Forbidden` unless `lookup_token` was issued for this CIN and is still
    /// valid; `NotFound(Client)` when no client has it.
    pub fn for_client(
        &self,
        cin: &str,
        lookup_token: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<ClientInvoice>> {
        let cin = Cin::parse(cin).map_err(|_| Error::Forbidden)?;
        let now = self.clock.now();
        self.tokens.verify(
            lookup_token.ok_or(Error::Forbidden)?,
            TokenPurpose::Lookup,
            cin.as_str(),
            now,
        )?;
        let expires_at = now + Duration::days(self.settings.document_link_ttl_days);
        let (invoices, clearances) = transaction(self.tx.as_ref(), |uow| {
            let client = uow
                .clients()
                .find_by_cin(cin.as_str())?
                .ok_or(Error::NotFound(Resource::Client))?;
            let invoices = uow.invoices().recent_for_client(&client.id, page)?;
            let ids: Vec<String> = invoices.iter().map(|(i, _)| i.id.to_string()).collect();
            Ok((invoices, clearance_statuses(uow, &self.settings, &ids)?))
        })?;
        let page = Page::from_fetched(invoices, page, |(invoice, _)| invoice.id.as_str());
        Ok(page.map(|(invoice, line)| {
            let clearance = clearances.get(invoice.id.as_str()).copied();
            ClientInvoice {
                // No link to a document that would only answer `document_not_cleared`.
                document_token: is_offered(clearance).then(|| {
                    self.tokens.issue(
                        TokenPurpose::InvoiceDocument,
                        invoice.id.as_str(),
                        expires_at,
                    )
                }),
                clearance,
                document_expires_at: expires_at,
                service_identifier_masked: mask(&line),
                invoice,
            }
        }))
    }

    /// The PDF of one invoice for the landing. `Forbidden` unless `token` was issued for this
    /// invoice's document and is still valid.
    pub fn client_document(&self, invoice_id: &InvoiceId, token: Option<&str>) -> Result<Vec<u8>> {
        self.tokens.verify(
            token.ok_or(Error::Forbidden)?,
            TokenPurpose::InvoiceDocument,
            invoice_id.as_str(),
            self.clock.now(),
        )?;
        self.pdf(invoice_id)
    }
}

fn find_in(uow: &mut dyn UnitOfWork, id: &InvoiceId) -> Result<Invoice> {
    uow.invoices()
        .find(id)?
        .ok_or(Error::NotFound(Resource::Invoice))
}

#[cfg(test)]
#[path = "invoices_tests.rs"]
mod tests;

#[path = "reissue.rs"]
mod reissue;
