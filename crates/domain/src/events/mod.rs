//! Business events (issue #16): every change worth telling other systems about is recorded
//! in an outbox in the transaction of the change (decision 0260), and read back by the pull
//! feed (and the webhook deliveries) in a gap-safe order.
//!
//! Use cases record a typed [`EventPayload`] with [`record`]; the storage adapter turns it
//! into the API's JSON with an [`EventEncoder`] (decision 0261).

mod cursor;
#[cfg(test)]
mod emission_tests;
mod event;
mod event_type;
mod payload;
mod ports;
mod record;
mod service;
#[cfg(test)]
mod service_tests;

pub use cursor::EventCursor;
pub use event::{Event, NewEvent};
pub use event_type::EventType;
pub use payload::{CreditNoteOf, EventPayload, InvoiceAsOf, LineChange, LineChangeReason};
pub use ports::{EventEncoder, EventFeed, EventOutbox};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockEventEncoder, MockEventFeed, MockEventOutbox};
pub use record::{
    record, record_all, record_line_change, record_settlements, settlement_payloads, statuses,
};
pub use service::EventService;
