//! `ArchiveService`: seals issued documents and verifies the chains.

use std::sync::Arc;

use super::entry::{DocumentRef, Series};
use crate::billing::InvoiceService;
use crate::clock::Clock;
use crate::credit_notes::CreditNoteService;
use crate::documents::ClearanceStamp;
use crate::error::{Error, Result};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tx::{TransactionRunner, UnitOfWork};
use crate::typed_ids::{CreditNoteId, InvoiceId};

/// Sealing and verification of the archive.
#[derive(Clone)]
pub struct ArchiveService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) settings: Arc<Settings>,
    invoices: InvoiceService,
    credit_notes: CreditNoteService,
}

impl ArchiveService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            settings: ports.settings.clone(),
            invoices: InvoiceService::new(ports),
            credit_notes: CreditNoteService::new(ports),
        }
    }

    /// The document's PDF as it is served: the stored copy, or rendered (printing `stamp`
    /// once cleared) and stored now when it was never downloaded (the same first-copy-wins
    /// path as a download, so the bytes hashed are the bytes ever served afterwards).
    pub(super) fn served_pdf(
        &self,
        uow: &mut dyn UnitOfWork,
        document: &DocumentRef,
        stamp: Option<&ClearanceStamp>,
    ) -> Result<Vec<u8>> {
        match document.series {
            Series::Invoices => self.invoices.stored_pdf_in(
                uow,
                &InvoiceId::from_stored(&document.document_id),
                stamp,
            ),
            Series::CreditNotes => self.credit_notes.stored_pdf_in(
                uow,
                &CreditNoteId::from_stored(&document.document_id),
                stamp,
            ),
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

    /// A fresh UBL render of the stored document, as `GET …/ubl` serves it; `None` for
    /// contract documents.
    pub(super) fn fresh_ubl(
        &self,
        uow: &mut dyn UnitOfWork,
        document: &DocumentRef,
    ) -> Result<Option<Vec<u8>>> {
        match document.series {
            Series::Invoices => self
                .invoices
                .ubl_in(uow, &InvoiceId::from_stored(&document.document_id))
                .map(Some),
            Series::CreditNotes => self
                .credit_notes
                .ubl_in(uow, &CreditNoteId::from_stored(&document.document_id))
                .map(Some),
            Series::ContractDocuments => Ok(None),
        }
    }
}
