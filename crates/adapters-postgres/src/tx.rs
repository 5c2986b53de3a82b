//! `PgTx`: the unit of work over one open transaction; every repository port is implemented
//! on it, one module per aggregate.

use diesel::pg::PgConnection;
use domain::access::ActorRepository;
use domain::archive::ArchiveRepository;
use domain::billing::{BillingRunRepository, InvoiceRepository};
use domain::catalog::OfferRepository;
use domain::clients::{ClientRepository, SubscriberRepository};
use domain::collections::{CollectionRepository, PaymentRepository};
use domain::contracts::ContractRepository;
use domain::credit_notes::CreditNoteRepository;
use domain::einvoicing::ClearanceRepository;
use domain::error::{Error, Result};
use domain::events::{EventEncoder, EventFeed, EventOutbox, EventPayload};
use domain::exports::ExportRepository;
use domain::idempotency::IdempotencyRepository;
use domain::landing::{DraftRepository, OtpChallengeRepository};
use domain::ledger::LedgerRepository;
use domain::numbering::SequenceRepository;
use domain::payment_imports::PaymentImportRepository;
use domain::rate_limit::RateLimitRepository;
use domain::retention::RetentionRepository;
use domain::tx::UnitOfWork;
use domain::usage::UsageRepository;
use domain::webhooks::WebhookRepository;

/// Repositories bound to one transaction's connection.
pub struct PgTx<'a> {
    pub(crate) conn: &'a mut PgConnection,
    /// Turns event payloads into the API's JSON for the outbox.
    pub(crate) encoder: &'a dyn EventEncoder,
}

impl<'a> PgTx<'a> {
    /// Wraps a connection already inside a transaction. Its outbox refuses events: use
    /// [`PgTx::with_encoder`] where events are written.
    pub fn new(conn: &'a mut PgConnection) -> Self {
        Self {
            conn,
            encoder: &UnwiredEncoder,
        }
    }

    /// Wraps a connection whose outbox encodes events with `encoder`.
    pub fn with_encoder(conn: &'a mut PgConnection, encoder: &'a dyn EventEncoder) -> Self {
        Self { conn, encoder }
    }
}

/// The encoder of a store nobody gave one: writing an event is a wiring fault, reported as
/// such rather than storing a payload in some other shape than the API's.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnwiredEncoder;

impl EventEncoder for UnwiredEncoder {
    fn encode(&self, payload: &EventPayload) -> Result<String> {
        Err(Error::Storage(format!(
            "no event encoder is wired to encode {}",
            payload.event_type()
        )))
    }
}

impl UnitOfWork for PgTx<'_> {
    fn actors(&mut self) -> &mut dyn ActorRepository {
        self
    }
    fn idempotency(&mut self) -> &mut dyn IdempotencyRepository {
        self
    }
    fn sequences(&mut self) -> &mut dyn SequenceRepository {
        self
    }
    fn rate_limits(&mut self) -> &mut dyn RateLimitRepository {
        self
    }
    fn offers(&mut self) -> &mut dyn OfferRepository {
        self
    }
    fn clients(&mut self) -> &mut dyn ClientRepository {
        self
    }
    fn subscribers(&mut self) -> &mut dyn SubscriberRepository {
        self
    }
    fn contracts(&mut self) -> &mut dyn ContractRepository {
        self
    }
    fn drafts(&mut self) -> &mut dyn DraftRepository {
        self
    }
    fn billing_runs(&mut self) -> &mut dyn BillingRunRepository {
        self
    }
    fn invoices(&mut self) -> &mut dyn InvoiceRepository {
        self
    }
    fn payments(&mut self) -> &mut dyn PaymentRepository {
        self
    }
    fn collections(&mut self) -> &mut dyn CollectionRepository {
        self
    }
    fn otp_challenges(&mut self) -> &mut dyn OtpChallengeRepository {
        self
    }
    fn retention(&mut self) -> &mut dyn RetentionRepository {
        self
    }
    fn ledger(&mut self) -> &mut dyn LedgerRepository {
        self
    }
    fn credit_notes(&mut self) -> &mut dyn CreditNoteRepository {
        self
    }
    fn exports(&mut self) -> &mut dyn ExportRepository {
        self
    }
    fn payment_imports(&mut self) -> &mut dyn PaymentImportRepository {
        self
    }
    fn events(&mut self) -> &mut dyn EventOutbox {
        self
    }
    fn event_feed(&mut self) -> &mut dyn EventFeed {
        self
    }
    fn webhooks(&mut self) -> &mut dyn WebhookRepository {
        self
    }
    fn clearances(&mut self) -> &mut dyn ClearanceRepository {
        self
    }
    fn archive(&mut self) -> &mut dyn ArchiveRepository {
        self
    }
    fn usage(&mut self) -> &mut dyn UsageRepository {
        self
    }
}
