//! The outbox's encoder: an event's `data` is the resource exactly as this API answers it, so
//! a consumer parses one shape whether it read the resource or was told about it
//! (decision 0261). The storage adapter calls it; the application wires it in.

use domain::error::{Error, Result};
use domain::events::{CreditNoteOf, EventEncoder, EventPayload, InvoiceAsOf, LineChange};
use serde::Serialize;
use serde_json::json;

use crate::routes::billing_runs::BillingRunResponse;
use crate::routes::clients::ClientResponse;
use crate::routes::collections::dto::{ActionResponse, CaseResponse, PaymentSummary};
use crate::routes::contracts::ContractResponse;
use crate::routes::credit_notes::CreditNoteResponse;
use crate::routes::invoices::InvoiceResponse;
use crate::routes::ledger::{RefundResponse, ReversalResponse};
use crate::routes::subscribers::SubscriberResponse;
use crate::routes::usage::ThresholdReachedData;

/// Encodes event payloads with the API's response DTOs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiEventEncoder;

fn json(value: impl Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(encoding)
}

/// The resource's JSON text straight from its DTO: no intermediate tree (decision 0264).
fn text(value: impl Serialize) -> Result<String> {
    serde_json::to_string(&value).map_err(encoding)
}

fn encoding(e: serde_json::Error) -> Error {
    Error::Storage(format!("event encoding: {e}"))
}

/// `contract.suspended` / `contract.reactivated`: the contract, why, and its line, so a
/// provisioning system can bar or open `subscriber.service_identifier` from the event alone.
fn line_change(change: &LineChange) -> Result<String> {
    text(json!({
        "contract": json(ContractResponse::from(change.contract.clone()))?,
        "reason": change.reason.as_str(),
        "subscriber": json(SubscriberResponse::from(&change.subscriber))?,
    }))
}

/// The invoice, with its clearance where the event knows it (issue #18).
fn invoice(of: &InvoiceAsOf) -> Result<String> {
    text(
        InvoiceResponse::new(&of.invoice, of.today)
            .with_clearance(of.clearance.as_ref().map(Into::into)),
    )
}

/// The credit note, with its clearance where the event knows it.
fn credit_note(of: &CreditNoteOf) -> Result<String> {
    text(CreditNoteResponse::from(&of.note).with_clearance(of.clearance.as_ref().map(Into::into)))
}

impl EventEncoder for ApiEventEncoder {
    fn encode(&self, payload: &EventPayload) -> Result<String> {
        match payload {
            EventPayload::ClientCreated(client) | EventPayload::ClientUpdated(client) => {
                text(ClientResponse::from(client))
            }
            EventPayload::ContractCreated(contract)
            | EventPayload::ContractActivated(contract)
            | EventPayload::ContractTerminated(contract)
            | EventPayload::ContractOfferChanged(contract) => {
                text(ContractResponse::from(contract.clone()))
            }
            EventPayload::ContractSuspended(change) | EventPayload::ContractReactivated(change) => {
                line_change(change)
            }
            EventPayload::InvoiceIssued(of)
            | EventPayload::InvoicePaid(of)
            | EventPayload::InvoiceVoided(of)
            | EventPayload::InvoiceCleared(of)
            | EventPayload::InvoiceRejected(of) => invoice(of),
            EventPayload::CreditNoteIssued(of)
            | EventPayload::CreditNoteCleared(of)
            | EventPayload::CreditNoteRejected(of) => credit_note(of),
            EventPayload::PaymentReceived(payment) => text(PaymentSummary::from(payment.clone())),
            EventPayload::PaymentReversed(receipt) => text(ReversalResponse::from(receipt)),
            EventPayload::RefundIssued(receipt) => text(RefundResponse::from(receipt)),
            EventPayload::CollectionCaseOpened(case)
            | EventPayload::CollectionCaseResolved(case) => text(CaseResponse::from(case.clone())),
            EventPayload::CollectionCaseStepTaken(case, action) => text(json!({
                "case": json(CaseResponse::from(case.clone()))?,
                "action": json(ActionResponse::from(action.clone()))?,
            })),
            EventPayload::BillingRunCompleted(run) => text(BillingRunResponse::new(run, None)),
            EventPayload::UsageThresholdReached(reached) => {
                text(ThresholdReachedData::from(reached))
            }
        }
    }
}
