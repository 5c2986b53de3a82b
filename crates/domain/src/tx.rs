//! The unit of work: one use case, one database transaction.

use crate::access::ActorRepository;
use crate::archive::ArchiveRepository;
use crate::billing::{BillingRunRepository, InvoiceRepository};
use crate::catalog::OfferRepository;
use crate::clients::{ClientRepository, SubscriberRepository};
use crate::collections::{CollectionRepository, PaymentRepository};
use crate::contracts::ContractRepository;
use crate::credit_notes::CreditNoteRepository;
use crate::einvoicing::ClearanceRepository;
use crate::error::{Error, Result};
use crate::events::{EventFeed, EventOutbox};
use crate::exports::ExportRepository;
use crate::idempotency::IdempotencyRepository;
use crate::landing::{DraftRepository, OtpChallengeRepository};
use crate::ledger::LedgerRepository;
use crate::numbering::SequenceRepository;
use crate::payment_imports::PaymentImportRepository;
use crate::rate_limit::RateLimitRepository;
use crate::retention::RetentionRepository;
use crate::usage::UsageRepository;
use crate::webhooks::WebhookRepository;

/// The repositories of one open transaction. Everything done through them commits or rolls
/// back together.
pub trait UnitOfWork {
    /// Actors and their credentials.
    fn actors(&mut self) -> &mut dyn ActorRepository;
    /// Stored responses of idempotent writes.
    fn idempotency(&mut self) -> &mut dyn IdempotencyRepository;
    /// Gapless legal number sequences.
    fn sequences(&mut self) -> &mut dyn SequenceRepository;
    /// Rate-limit windows.
    fn rate_limits(&mut self) -> &mut dyn RateLimitRepository;
    /// The offer catalog.
    fn offers(&mut self) -> &mut dyn OfferRepository;
    /// Clients.
    fn clients(&mut self) -> &mut dyn ClientRepository;
    /// Subscribers (service lines).
    fn subscribers(&mut self) -> &mut dyn SubscriberRepository;
    /// Contracts, their offer history, audit trail and documents.
    fn contracts(&mut self) -> &mut dyn ContractRepository;
    /// Landing drafts.
    fn drafts(&mut self) -> &mut dyn DraftRepository;
    /// Billing runs.
    fn billing_runs(&mut self) -> &mut dyn BillingRunRepository;
    /// Invoices, their lines and documents.
    fn invoices(&mut self) -> &mut dyn InvoiceRepository;
    /// Payments and allocations.
    fn payments(&mut self) -> &mut dyn PaymentRepository;
    /// Collection cases and their actions.
    fn collections(&mut self) -> &mut dyn CollectionRepository;
    /// One-time-code challenges of the landing.
    fn otp_challenges(&mut self) -> &mut dyn OtpChallengeRepository;
    /// Purge of expired working data.
    fn retention(&mut self) -> &mut dyn RetentionRepository;
    /// Client credit, its applications and the ledger audit.
    fn ledger(&mut self) -> &mut dyn LedgerRepository;
    /// Credit notes, their lines and documents.
    fn credit_notes(&mut self) -> &mut dyn CreditNoteRepository;
    /// Reads of the accounting exports and reports.
    fn exports(&mut self) -> &mut dyn ExportRepository;
    /// Imported bank files and unidentified receipts.
    fn payment_imports(&mut self) -> &mut dyn PaymentImportRepository;
    /// The event outbox: events appended here commit with the change they describe.
    fn events(&mut self) -> &mut dyn EventOutbox;
    /// The committed events, for the feed.
    fn event_feed(&mut self) -> &mut dyn EventFeed;
    /// Webhook endpoints, deliveries and the dispatcher's cursor.
    fn webhooks(&mut self) -> &mut dyn WebhookRepository;
    /// Clearances of invoices and credit notes by the tax authority.
    fn clearances(&mut self) -> &mut dyn ClearanceRepository;
    /// The tamper-evident archive: chain heads and sealed entries.
    fn archive(&mut self) -> &mut dyn ArchiveRepository;
    /// Usage records from the network.
    fn usage(&mut self) -> &mut dyn UsageRepository;
}

/// Opens transactions. `run` commits when `work` returns `Ok` and rolls back otherwise.
/// (Its test double is the hand-written `testing::MockTransactions`: mockall cannot mock a
/// callback that borrows a trait object.)
pub trait TransactionRunner: Send + Sync {
    /// Runs `work` inside one transaction. Adapters return `Error::Unavailable` when no
    /// connection can be had and `Error::Storage` when the commit fails.
    fn run(&self, work: &mut dyn FnMut(&mut dyn UnitOfWork) -> Result<()>) -> Result<()>;

    /// Runs read-only `work` without opening a transaction (each statement sees the latest
    /// committed data). Saves the BEGIN/COMMIT round trips on hot reads; never use it for
    /// writes or for reads that must be consistent with each other.
    fn read(&self, work: &mut dyn FnMut(&mut dyn UnitOfWork) -> Result<()>) -> Result<()> {
        self.run(work)
    }
}

/// Runs `work` in one transaction and returns its value.
pub fn transaction<T>(
    runner: &dyn TransactionRunner,
    mut work: impl FnMut(&mut dyn UnitOfWork) -> Result<T>,
) -> Result<T> {
    let mut output = None;
    runner.run(&mut |uow| {
        output = Some(work(uow)?);
        Ok(())
    })?;
    output.ok_or_else(|| Error::Storage("transaction finished without a result".into()))
}

/// Runs read-only `work` outside a transaction (see [`TransactionRunner::read`]).
pub fn read<T>(
    runner: &dyn TransactionRunner,
    mut work: impl FnMut(&mut dyn UnitOfWork) -> Result<T>,
) -> Result<T> {
    let mut output = None;
    runner.read(&mut |uow| {
        output = Some(work(uow)?);
        Ok(())
    })?;
    output.ok_or_else(|| Error::Storage("read finished without a result".into()))
}
