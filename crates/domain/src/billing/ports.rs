//! Ports of the billing module: runs (with the batch claims of contracts) and invoices.

use time::{Date, OffsetDateTime};

use super::{
    BillableContract, BillingRun, BillingRunStatus, Invoice, InvoiceIdList, InvoiceStatus, Period,
};
use crate::documents::{ReplacedInvoice, SellerIdentity};
use crate::error::Result;
use crate::money::Money;
use crate::page::PageRequest;
use crate::parties::SellerIdentityId;
use crate::service_type::ServiceType;
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId, PendingChargeId};

/// One batch of contracts to look at, in contract id order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchQuery {
    /// Month billed.
    pub period: Period,
    /// Keyset cursor: only contracts with an id above this (`""` from the start).
    pub after: String,
    /// Most contracts in the batch.
    pub limit: i64,
    /// Lock the contracts for the transaction (`FOR UPDATE SKIP LOCKED`), skipping those
    /// another transaction holds. A dry run reads without locking.
    pub lock: bool,
}

/// A contract a batch may bill, with what already exists for the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The contract and its offer periods touching the month.
    pub contract: BillableContract,
    /// The run whose invoice this contract (or, per account, its client) already has for
    /// the period, if any.
    pub invoiced_by: Option<BillingRunId>,
    /// `Some` when the client is billed per account and this is its leading contract (the
    /// lowest id that may bill): the client's other contracts that may bill, which this
    /// candidate's one invoice bills too. The others are never candidates themselves.
    pub account: Option<Vec<BillableContract>>,
}

/// What one batch adds to its run's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunProgress {
    /// Invoices written.
    pub invoices: i64,
    /// Billable contracts already invoiced for the period by another run.
    pub skipped: i64,
    /// Sum excl. tax of the invoices written.
    pub total_excl_tax: Money,
    /// Their tax.
    pub total_tax: Money,
    /// Their sum incl. tax.
    pub total_incl_tax: Money,
}

impl RunProgress {
    /// Adds another batch's figures.
    pub fn add(&mut self, other: &RunProgress) {
        self.invoices = self.invoices.saturating_add(other.invoices);
        self.skipped = self.skipped.saturating_add(other.skipped);
        self.total_excl_tax = self.total_excl_tax.saturating_add(other.total_excl_tax);
        self.total_tax = self.total_tax.saturating_add(other.total_tax);
        self.total_incl_tax = self.total_incl_tax.saturating_add(other.total_incl_tax);
    }
}

/// The idempotency key a run was started with, kept on the run so a retry resumes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunKey {
    /// Whose key (the actor id).
    pub scope: String,
    /// The `Idempotency-Key`.
    pub key: String,
    /// Digest of the request that started the run.
    pub fingerprint: String,
}

/// Storage of billing runs, and the claim of contracts batch by batch.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait BillingRunRepository {
    /// The run with this id.
    fn find(&mut self, id: &BillingRunId) -> Result<Option<BillingRun>>;
    /// Up to [`PageRequest::fetch`] runs whose id sorts after the page's cursor, by id.
    fn list(&mut self, page: &PageRequest) -> Result<Vec<BillingRun>>;
    /// Stores a new run started with `key`.
    fn insert(&mut self, run: &BillingRun, key: &RunKey) -> Result<()>;
    /// The run started with (scope, key), with the fingerprint of its request.
    fn find_by_key(&mut self, scope: &str, key: &str) -> Result<Option<(BillingRun, String)>>;
    /// The next batch of contracts that may be billable for the month (statuses that can
    /// bill; the engine decides exactly), each with its offer periods touching the month, its
    /// pending regularisation charges, its usage of the month, its late usage records still to
    /// bill of earlier months (with those months' other records and offer periods, decision
    /// 0377) and the run that already invoiced it, if any. A client
    /// billed per account appears once, through its leading contract, which carries the
    /// client's other contracts.
    fn candidates(&mut self, query: &BatchQuery) -> Result<Vec<Candidate>>;
    /// Records that each (charge, invoice) pair's charge was billed on that invoice, so no
    /// later invoice bills it again. `Error::Storage` when a charge is gone or already billed.
    fn consume_pending_charges(&mut self, billed: &[(PendingChargeId, InvoiceId)]) -> Result<()>;
    /// Records that each (contract, invoice) pair's late usage records still to bill, dated
    /// before `period` (those [`Self::candidates`] read for it), were billed on that invoice;
    /// answers how many records it marked. Called in the batch's transaction, under the
    /// usage lock the claim took, so they are exactly the records read.
    fn bill_late_usage(
        &mut self,
        billed: &[(ContractId, InvoiceId)],
        period: Period,
    ) -> Result<usize>;
    /// Adds a batch's figures to the run's counters.
    fn add_progress(
        &mut self,
        run_id: &BillingRunId,
        progress: &RunProgress,
        at: OffsetDateTime,
    ) -> Result<()>;
    /// Sets the run's status.
    fn set_status(
        &mut self,
        run_id: &BillingRunId,
        status: BillingRunStatus,
        at: OffsetDateTime,
    ) -> Result<()>;
}

/// Filters of the invoice list; `None` means "any".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFilter {
    /// Client billed.
    pub client_id: Option<ClientId>,
    /// Service family of any of the invoice's contracts.
    pub service_type: Option<ServiceType>,
    /// Offer billed by any of the invoice's lines (a mid-month plan change bills two).
    pub offer_id: Option<OfferId>,
    /// Contract billed by any of the invoice's lines (a per-account invoice bills several).
    pub contract_id: Option<ContractId>,
    /// Payment states, any of them (empty: any state).
    pub statuses: Vec<InvoiceStatus>,
    /// Legal number, exactly (`FAC-YYYY-NNNNNN`).
    pub number: Option<String>,
    /// Issued on or after this day.
    pub issued_from: Option<Date>,
    /// Issued on or before this day.
    pub issued_to: Option<Date>,
    /// Month billed.
    pub period: Option<Period>,
    /// Past due with something outstanding on `as_of` (`true`), or not (`false`).
    pub overdue: Option<bool>,
    /// The day `overdue` is judged on (today).
    pub as_of: Date,
}

impl InvoiceFilter {
    /// Every invoice of `client_id`, whatever else (the list's common case; `as_of` is the day
    /// an invoice's `overdue` is judged on).
    pub fn of_client(client_id: ClientId, as_of: Date) -> InvoiceFilter {
        InvoiceFilter {
            client_id: Some(client_id),
            service_type: None,
            offer_id: None,
            contract_id: None,
            statuses: Vec::new(),
            number: None,
            issued_from: None,
            issued_to: None,
            period: None,
            overdue: None,
            as_of,
        }
    }
}

/// What an invoice document names beyond the invoice itself (whose buyer and line are on the
/// invoice): the seller identity it was issued under and the contract's number, neither of
/// which changes once stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceParties {
    /// The seller identity the invoice was issued under.
    pub seller: SellerIdentity,
    /// Contract billed.
    pub contract_number: String,
    /// The invoice it replaces after a rejection, if any (decision 0315).
    pub replaces: Option<ReplacedInvoice>,
}

/// Storage of invoices, their lines and their rendered documents.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait InvoiceRepository {
    /// The invoice with this id, with its lines.
    fn find(&mut self, id: &InvoiceId) -> Result<Option<Invoice>>;
    /// Up to [`PageRequest::fetch`] invoices matching `filter` whose id sorts after the
    /// page's cursor, by id, with lines and the buyer's display name.
    fn list(&mut self, filter: &InvoiceFilter, page: &PageRequest) -> Result<Vec<Invoice>>;
    /// Writes invoices and their lines in bulk. `Conflict::InvoiceAlreadyIssued` when a
    /// contract already has an invoice for the period (nothing is written then).
    fn insert_batch(&mut self, invoices: &[Invoice]) -> Result<()>;
    /// Ids of the invoices a run issued, in invoice-number order, read as a stream: only the
    /// list itself grows with the run.
    fn ids_for_run(&mut self, run_id: &BillingRunId) -> Result<InvoiceIdList>;
    /// The client's invoices newest first (period descending, then id descending), up to
    /// [`PageRequest::fetch`] of them that come after the page's cursor invoice in that order,
    /// with lines and the identifier of the line each bills.
    fn recent_for_client(
        &mut self,
        client_id: &ClientId,
        page: &PageRequest,
    ) -> Result<Vec<(Invoice, String)>>;
    /// The stored seller identity and the contract number the invoice's document names.
    fn parties(&mut self, invoice_id: &InvoiceId) -> Result<Option<InvoiceParties>>;
    /// The id of `seller`, stored on its first use (each distinct value once).
    fn seller_identity(&mut self, seller: &SellerIdentity) -> Result<SellerIdentityId>;
    /// Fills in the seller identity of the invoices issued before snapshots existed (left
    /// pending by the migration) with `seller`; `false` when none was pending.
    fn adopt_pending_seller(&mut self, seller: &SellerIdentity) -> Result<bool>;
    /// The stored PDF of the invoice, if produced.
    fn find_document(&mut self, invoice_id: &InvoiceId) -> Result<Option<Vec<u8>>>;
    /// The open invoices (`issued` or `partially_paid`) of `clients`, without lines, locked
    /// `FOR UPDATE` in (due date, id) order — the one order every writer locks in, so
    /// concurrent payments, credit applications and reversals serialise per client and never
    /// deadlock.
    fn lock_open_invoices(&mut self, clients: &[ClientId]) -> Result<Vec<Invoice>>;
    /// Saves `amount_paid`, `status` and `updated_at` of invoices that payments or credit
    /// settled, in one statement. `Error::Storage` when one of them is gone or the database
    /// refuses it (the `amount_paid + credited_amount <= total_incl_tax` check is the last
    /// net).
    fn save_settlements(&mut self, invoices: &[Invoice]) -> Result<()>;
    /// The invoice with its lines, locked `FOR UPDATE` (the first lock of decision 0151's
    /// order: the invoice being corrected), or `None` when it does not exist.
    fn lock(&mut self, id: &InvoiceId) -> Result<Option<Invoice>>;
    /// Saves `credited_amount`, `status` and `updated_at` of an invoice a credit note
    /// corrected. `Error::Storage` when the database refuses it (the
    /// `amount_paid + credited_amount <= total_incl_tax` check is the last net).
    fn save_credit(&mut self, invoice: &Invoice) -> Result<()>;
    /// The contract's invoices for `from` and the months after it, with their lines and
    /// credit notes, by period.
    fn billed_for_contract(
        &mut self,
        contract_id: &ContractId,
        from: Period,
    ) -> Result<Vec<Invoice>>;
    /// The invoice that replaces this one after its rejection (decision 0315), if any.
    fn replacement_of(&mut self, invoice_id: &InvoiceId) -> Result<Option<InvoiceId>>;
    /// Stores the PDF unless one is already stored (then nothing changes).
    fn insert_document(
        &mut self,
        invoice_id: &InvoiceId,
        pdf: &[u8],
        at: OffsetDateTime,
    ) -> Result<()>;
}
