//! Ports of the outbox: writing events in the current transaction, reading the feed, and
//! encoding payloads as the API's JSON.

use super::{Event, EventCursor, EventPayload, EventType, NewEvent};
use crate::error::Result;

/// The outbox of the open transaction: what is appended commits or rolls back with the
/// change it describes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait EventOutbox {
    /// Appends the events, in this order, to the transaction's outbox.
    fn append(&mut self, events: &[NewEvent]) -> Result<()>;
}

/// The committed events in feed order (decision 0260).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait EventFeed {
    /// At most `limit` events after `cursor` (from the start when `None`), of the given
    /// `types` (every type when empty), in feed order. Only events that can no longer be
    /// preceded by a later commit are returned, so a reader moving its cursor past them never
    /// misses one.
    // mockall cannot mock a reference inside an `Option` without a named lifetime.
    #[allow(clippy::needless_lifetimes)]
    fn after<'a>(
        &mut self,
        cursor: Option<&'a EventCursor>,
        types: &[EventType],
        limit: usize,
    ) -> Result<Vec<Event>>;
}

/// Turns a payload into the JSON of the resource as the API returns it. Implemented by the
/// HTTP adapter (which owns the API's shapes) and handed to the storage adapter.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait EventEncoder: Send + Sync {
    /// The `data` member of the event's envelope, as JSON text: stored as written
    /// (decision 0264), so it is encoded once, with no intermediate tree.
    fn encode(&self, payload: &EventPayload) -> Result<String>;
}
