//! Port of the ledger: client credit sources, their applications and the ledger audit.

use time::OffsetDateTime;

use super::{
    Balance, CreditApplication, CreditSource, LedgerAuditEntry, LockedPayment, Movement,
    PaymentReversal, Refund,
};
use crate::billing::Invoice;
use crate::error::Result;
use crate::money::Money;
use crate::typed_ids::{ClientId, InvoiceId, PaymentId};

/// Storage of client credit and its movements.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait LedgerRepository {
    /// Those of `clients` that hold any credit (payments with an unallocated amount, credit
    /// notes with credit remaining), without locking: the cheap test before a billing batch
    /// applies credit.
    fn clients_with_credit(&mut self, clients: &[ClientId]) -> Result<Vec<ClientId>>;
    /// The credit sources of `clients` with credit left, locked `FOR UPDATE` (payments, then
    /// credit notes, each by creation time then id), returned oldest first.
    fn lock_credit_sources(&mut self, clients: &[ClientId]) -> Result<Vec<CreditSource>>;
    /// Records the applications as allocations naming their source and takes their amounts
    /// off the sources, in a few statements whatever their number. `Error::Storage` when a
    /// source would go below zero (database check).
    fn record_applications(
        &mut self,
        applications: &[CreditApplication],
        at: OffsetDateTime,
    ) -> Result<()>;
    /// Appends ledger audit entries.
    fn insert_audit(&mut self, entries: &[LedgerAuditEntry]) -> Result<()>;
    /// The client's unused credit: payments' unallocated amounts plus credit notes' credit
    /// remaining.
    fn credit_available(&mut self, client: &ClientId) -> Result<Money>;
    /// The client's balance from the documents.
    fn balance(&mut self, client: &ClientId) -> Result<Balance>;
    /// Every movement of the client (invoices, credit notes, payments, credit applications,
    /// refunds, reversals), in no particular order.
    fn movements(&mut self, client: &ClientId) -> Result<Vec<Movement>>;
    /// Stores a refund with its sources and takes the amounts off those sources. `Error::Storage`
    /// when a source would go below zero (database check).
    fn insert_refund(&mut self, refund: &Refund) -> Result<()>;
    /// The payment, locked `FOR UPDATE`.
    fn lock_payment(&mut self, id: &PaymentId) -> Result<Option<LockedPayment>>;
    /// Whether the payment is already reversed.
    fn is_reversed(&mut self, id: &PaymentId) -> Result<bool>;
    /// What refunds took from the payment's credit.
    fn refunded_from_payment(&mut self, id: &PaymentId) -> Result<Money>;
    /// What the payment paid on each invoice (at posting and as credit), by invoice.
    fn allocated_by_payment(&mut self, id: &PaymentId) -> Result<Vec<(InvoiceId, Money)>>;
    /// These invoices and the client's open ones (without lines), locked `FOR UPDATE` in one
    /// statement in (due date, id) order, so a reversal that then applies credit never waits
    /// on an open invoice after holding a later one (no deadlock with a payment posting).
    fn lock_invoices(&mut self, ids: &[InvoiceId], open_of: &ClientId) -> Result<Vec<Invoice>>;
    /// Stores the reversal and sets the payment's unallocated amount to zero.
    /// `Conflict::PaymentAlreadyReversed` when a reversal of the payment exists.
    fn insert_reversal(&mut self, reversal: &PaymentReversal) -> Result<()>;
}
