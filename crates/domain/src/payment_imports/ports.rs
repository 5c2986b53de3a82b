//! Storage of imported bank files and unidentified receipts.

use time::Date;

use super::{PaymentImport, ReceiptFilter, RecordedAs, UnidentifiedReceipt};
use crate::error::Result;
use crate::money::Money;
use crate::page::PageRequest;
use crate::typed_ids::{InvoiceId, PaymentImportId, ReceiptId};

/// Storage of payment imports, their lines and unidentified receipts.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait PaymentImportRepository {
    /// Takes the transaction-scoped lock every import holds while it checks and records its
    /// lines, so two imports of the same file never both post a line.
    fn lock_bank_lines(&mut self) -> Result<()>;
    /// What a bank line with this reference, amount and date was already recorded as: a
    /// payment (looked at first) or an unidentified receipt, whatever its state.
    fn recorded_as(
        &mut self,
        reference: &str,
        amount: Money,
        received_at: Date,
    ) -> Result<Option<RecordedAs>>;
    /// The invoice with this legal number (`FAC-YYYY-NNNNNN`).
    fn invoice_by_number(&mut self, number: &str) -> Result<Option<InvoiceId>>;
    /// Stores a new receipt. Its import may be stored later in the same transaction (the
    /// reference is checked at commit).
    fn insert_receipt(&mut self, receipt: &UnidentifiedReceipt) -> Result<()>;
    /// Stores an import and its lines (after the receipts its lines name).
    fn insert_import(&mut self, import: &PaymentImport) -> Result<()>;
    /// The import with this id and its lines.
    fn find_import(&mut self, id: &PaymentImportId) -> Result<Option<PaymentImport>>;
    /// The receipt with this id.
    fn find_receipt(&mut self, id: &ReceiptId) -> Result<Option<UnidentifiedReceipt>>;
    /// The receipt with this id, locked `FOR UPDATE` until the transaction ends.
    fn lock_receipt(&mut self, id: &ReceiptId) -> Result<Option<UnidentifiedReceipt>>;
    /// Saves a receipt's assignment and `updated_at`. `Error::NotFound(UnidentifiedReceipt)`
    /// when it does not exist.
    fn save_assignment(&mut self, receipt: &UnidentifiedReceipt) -> Result<()>;
    /// Up to [`PageRequest::fetch`] receipts matching `filter` whose id sorts after the
    /// page's cursor, by id.
    fn list_receipts(
        &mut self,
        filter: &ReceiptFilter,
        page: &PageRequest,
    ) -> Result<Vec<UnidentifiedReceipt>>;
}
