//! What an event carries, typed. The domain records these; an [`EventEncoder`] turns them
//! into the JSON the API would answer for the same resource, so the domain never knows the
//! API's shapes (decision 0261).
//!
//! [`EventEncoder`]: super::EventEncoder

use crate::clients::Client;

use super::EventType;

/// The resource of an event, as the domain holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum EventPayload {
    /// `client.created`.
    ClientCreated(Client),
    /// `client.updated`.
    ClientUpdated(Client),
}

impl EventPayload {
    /// The event type this payload is published as.
    pub fn event_type(&self) -> EventType {
        match self {
            EventPayload::ClientCreated(_) => EventType::ClientCreated,
            EventPayload::ClientUpdated(_) => EventType::ClientUpdated,
        }
    }
}
