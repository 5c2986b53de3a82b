//! The pull feed use case.

use std::sync::Arc;

use super::{Event, EventCursor, EventType};
use crate::error::Result;
use crate::page::Page;
use crate::ports::Ports;
use crate::tx::{read, TransactionRunner};

/// Reads the event feed.
#[derive(Clone)]
pub struct EventService {
    tx: Arc<dyn TransactionRunner>,
}

impl EventService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
        }
    }

    /// At most `limit` events after `after`, of `types` (all when empty), in feed order.
    ///
    /// Unlike other lists, a feed has no last page: new events arrive behind it. So
    /// `next_cursor` is always where to continue — the last event's cursor, or `after`
    /// itself when nothing new is there yet (`None` only when the feed was read from its
    /// start and is empty).
    pub fn feed(
        &self,
        after: Option<&EventCursor>,
        types: &[EventType],
        limit: usize,
    ) -> Result<Page<Event>> {
        let items = read(self.tx.as_ref(), |uow| {
            uow.event_feed().after(after, types, limit)
        })?;
        let next = items.last().map(|e| e.cursor).or(after.copied());
        Ok(Page {
            items,
            next_cursor: next.map(|c| c.to_string()),
        })
    }
}
