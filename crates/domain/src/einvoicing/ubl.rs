//! The `UblRenderer` port: OASIS UBL 2.1 documents of invoices and credit notes.
//!
//! It takes the same documents as the PDF renderer ([`DocumentRenderer`]), built from the
//! invoice's stored snapshot, so the PDF and the UBL state the same facts. A given document
//! always renders the same bytes: nothing read from a clock, no map ordering.
//!
//! [`DocumentRenderer`]: crate::documents::DocumentRenderer

use crate::documents::{CreditNoteDocument, InvoiceDocument};
use crate::error::Result;

/// Produces UBL 2.1 XML documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait UblRenderer: Send + Sync {
    /// The UBL 2.1 `Invoice` of `document`, UTF-8 XML. `Error::Rendering` on failure.
    fn invoice(&self, document: &InvoiceDocument) -> Result<Vec<u8>>;
    /// The UBL 2.1 `CreditNote` of `document`, referring to the invoice it corrects through
    /// `BillingReference`, UTF-8 XML. `Error::Rendering` on failure.
    fn credit_note(&self, document: &CreditNoteDocument) -> Result<Vec<u8>>;
}

#[cfg(test)]
#[path = "ubl_tests.rs"]
mod tests;
