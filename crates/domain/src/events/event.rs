//! The envelope: an event as recorded in the outbox and as the feed returns it.

use time::OffsetDateTime;

use super::{EventCursor, EventPayload, EventType};
use crate::access::split_recorded_who;
use crate::collections::SYSTEM_ACTOR;
use crate::ids::IdGenerator;
use crate::typed_ids::EventId;

/// An event to record in the current transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// `evt_…`.
    pub id: EventId,
    /// When the change happened (the use case's clock).
    pub occurred_at: OffsetDateTime,
    /// Who made the change; `None` for the system's own jobs and for use cases that are not
    /// told who calls them.
    pub actor_id: Option<String>,
    /// The resource that changed.
    pub payload: EventPayload,
}

impl NewEvent {
    /// A new event with a fresh id. `actor_id` is the "who" use cases record: a delegated
    /// call (`act_x via act_gw`) keeps the acting actor, and the system's own jobs
    /// (`system`) have none.
    pub fn new(
        ids: &dyn IdGenerator,
        occurred_at: OffsetDateTime,
        actor_id: Option<&str>,
        payload: EventPayload,
    ) -> NewEvent {
        NewEvent {
            id: EventId::generate(ids),
            occurred_at,
            actor_id: actor_id
                .map(|who| split_recorded_who(who).0)
                .filter(|who| *who != SYSTEM_ACTOR)
                .map(str::to_owned),
            payload,
        }
    }

    /// Its type.
    pub fn event_type(&self) -> EventType {
        self.payload.event_type()
    }
}

/// A recorded event, read back from the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `evt_…`, stable: consumers deduplicate on it.
    pub id: EventId,
    /// What happened.
    pub event_type: EventType,
    /// When.
    pub occurred_at: OffsetDateTime,
    /// Who, when known.
    pub actor_id: Option<String>,
    /// The resource as the API returns it.
    pub data: serde_json::Value,
    /// Its position in the feed.
    pub cursor: EventCursor,
}
