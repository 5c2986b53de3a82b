//! Ports of credit notes: their storage (with the credited amounts by line) and the ledger
//! audit. The invoice's lock and its credited amount belong to `InvoiceRepository` (0141).

use time::OffsetDateTime;

use super::CreditNote;
use crate::billing::Period;
use crate::error::Result;
use crate::money::Money;
use crate::page::PageRequest;
use crate::typed_ids::{ClientId, CreditNoteId, InvoiceId};

/// What earlier credit notes already took off one invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditedLine {
    /// The invoice line's position.
    pub position: i32,
    /// Credited excl. tax so far.
    pub amount_excl_tax: Money,
    /// Credited TVA so far.
    pub tax_amount: Money,
}

/// Filters of the credit-note list; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditNoteFilter {
    /// The invoice's client.
    pub client_id: Option<ClientId>,
    /// The invoice corrected.
    pub invoice_id: Option<InvoiceId>,
    /// Month of the issue date.
    pub period: Option<Period>,
}

/// Storage of credit notes, their lines and documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait CreditNoteRepository {
    /// What the invoice's credit notes already credited, per invoice line (lines never
    /// credited are absent).
    fn credited_lines(&mut self, invoice_id: &InvoiceId) -> Result<Vec<CreditedLine>>;
    /// Stores a new note and its lines.
    fn insert(&mut self, note: &CreditNote) -> Result<()>;
    /// The note with this id, with its lines.
    fn find(&mut self, id: &CreditNoteId) -> Result<Option<CreditNote>>;
    /// Up to [`PageRequest::fetch`] notes matching `filter` whose id sorts after the page's
    /// cursor, by id, with lines.
    fn list(&mut self, filter: &CreditNoteFilter, page: &PageRequest) -> Result<Vec<CreditNote>>;
    /// Ids of the invoice's notes, oldest first.
    fn ids_for_invoice(&mut self, invoice_id: &InvoiceId) -> Result<Vec<CreditNoteId>>;
    /// The client's notes on any of `invoices` (newest issue date first, then id), with
    /// lines; notes of another client's invoice are never returned.
    fn for_invoices(
        &mut self,
        client_id: &ClientId,
        invoices: &[InvoiceId],
    ) -> Result<Vec<CreditNote>>;
    /// The stored PDF of the note, if produced.
    fn find_document(&mut self, id: &CreditNoteId) -> Result<Option<Vec<u8>>>;
    /// Stores the PDF unless one is already stored (then nothing changes).
    fn insert_document(&mut self, id: &CreditNoteId, pdf: &[u8], at: OffsetDateTime) -> Result<()>;
}
