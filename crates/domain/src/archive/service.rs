//! `ArchiveService`: seals issued documents and verifies the chains.

use std::sync::Arc;

use super::entry::{DocumentRef, Series};
use super::ubl::UblRenderer;
use crate::billing::{invoice_document, InvoiceService};
use crate::clock::Clock;
use crate::credit_notes::{credit_note_document, CreditNoteService};
use crate::documents::InvoiceDocument;
use crate::error::{Error, Resource, Result};
use crate::ports::Ports;
use crate::tx::{TransactionRunner, UnitOfWork};
use crate::typed_ids::{CreditNoteId, InvoiceId};

/// The invoice document as it was issued: payments and credit notes come later, each a
/// fact of its own, and must not read as a change of the sealed invoice (decision 0321).
pub(super) fn as_issued(mut document: InvoiceDocument) -> InvoiceDocument {
    document.amount_paid = 0;
    document.credited_amount = 0;
    document.outstanding = document.total_incl_tax;
    document
}

/// Sealing and verification of the archive.
#[derive(Clone)]
pub struct ArchiveService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ubl: Arc<dyn UblRenderer>,
    invoices: InvoiceService,
    credit_notes: CreditNoteService,
}

impl ArchiveService {
    /// Wires the service to its ports and the UBL renderer.
    pub fn new(ports: &Ports, ubl: Arc<dyn UblRenderer>) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ubl,
            invoices: InvoiceService::new(ports),
            credit_notes: CreditNoteService::new(ports),
        }
    }

    /// The document's PDF as it is served: the stored copy, or rendered and stored now
    /// when it was never downloaded (the same first-copy-wins path as a download, so the
    /// bytes hashed are the bytes ever served afterwards).
    pub(super) fn served_pdf(
        &self,
        uow: &mut dyn UnitOfWork,
        document: &DocumentRef,
    ) -> Result<Vec<u8>> {
        match document.series {
            Series::Invoices => self
                .invoices
                .pdf_in(uow, &InvoiceId::from_stored(&document.document_id)),
            Series::CreditNotes => self
                .credit_notes
                .pdf_in(uow, &CreditNoteId::from_stored(&document.document_id)),
            Series::ContractDocuments => uow
                .archive()
                .contract_document_pdf(&document.document_id, document.version)?
                .ok_or_else(|| {
                    Error::Storage(format!(
                        "contract document {} has no stored PDF",
                        document.label()
                    ))
                }),
        }
    }

    /// The stored PDF, without rendering; `None` when there is none.
    pub(super) fn stored_pdf(
        &self,
        uow: &mut dyn UnitOfWork,
        document: &DocumentRef,
    ) -> Result<Option<Vec<u8>>> {
        match document.series {
            Series::Invoices => uow
                .invoices()
                .find_document(&InvoiceId::from_stored(&document.document_id)),
            Series::CreditNotes => uow
                .credit_notes()
                .find_document(&CreditNoteId::from_stored(&document.document_id)),
            Series::ContractDocuments => uow
                .archive()
                .contract_document_pdf(&document.document_id, document.version),
        }
    }

    /// A fresh UBL render from the stored document; `None` for contract documents.
    pub(super) fn fresh_ubl(
        &self,
        uow: &mut dyn UnitOfWork,
        document: &DocumentRef,
    ) -> Result<Option<Vec<u8>>> {
        match document.series {
            Series::Invoices => {
                let id = InvoiceId::from_stored(&document.document_id);
                let invoice = uow
                    .invoices()
                    .find(&id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let parties = uow
                    .invoices()
                    .parties(&id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                let document = as_issued(invoice_document(&invoice, parties));
                Ok(Some(self.ubl.invoice(&document)?))
            }
            Series::CreditNotes => {
                let id = CreditNoteId::from_stored(&document.document_id);
                let note = uow
                    .credit_notes()
                    .find(&id)?
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
                Ok(Some(self.ubl.credit_note(&document)?))
            }
            Series::ContractDocuments => Ok(None),
        }
    }
}
