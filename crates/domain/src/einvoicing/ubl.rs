//! The UBL renderer port, as the UBL documents part of issue #18 defines it; the clearance
//! submits its bytes.

use crate::documents::{CreditNoteDocument, InvoiceDocument};
use crate::error::Result;

/// Renders OASIS UBL 2.1 documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait UblRenderer: Send + Sync {
    /// The UBL `Invoice` of the document. `Error::Rendering` on failure.
    fn invoice(&self, document: &InvoiceDocument) -> Result<Vec<u8>>;
    /// The UBL `CreditNote` of the document. `Error::Rendering` on failure.
    fn credit_note(&self, document: &CreditNoteDocument) -> Result<Vec<u8>>;
}
