//! Ports of the collections module. Invoices are read and settled through the invoice
//! repository ([`crate::billing::InvoiceRepository`], decision 0141); invoices returned here
//! carry no lines.

use time::{Date, OffsetDateTime, UtcOffset};

use super::{CaseAction, CaseStatus, CollectionCase, Payment, PaymentMethod};
use crate::billing::Invoice;
use crate::error::Result;
use crate::money::Money;
use crate::page::PageRequest;
use crate::settings::DunningLadder;
use crate::typed_ids::{
    CaseActionId, CaseId, ClientId, ContractId, CreditNoteId, InvoiceId, PaymentId,
};

/// Filters of `GET /collections/payments`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentFilter {
    /// Payer.
    pub client_id: Option<ClientId>,
    /// Payments with an allocation to this invoice.
    pub invoice_id: Option<InvoiceId>,
    /// Method.
    pub method: Option<PaymentMethod>,
    /// Received on or after.
    pub from: Option<Date>,
    /// Received on or before.
    pub to: Option<Date>,
    /// Exactly this external (bank) reference.
    pub reference: Option<String>,
}

/// Filters of `GET /collections/cases`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Status.
    pub status: Option<CaseStatus>,
    /// Debtor.
    pub client_id: Option<ClientId>,
    /// Current overdue amount at least this, centimes.
    pub min_overdue: Option<i64>,
    /// Exact dunning level.
    pub dunning_level: Option<i32>,
}

/// Outstanding amounts of overdue invoices by days past due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Aging {
    /// 1 to 30 days past due.
    pub d0_30: Money,
    /// 31 to 60 days.
    pub d31_60: Money,
    /// 61 to 90 days.
    pub d61_90: Money,
    /// More than 90 days.
    pub d90_plus: Money,
}

/// The collections snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// `MAD`.
    pub currency: String,
    /// Outstanding of every open invoice.
    pub outstanding_total: Money,
    /// Outstanding of overdue invoices.
    pub overdue_total: Money,
    /// Overdue outstanding by age.
    pub aging: Aging,
    /// Number of cases in each status, every status listed.
    pub cases_by_status: Vec<(CaseStatus, i64)>,
    /// Payments received in the current calendar month.
    pub collected_this_month: Money,
    /// When the last dunning run for its day completed (scheduled or called), if ever.
    pub last_dunning_run_at: Option<OffsetDateTime>,
}

/// Storage of payments and their allocations.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait PaymentRepository {
    /// The payment with this id, with its allocations.
    fn find(&mut self, id: &PaymentId) -> Result<Option<Payment>>;
    /// Inserts a payment with its allocations, and saves the settlement of the invoices it
    /// paid (`amount_paid`, `status`, `updated_at`, as
    /// [`crate::billing::InvoiceRepository::save_settlements`]): one write for the whole
    /// posting (decision 0340). `Error::Storage` when one of `settled` no longer exists.
    /// Answers the client's credit available as the write found it, before this payment's
    /// own unallocated amount: what a payment leaving nothing unallocated reports, without a
    /// read of its own (decision 0396).
    fn insert(&mut self, payment: &Payment, settled: &[Invoice]) -> Result<Money>;
    /// Up to [`PageRequest::fetch`] payments matching `filter` whose id sorts after the
    /// page's cursor, by id, with allocations.
    fn list(&mut self, filter: &PaymentFilter, page: &PageRequest) -> Result<Vec<Payment>>;
}

/// Storage of collection cases and their actions, and the collections reads over invoices,
/// contracts and payments. Overdue means open with `due_date < today`.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait CollectionRepository {
    /// The case with this id, its overdue figures computed as of `today`.
    fn find(&mut self, id: &CaseId, today: Date) -> Result<Option<CollectionCase>>;
    /// The case with this id, locked `FOR UPDATE` (overdue figures left empty).
    fn find_for_update(&mut self, id: &CaseId) -> Result<Option<CollectionCase>>;
    /// Up to [`PageRequest::fetch`] cases matching `filter` whose id sorts after the page's
    /// cursor, by id, figures as of `today`.
    fn list(
        &mut self,
        filter: &CaseFilter,
        page: &PageRequest,
        today: Date,
    ) -> Result<Vec<CollectionCase>>;
    /// The client's live case (open, in progress, promise to pay, disputed), locked `FOR UPDATE`
    /// (overdue figures left empty).
    fn live_case_for_update(&mut self, client_id: &ClientId) -> Result<Option<CollectionCase>>;
    /// When the client's latest ended case (resolved or written off) ended, if any.
    fn last_case_end(&mut self, client_id: &ClientId) -> Result<Option<OffsetDateTime>>;
    /// Inserts a case. `Ok(false)` without inserting when the client already has a live case
    /// (unique index `collection_cases_one_live`; waits for a concurrent insert to finish).
    fn insert_case(&mut self, case: &CollectionCase) -> Result<bool>;
    /// Saves status, dunning level, `resolved_at`, `updated_at`, the promise and the ladder
    /// shift of a case (not its disputed invoices: see [`Self::open_dispute`]).
    fn update_case(&mut self, case: &CollectionCase) -> Result<()>;
    /// Records the invoices of a dispute opened on the case at `at`.
    fn open_dispute(
        &mut self,
        case_id: &CaseId,
        invoice_ids: &[InvoiceId],
        at: OffsetDateTime,
    ) -> Result<()>;
    /// Closes the case's open dispute at `at` with `outcome` (`upheld`, `rejected`,
    /// `settled`) and the credit note that upheld it; returns the invoices it held.
    fn close_dispute(
        &mut self,
        case_id: &CaseId,
        at: OffsetDateTime,
        outcome: &str,
        credit_note_id: Option<CreditNoteId>,
    ) -> Result<Vec<InvoiceId>>;
    /// The invoices of the case's open dispute, held out of the ladder.
    fn disputed_invoice_ids(&mut self, case_id: &CaseId) -> Result<Vec<InvoiceId>>;
    /// What the client has paid and been credited on all its invoices so far
    /// (`amount_paid + credited_amount`): a promise counts what this gains after it.
    fn settled_total(&mut self, client_id: &ClientId) -> Result<Money>;
    /// Appends an action. With a `dunning_step`, `Ok(false)` without inserting when that step
    /// is already recorded on the case (unique index `case_actions_step_once`), so several
    /// instances never record a step twice.
    fn insert_action(&mut self, action: &CaseAction) -> Result<bool>;
    /// The case's actions, oldest first.
    fn actions(&mut self, case_id: &CaseId) -> Result<Vec<CaseAction>>;
    /// The client's overdue invoices as of `today` (without lines), by due date then id.
    fn overdue_invoices(&mut self, client_id: &ClientId, today: Date) -> Result<Vec<Invoice>>;
    /// Ids of the client's `active` contracts.
    fn active_contract_ids(&mut self, client_id: &ClientId) -> Result<Vec<ContractId>>;
    /// Ids of the client's contracts suspended by dunning.
    fn dunning_suspended_contract_ids(&mut self, client_id: &ClientId) -> Result<Vec<ContractId>>;
    /// Clients dunning may have something to do for on `as_of`, sorted by id: with overdue
    /// invoices, a live case, or contracts suspended by dunning — less those for whom the
    /// run provably does nothing (decision 0331): a live case whose ladder reaches, counted
    /// from the oldest overdue invoice of the client, no level above its own (only when the
    /// `ladder` climbs strictly), a promise still running, or overdue debt that an ended case
    /// covers. A superset of the clients the run changes, so a second run the same day reads
    /// one query's worth.
    fn dunning_candidates(&mut self, as_of: Date, ladder: &DunningLadder) -> Result<Vec<ClientId>>;
    /// Locks the overdue invoices (as of `as_of`) of `clients` `FOR UPDATE`, in the order
    /// payments lock them (due date, then id), and returns them without lines.
    fn lock_overdue_invoices(&mut self, clients: &[ClientId], as_of: Date) -> Result<Vec<Invoice>>;
    /// The live cases of `clients`, locked `FOR UPDATE` in client order (figures empty).
    fn live_cases_for_update(&mut self, clients: &[ClientId]) -> Result<Vec<CollectionCase>>;
    /// When the latest ended case of each of `clients` ended, for those with one.
    fn last_case_ends(&mut self, clients: &[ClientId]) -> Result<Vec<(ClientId, OffsetDateTime)>>;
    /// Credit available to each of `clients` (unallocated payments and credit-note
    /// remainders), for those with any.
    fn credits_available(&mut self, clients: &[ClientId]) -> Result<Vec<(ClientId, Money)>>;
    /// Inserts cases in one statement; returns the ids of those inserted. A client that
    /// already has a live case gets none (index `collection_cases_one_live`, waiting for a
    /// concurrent insert to finish), exactly as [`Self::insert_case`].
    fn insert_cases(&mut self, cases: &[CollectionCase]) -> Result<Vec<CaseId>>;
    /// Appends actions in one statement; returns the ids of those inserted (a dunning step
    /// already recorded on its case is skipped, as [`Self::insert_action`]).
    fn insert_actions(&mut self, actions: &[CaseAction]) -> Result<Vec<CaseActionId>>;
    /// Sets the dunning level of each case and its `updated_at` to `at`, in one statement.
    fn set_dunning_levels(&mut self, levels: &[(CaseId, i32)], at: OffsetDateTime) -> Result<()>;
    /// The snapshot as of `today`, collected amounts counted over `[month_start, month_end)`.
    fn overview(&mut self, today: Date, month_start: Date, month_end: Date) -> Result<Overview>;
    /// Records that a dunning run completed at `completed_at`; an earlier instant than the
    /// one stored leaves it (several instances may finish in any order).
    fn record_dunning_run(&mut self, completed_at: OffsetDateTime) -> Result<()>;
    /// When the last dunning run completed, if ever.
    fn last_dunning_run(&mut self) -> Result<Option<OffsetDateTime>>;
    /// The UTC offset of the IANA time zone `zone` at `at`, from the database's tz data (the
    /// dunning schedule's local time). `Storage` for an unknown zone.
    fn utc_offset(&mut self, zone: &str, at: OffsetDateTime) -> Result<UtcOffset>;
}
