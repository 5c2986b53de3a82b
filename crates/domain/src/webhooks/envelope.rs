//! The body of a delivery: the event's envelope, the same shape `GET /events` answers.

use time::format_description::well_known::Rfc3339;

use crate::error::{Error, Result};
use crate::events::Event;

/// `{id, type, occurred_at, actor_id, data}` serialised once, when the delivery is made:
/// every attempt posts (and signs) these bytes.
pub fn envelope(event: &Event) -> Result<String> {
    let occurred_at = event
        .occurred_at
        .format(&Rfc3339)
        .map_err(|e| Error::Storage(format!("event {}: {e}", event.id)))?;
    serde_json::to_string(&serde_json::json!({
        "id": event.id.as_str(),
        "type": event.event_type.as_str(),
        "occurred_at": occurred_at,
        "actor_id": event.actor_id,
        "data": event.data,
    }))
    .map_err(|e| Error::Storage(format!("event {}: {e}", event.id)))
}
