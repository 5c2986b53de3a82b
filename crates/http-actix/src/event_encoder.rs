//! The outbox's encoder: an event's `data` is the resource exactly as this API answers it, so
//! a consumer parses one shape whether it read the resource or was told about it
//! (decision 0261). The storage adapter calls it; the application wires it in.

use domain::error::{Error, Result};
use domain::events::{EventEncoder, EventPayload};
use serde::Serialize;

use crate::routes::clients::ClientResponse;

/// Encodes event payloads with the API's response DTOs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiEventEncoder;

fn json(value: impl Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::Storage(format!("event encoding: {e}")))
}

impl EventEncoder for ApiEventEncoder {
    fn encode(&self, payload: &EventPayload) -> Result<serde_json::Value> {
        match payload {
            EventPayload::ClientCreated(client) | EventPayload::ClientUpdated(client) => {
                json(ClientResponse::from(client))
            }
        }
    }
}
