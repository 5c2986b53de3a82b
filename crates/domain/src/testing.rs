//! Test doubles of the storage ports: a unit of work made of mockall mocks, and a transaction
//! runner that hands it to the use case. Available with the `mocks` feature.

use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

use crate::access::{ActorRepository, MockActorRepository, MockCredentials};
use crate::archive::{ArchiveRepository, MockArchiveRepository};
use crate::billing::{
    BillingRunRepository, InvoiceRepository, MockBillingRunRepository, MockInvoiceRepository,
};
use crate::catalog::{MockOfferRepository, OfferRepository};
use crate::clients::{
    ClientRepository, MockClientRepository, MockSubscriberRepository, SubscriberRepository,
};
use crate::clock::MockClock;
use crate::collections::{
    CollectionRepository, MockCollectionRepository, MockPaymentRepository, PaymentRepository,
};
use crate::contracts::{ContractRepository, MockContractRepository};
use crate::credit_notes::{CreditNoteRepository, MockCreditNoteRepository};
use crate::documents::MockDocumentRenderer;
use crate::einvoicing::{ClearanceRepository, MockClearanceRepository, MockUblRenderer};
use crate::error::{Error, Result};
use crate::events::{EventFeed, EventOutbox, EventType, MockEventFeed, NewEvent};
use crate::exports::{ExportRepository, MockExportRepository};
use crate::idempotency::{IdempotencyRepository, MockIdempotencyRepository};
use crate::ids::{IdGenerator, IdKind};
use crate::landing::{
    DraftRepository, MockDraftRepository, MockOtpChallengeRepository, MockOtpCodes, MockOtpSender,
    OtpChallengeRepository,
};
use crate::ledger::{LedgerRepository, MockLedgerRepository};
use crate::numbering::{MockSequenceRepository, SequenceRepository};
use crate::page::PageRequest;
use crate::payment_imports::{MockPaymentImportRepository, PaymentImportRepository};
use crate::ports::Ports;
use crate::rate_limit::{MockRateLimitRepository, RateLimitRepository};
use crate::retention::{MockRetentionRepository, RetentionRepository};
use crate::settings::Settings;
use crate::tokens::MockTokenService;
use crate::tx::{TransactionRunner, UnitOfWork};
use crate::usage::{MockUsageRepository, UsageRepository};
use crate::webhooks::{MockWebhookRepository, WebhookRepository};

/// A unit of work whose repositories are mockall mocks. Set expectations on the fields.
#[derive(Default)]
#[allow(missing_docs)]
pub struct MockUnitOfWork {
    pub actors: MockActorRepository,
    pub idempotency: MockIdempotencyRepository,
    pub sequences: MockSequenceRepository,
    pub rate_limits: MockRateLimitRepository,
    pub offers: MockOfferRepository,
    pub clients: MockClientRepository,
    pub subscribers: MockSubscriberRepository,
    pub contracts: MockContractRepository,
    pub drafts: MockDraftRepository,
    pub billing_runs: MockBillingRunRepository,
    pub invoices: MockInvoiceRepository,
    pub payments: MockPaymentRepository,
    pub collections: MockCollectionRepository,
    pub otp_challenges: MockOtpChallengeRepository,
    pub retention: MockRetentionRepository,
    pub ledger: MockLedgerRepository,
    pub credit_notes: MockCreditNoteRepository,
    pub exports: MockExportRepository,
    pub payment_imports: MockPaymentImportRepository,
    pub events: RecordingOutbox,
    pub event_feed: MockEventFeed,
    pub webhooks: MockWebhookRepository,
    pub clearances: MockClearanceRepository,
    pub archive: MockArchiveRepository,
    pub usage: MockUsageRepository,
}

impl UnitOfWork for MockUnitOfWork {
    fn actors(&mut self) -> &mut dyn ActorRepository {
        &mut self.actors
    }
    fn idempotency(&mut self) -> &mut dyn IdempotencyRepository {
        &mut self.idempotency
    }
    fn sequences(&mut self) -> &mut dyn SequenceRepository {
        &mut self.sequences
    }
    fn rate_limits(&mut self) -> &mut dyn RateLimitRepository {
        &mut self.rate_limits
    }
    fn offers(&mut self) -> &mut dyn OfferRepository {
        &mut self.offers
    }
    fn clients(&mut self) -> &mut dyn ClientRepository {
        &mut self.clients
    }
    fn subscribers(&mut self) -> &mut dyn SubscriberRepository {
        &mut self.subscribers
    }
    fn contracts(&mut self) -> &mut dyn ContractRepository {
        &mut self.contracts
    }
    fn drafts(&mut self) -> &mut dyn DraftRepository {
        &mut self.drafts
    }
    fn billing_runs(&mut self) -> &mut dyn BillingRunRepository {
        &mut self.billing_runs
    }
    fn invoices(&mut self) -> &mut dyn InvoiceRepository {
        &mut self.invoices
    }
    fn payments(&mut self) -> &mut dyn PaymentRepository {
        &mut self.payments
    }
    fn collections(&mut self) -> &mut dyn CollectionRepository {
        &mut self.collections
    }
    fn otp_challenges(&mut self) -> &mut dyn OtpChallengeRepository {
        &mut self.otp_challenges
    }
    fn retention(&mut self) -> &mut dyn RetentionRepository {
        &mut self.retention
    }
    fn ledger(&mut self) -> &mut dyn LedgerRepository {
        &mut self.ledger
    }
    fn credit_notes(&mut self) -> &mut dyn CreditNoteRepository {
        &mut self.credit_notes
    }
    fn exports(&mut self) -> &mut dyn ExportRepository {
        &mut self.exports
    }
    fn payment_imports(&mut self) -> &mut dyn PaymentImportRepository {
        &mut self.payment_imports
    }
    fn events(&mut self) -> &mut dyn EventOutbox {
        &mut self.events
    }
    fn event_feed(&mut self) -> &mut dyn EventFeed {
        &mut self.event_feed
    }
    fn webhooks(&mut self) -> &mut dyn WebhookRepository {
        &mut self.webhooks
    }
    fn clearances(&mut self) -> &mut dyn ClearanceRepository {
        &mut self.clearances
    }

    fn archive(&mut self) -> &mut dyn ArchiveRepository {
        &mut self.archive
    }
    fn usage(&mut self) -> &mut dyn UsageRepository {
        &mut self.usage
    }
}

/// An outbox that keeps what use cases append, transaction-aware like the real one: events
/// appended by a transaction that rolls back are dropped ([`MockTransactions`] tells it), so
/// a test sees exactly what would have been published.
#[derive(Debug, Default)]
pub struct RecordingOutbox {
    committed: Vec<NewEvent>,
    pending: Vec<NewEvent>,
    /// When set, every append fails with `Error::Storage`: the outbox is unavailable.
    pub failing: bool,
    appends: usize,
}

impl RecordingOutbox {
    /// Events of committed transactions, in order.
    pub fn committed(&self) -> &[NewEvent] {
        &self.committed
    }

    /// Their types, in order.
    pub fn types(&self) -> Vec<EventType> {
        self.committed.iter().map(NewEvent::event_type).collect()
    }

    /// How many times `append` was called, committed or not (each call is one statement).
    pub fn append_calls(&self) -> usize {
        self.appends
    }

    fn finish(&mut self, committed: bool) {
        if committed {
            self.committed.append(&mut self.pending);
        } else {
            self.pending.clear();
        }
    }
}

impl EventOutbox for RecordingOutbox {
    fn append(&mut self, events: &[NewEvent]) -> Result<()> {
        self.appends += 1;
        if self.failing {
            return Err(Error::Storage("outbox unavailable".into()));
        }
        self.pending.extend_from_slice(events);
        Ok(())
    }
}

/// Runs every transaction on one shared [`MockUnitOfWork`] and counts commits and rollbacks.
#[derive(Default)]
pub struct MockTransactions {
    /// The unit of work handed to use cases.
    pub uow: Mutex<MockUnitOfWork>,
    /// Transactions whose work returned `Ok`.
    pub commits: Mutex<usize>,
    /// Transactions whose work returned `Err`.
    pub rollbacks: Mutex<usize>,
}

impl MockTransactions {
    /// Wraps a prepared unit of work.
    pub fn new(uow: MockUnitOfWork) -> Arc<Self> {
        Arc::new(Self {
            uow: Mutex::new(uow),
            ..Self::default()
        })
    }

    /// How many transactions committed.
    pub fn commit_count(&self) -> usize {
        self.commits.lock().map(|c| *c).unwrap_or(0)
    }

    /// The events of committed transactions, in order.
    pub fn recorded_events(&self) -> Vec<NewEvent> {
        self.uow
            .lock()
            .map(|uow| uow.events.committed().to_vec())
            .unwrap_or_default()
    }

    /// Their types, in order.
    pub fn recorded_types(&self) -> Vec<EventType> {
        self.uow
            .lock()
            .map(|uow| uow.events.types())
            .unwrap_or_default()
    }

    /// How many transactions rolled back.
    pub fn rollback_count(&self) -> usize {
        self.rollbacks.lock().map(|c| *c).unwrap_or(0)
    }
}

impl TransactionRunner for MockTransactions {
    fn run(&self, work: &mut dyn FnMut(&mut dyn UnitOfWork) -> Result<()>) -> Result<()> {
        let mut uow = self
            .uow
            .lock()
            .map_err(|_| Error::Storage("mock unit of work poisoned".into()))?;
        let result = work(&mut *uow);
        uow.events.finish(result.is_ok());
        let counter = if result.is_ok() {
            &self.commits
        } else {
            &self.rollbacks
        };
        if let Ok(mut count) = counter.lock() {
            *count += 1;
        }
        result
    }
}

/// Ids `<prefix>0001`, `<prefix>0002`… in order, for predictable assertions.
#[derive(Debug, Default)]
pub struct SequentialIds {
    next: Mutex<u64>,
}

impl IdGenerator for SequentialIds {
    fn new_id(&self, kind: IdKind) -> String {
        let mut next = match self.next.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *next += 1;
        format!("{}{:04}", kind.prefix(), *next)
    }

    /// Same numbering, marked as a secret so tests can tell which kind of id was asked for.
    fn secret(&self, kind: IdKind) -> String {
        let plain = self.new_id(kind);
        format!("{}secret{}", kind.prefix(), &plain[kind.prefix().len()..])
    }
}

/// A clock mock that always answers `at`.
pub fn fixed_clock(at: OffsetDateTime) -> MockClock {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(at);
    clock.expect_today().return_const(at.date());
    clock
}

/// Ports over the given transactions and clock, with sequential ids and default settings;
/// credentials, tokens, the renderer and the one-time-code ports are mocks without expectations (pass your own with
/// struct update syntax when a test needs them).
pub fn ports(tx: Arc<dyn TransactionRunner>, clock: MockClock) -> Ports {
    Ports {
        tx,
        clock: Arc::new(clock),
        ids: Arc::new(SequentialIds::default()),
        credentials: Arc::new(MockCredentials::new()),
        tokens: Arc::new(MockTokenService::new()),
        renderer: Arc::new(MockDocumentRenderer::new()),
        ubl: Arc::new(MockUblRenderer::new()),
        settings: Arc::new(Settings::default()),
        key_locks: Arc::new(LocalKeyLocks::default()),
        otp_sender: Arc::new(MockOtpSender::new()),
        otp_codes: Arc::new(MockOtpCodes::new()),
    }
}

/// In-process [`KeyLocks`](crate::idempotency::KeyLocks) for unit tests: a set of held keys.
#[derive(Debug, Default)]
pub struct LocalKeyLocks {
    held: Arc<Mutex<std::collections::HashSet<(String, String)>>>,
    billing_runs: Arc<Mutex<usize>>,
}

/// Removes its key from the set when dropped.
struct LocalHold {
    held: Arc<Mutex<std::collections::HashSet<(String, String)>>>,
    key: (String, String),
}

impl Drop for LocalHold {
    fn drop(&mut self) {
        if let Ok(mut held) = self.held.lock() {
            held.remove(&self.key);
        }
    }
}

impl LocalKeyLocks {
    /// How many guards of the billing-run lock are alive.
    pub fn billing_runs_held(&self) -> usize {
        self.billing_runs
            .lock()
            .map(|held| *held)
            .unwrap_or_default()
    }
}

/// Counts itself out of the billing-run holders when dropped.
struct LocalBillingHold {
    held: Arc<Mutex<usize>>,
}

impl Drop for LocalBillingHold {
    fn drop(&mut self) {
        if let Ok(mut held) = self.held.lock() {
            *held = held.saturating_sub(1);
        }
    }
}

impl crate::idempotency::KeyLocks for LocalKeyLocks {
    fn hold_billing_run(&self) -> Result<crate::idempotency::KeyLock> {
        let mut held = self
            .billing_runs
            .lock()
            .map_err(|_| Error::Storage("key locks poisoned".into()))?;
        *held += 1;
        Ok(crate::idempotency::KeyLock::new(Box::new(
            LocalBillingHold {
                held: self.billing_runs.clone(),
            },
        )))
    }

    fn try_hold(&self, scope: &str, key: &str) -> Result<Option<crate::idempotency::KeyLock>> {
        let pair = (scope.to_owned(), key.to_owned());
        let mut held = self
            .held
            .lock()
            .map_err(|_| Error::Storage("key locks poisoned".into()))?;
        if !held.insert(pair.clone()) {
            return Ok(None);
        }
        Ok(Some(crate::idempotency::KeyLock::new(Box::new(
            LocalHold {
                held: self.held.clone(),
                key: pair,
            },
        ))))
    }
}

/// What a listing repository answers for `page` over `rows` (sorted by `id`): the rows after
/// the page's cursor, at most [`PageRequest::fetch`]. Lets a mocked `list` port serve pages
/// the way PostgreSQL does, so a test can walk a list to its end.
pub fn fetched<T: Clone>(rows: &[T], page: &PageRequest, id: impl Fn(&T) -> &str) -> Vec<T> {
    rows.iter()
        .filter(|row| page.after().is_none_or(|after| id(row) > after))
        .take(page.fetch())
        .cloned()
        .collect()
}

/// The buyer of test invoices: a person with a CIN and an address.
pub fn buyer() -> crate::parties::BuyerIdentity {
    crate::parties::BuyerIdentity {
        name: "Hajar Benkirane".into(),
        cin: Some("AB123456".into()),
        ice: None,
        address: Some("12 rue Talaa".into()),
        city: Some("Fès".into()),
    }
}
