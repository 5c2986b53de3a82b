//! OASIS UBL 2.1 documents for MT-Facturation: the `UblRenderer` port.
//!
//! An invoice becomes a UBL `Invoice`, a credit note a UBL `CreditNote` that names the
//! invoice it corrects in `BillingReference`. The XML is written by hand (`xml`), element by
//! element in the order the OASIS schema requires: no dependency, and the same document always
//! gives the same bytes (no clock, no maps, fixed indentation).

#![warn(missing_docs)]

mod amounts;
mod credit_note;
mod invoice;
mod parties;
mod xml;

use domain::documents::{CreditNoteDocument, InvoiceDocument};
use domain::einvoicing::UblRenderer;
use domain::Result;

/// Renders UBL 2.1 XML. Stateless: build one at start-up and share it.
#[derive(Debug, Clone, Copy, Default)]
pub struct UblDocuments;

impl UblDocuments {
    /// The renderer.
    pub fn new() -> Self {
        Self
    }
}

impl UblRenderer for UblDocuments {
    fn invoice(&self, document: &InvoiceDocument) -> Result<Vec<u8>> {
        Ok(invoice::render(document).into_bytes())
    }

    fn credit_note(&self, document: &CreditNoteDocument) -> Result<Vec<u8>> {
        Ok(credit_note::render(document).into_bytes())
    }
}
