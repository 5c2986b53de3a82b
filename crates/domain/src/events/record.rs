//! How a use case records its events: through its unit of work, so they commit with it.

use time::OffsetDateTime;

use super::{EventPayload, NewEvent};
use crate::error::Result;
use crate::ids::IdGenerator;
use crate::tx::UnitOfWork;

/// Records one event in the transaction of `uow`.
pub fn record(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    occurred_at: OffsetDateTime,
    actor_id: Option<&str>,
    payload: EventPayload,
) -> Result<()> {
    uow.events()
        .append(&[NewEvent::new(ids, occurred_at, actor_id, payload)])
}

/// Records several events at once (one write for a whole billing batch).
pub fn record_all(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    occurred_at: OffsetDateTime,
    actor_id: Option<&str>,
    payloads: impl IntoIterator<Item = EventPayload>,
) -> Result<()> {
    let events: Vec<NewEvent> = payloads
        .into_iter()
        .map(|payload| NewEvent::new(ids, occurred_at, actor_id, payload))
        .collect();
    if events.is_empty() {
        return Ok(());
    }
    uow.events().append(&events)
}
