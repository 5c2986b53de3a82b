//! The UBL port the archive hashes documents with.

use crate::documents::{CreditNoteDocument, InvoiceDocument};
use crate::error::Result;

/// Renders OASIS UBL 2.1 documents; the same input always gives the same bytes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait UblRenderer: Send + Sync {
    /// A UBL `Invoice`.
    fn invoice(&self, document: &InvoiceDocument) -> Result<Vec<u8>>;
    /// A UBL `CreditNote`.
    fn credit_note(&self, document: &CreditNoteDocument) -> Result<Vec<u8>>;
}
