//! PDF contracts, invoices and credit notes for MT-Facturation: the `DocumentRenderer` port, with genpdf.
//!
//! Text is set in the PDF built-in Helvetica (WinAnsiEncoding), measured with Liberation Sans
//! metrics compiled into the binary: a one-page document is a few KB and renders in about a
//! millisecond. Text outside Windows-1252 is printed as `?` (see `encoding`). printpdf's output
//! is finished by `pdf_file`: single-byte text codes, deflated content, and metadata derived
//! from the document (`metadata`), so the same input always gives the same bytes.

#![warn(missing_docs)]

mod clearance;
mod contract;
mod credit_note;
mod document;
mod encoding;
mod fonts;
mod format;
mod invoice;
mod layout;
mod metadata;
mod pdf_file;
mod statement;
mod text_codes;
mod wrapping;

use std::fmt;

use domain::documents::{
    ClearanceStamp, ContractDocument, CreditNoteDocument, DocumentRenderer, InvoiceDocument,
    StatementDocument,
};
use domain::{Error, Result};
use genpdf::fonts::{FontData, FontFamily};

/// Renders contracts and invoices as PDF with genpdf. Cheap to share: build one at start-up.
#[derive(Clone)]
pub struct GenPdfRenderer {
    fonts: FontFamily<FontData>,
}

impl fmt::Debug for GenPdfRenderer {
    // The derived form would dump the font bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenPdfRenderer").finish_non_exhaustive()
    }
}

impl GenPdfRenderer {
    /// Parses the embedded font metrics. `Error::Rendering` if they are unreadable, which would
    /// be a build defect: the fonts are compiled in.
    pub fn new() -> Result<Self> {
        let fonts = fonts::helvetica()
            .map_err(|error| Error::Rendering(format!("embedded font metrics: {error}")))?;
        Ok(Self { fonts })
    }
}

impl DocumentRenderer for GenPdfRenderer {
    fn contract(&self, contract: &ContractDocument) -> Result<Vec<u8>> {
        let mut pdf = document::new_document(&self.fonts);
        let metadata = contract::build(&mut pdf, contract).map_err(|error| {
            Error::Rendering(format!("contract {}: {error}", contract.contract_number))
        })?;
        document::render(pdf, &metadata)
    }

    fn invoice(&self, invoice: &InvoiceDocument) -> Result<Vec<u8>> {
        let mut pdf = document::new_document(&self.fonts);
        let metadata = invoice::build(&mut pdf, invoice, None).map_err(|error| {
            Error::Rendering(format!("invoice {}: {error}", invoice.invoice_number))
        })?;
        document::render(pdf, &metadata)
    }

    fn statement(&self, statement: &StatementDocument) -> Result<Vec<u8>> {
        let mut pdf = document::new_document(&self.fonts);
        let metadata = statement::build(&mut pdf, statement)
            .map_err(|error| Error::Rendering(format!("statement: {error}")))?;
        document::render(pdf, &metadata)
    }

    fn credit_note(&self, note: &CreditNoteDocument) -> Result<Vec<u8>> {
        let mut pdf = document::new_document(&self.fonts);
        let metadata = credit_note::build(&mut pdf, note, None).map_err(|error| {
            Error::Rendering(format!("credit note {}: {error}", note.credit_note_number))
        })?;
        document::render(pdf, &metadata)
    }

    fn cleared_invoice(
        &self,
        invoice: &InvoiceDocument,
        stamp: &ClearanceStamp,
    ) -> Result<Vec<u8>> {
        let mut pdf = document::new_document(&self.fonts);
        let metadata = invoice::build(&mut pdf, invoice, Some(stamp)).map_err(|error| {
            Error::Rendering(format!("invoice {}: {error}", invoice.invoice_number))
        })?;
        document::render(pdf, &metadata)
    }

    fn cleared_credit_note(
        &self,
        note: &CreditNoteDocument,
        stamp: &ClearanceStamp,
    ) -> Result<Vec<u8>> {
        let mut pdf = document::new_document(&self.fonts);
        let metadata = credit_note::build(&mut pdf, note, Some(stamp)).map_err(|error| {
            Error::Rendering(format!("credit note {}: {error}", note.credit_note_number))
        })?;
        document::render(pdf, &metadata)
    }
}
