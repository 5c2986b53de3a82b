//! What an event carries, typed. The domain records these; an [`EventEncoder`] turns them
//! into the JSON the API would answer for the same resource, so the domain never knows the
//! API's shapes (decision 0261).
//!
//! [`EventEncoder`]: super::EventEncoder

use time::Date;

use crate::billing::{BillingRun, Invoice};
use crate::clients::{Client, Subscriber};
use crate::collections::{CaseAction, CollectionCase, Payment};
use crate::contracts::Contract;
use crate::credit_notes::CreditNote;
use crate::einvoicing::Clearance;
use crate::ledger::{RefundReceipt, ReversalReceipt};
use crate::usage::ThresholdReached;

use super::EventType;

/// Why a line was barred or opened again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChangeReason {
    /// Dunning suspended the contract, or lifted its own suspension once the debt was paid.
    Dunning,
    /// Someone changed the status through the API.
    Manual,
}

impl LineChangeReason {
    /// `dunning` or `manual`.
    pub fn as_str(self) -> &'static str {
        match self {
            LineChangeReason::Dunning => "dunning",
            LineChangeReason::Manual => "manual",
        }
    }
}

/// A contract suspended or reactivated, with what a provisioning system needs to bar or open
/// the line from this event alone.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChange {
    /// The contract after the change.
    pub contract: Contract,
    /// Why.
    pub reason: LineChangeReason,
    /// Its line (`service_identifier`: the MSISDN or access number).
    pub subscriber: Subscriber,
}

/// An invoice as of a business day (its `overdue` flag depends on the day).
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceAsOf {
    /// The invoice after the change.
    pub invoice: Invoice,
    /// The business day of the change.
    pub today: Date,
    /// Where it stands at the tax authority, when known without a read (at issue, and in
    /// the clearance events); `None` also when e-invoicing is off.
    pub clearance: Option<Clearance>,
}

/// A credit note and, with e-invoicing on, its clearance.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditNoteOf {
    /// The note.
    pub note: CreditNote,
    /// Where it stands at the tax authority; `None` when e-invoicing is off.
    pub clearance: Option<Clearance>,
}

/// The resource of an event, as the domain holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum EventPayload {
    /// `client.created`.
    ClientCreated(Client),
    /// `client.updated`.
    ClientUpdated(Client),
    /// `contract.created`.
    ContractCreated(Contract),
    /// `contract.activated`.
    ContractActivated(Contract),
    /// `contract.suspended`.
    ContractSuspended(LineChange),
    /// `contract.reactivated`.
    ContractReactivated(LineChange),
    /// `contract.terminated`.
    ContractTerminated(Contract),
    /// `contract.offer_changed`.
    ContractOfferChanged(Contract),
    /// `invoice.issued`.
    InvoiceIssued(InvoiceAsOf),
    /// `invoice.paid`.
    InvoicePaid(InvoiceAsOf),
    /// `invoice.voided`.
    InvoiceVoided(InvoiceAsOf),
    /// `credit_note.issued`.
    CreditNoteIssued(CreditNoteOf),
    /// `payment.received`.
    PaymentReceived(Payment),
    /// `payment.reversed`.
    PaymentReversed(ReversalReceipt),
    /// `refund.issued`.
    RefundIssued(RefundReceipt),
    /// `collection_case.opened`.
    CollectionCaseOpened(CollectionCase),
    /// `collection_case.step_taken`: the case after the step, and the step.
    CollectionCaseStepTaken(CollectionCase, CaseAction),
    /// `collection_case.resolved`.
    CollectionCaseResolved(CollectionCase),
    /// `billing_run.completed`.
    BillingRunCompleted(BillingRun),
    /// `invoice.cleared`: the invoice with its final clearance.
    InvoiceCleared(InvoiceAsOf),
    /// `invoice.rejected`.
    InvoiceRejected(InvoiceAsOf),
    /// `credit_note.cleared`.
    CreditNoteCleared(CreditNoteOf),
    /// `credit_note.rejected`.
    CreditNoteRejected(CreditNoteOf),
    /// `usage.allowance_threshold_reached`.
    UsageThresholdReached(ThresholdReached),
}

impl EventPayload {
    /// The event type this payload is published as.
    pub fn event_type(&self) -> EventType {
        match self {
            EventPayload::ClientCreated(_) => EventType::ClientCreated,
            EventPayload::ClientUpdated(_) => EventType::ClientUpdated,
            EventPayload::ContractCreated(_) => EventType::ContractCreated,
            EventPayload::ContractActivated(_) => EventType::ContractActivated,
            EventPayload::ContractSuspended(_) => EventType::ContractSuspended,
            EventPayload::ContractReactivated(_) => EventType::ContractReactivated,
            EventPayload::ContractTerminated(_) => EventType::ContractTerminated,
            EventPayload::ContractOfferChanged(_) => EventType::ContractOfferChanged,
            EventPayload::InvoiceIssued(_) => EventType::InvoiceIssued,
            EventPayload::InvoicePaid(_) => EventType::InvoicePaid,
            EventPayload::InvoiceVoided(_) => EventType::InvoiceVoided,
            EventPayload::CreditNoteIssued(_) => EventType::CreditNoteIssued,
            EventPayload::PaymentReceived(_) => EventType::PaymentReceived,
            EventPayload::PaymentReversed(_) => EventType::PaymentReversed,
            EventPayload::RefundIssued(_) => EventType::RefundIssued,
            EventPayload::CollectionCaseOpened(_) => EventType::CollectionCaseOpened,
            EventPayload::CollectionCaseStepTaken(..) => EventType::CollectionCaseStepTaken,
            EventPayload::CollectionCaseResolved(_) => EventType::CollectionCaseResolved,
            EventPayload::BillingRunCompleted(_) => EventType::BillingRunCompleted,
            EventPayload::InvoiceCleared(_) => EventType::InvoiceCleared,
            EventPayload::InvoiceRejected(_) => EventType::InvoiceRejected,
            EventPayload::CreditNoteCleared(_) => EventType::CreditNoteCleared,
            EventPayload::CreditNoteRejected(_) => EventType::CreditNoteRejected,
            EventPayload::UsageThresholdReached(_) => EventType::UsageThresholdReached,
        }
    }
}
