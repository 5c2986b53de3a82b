//! The event feed's query and answer.

use domain::error::Error;
use domain::events::{Event, EventCursor, EventType};
use domain::page::{Page, DEFAULT_LIMIT, MAX_LIMIT};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// Query parameters of `GET /events`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFeedQuery {
    /// `next_cursor` of a previous answer: the events written after it. Absent: from the
    /// oldest event kept.
    #[param(value_type = Option<String>, pattern = "^[0-9a-f]{32}$")]
    pub after: Option<EventCursor>,
    /// Only these types, comma-separated (`contract.suspended,contract.reactivated`);
    /// an unknown type is 422 naming `type`.
    #[param(rename = "type", value_type = Option<String>)]
    pub types: Vec<EventType>,
    /// Events per answer, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
}

fn types_of(raw: &str) -> Result<Vec<EventType>, ApiError> {
    let mut types = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let Some(t) = EventType::parse(name) else {
            return Err(Error::invalid("type", format!("`{name}` is not an event type")).into());
        };
        if !types.contains(&t) {
            types.push(t);
        }
    }
    Ok(types)
}

impl FromQuery for EventFeedQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        // A cursor or a type that parses as text but names nothing this feed knows is a
        // well-formed request with a bad value: 422, like a bad field of a body.
        let after = match params.take("after")? {
            None => None,
            Some(raw) => {
                Some(EventCursor::parse(&raw).map_err(|message| Error::invalid("after", message))?)
            }
        };
        let types = match params.take("type")? {
            None => Vec::new(),
            Some(raw) => types_of(&raw)?,
        };
        let limit = params
            .parse_with("limit", |raw| {
                raw.parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| format!("must be a whole number between 1 and {MAX_LIMIT}"))
            })?
            .unwrap_or(DEFAULT_LIMIT);
        Ok(EventFeedQuery {
            after,
            types,
            limit,
        })
    }
}

/// The catalogue in the document: every type the feed and webhooks publish (docs/events.md).
fn event_type_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some("Dot name, past tense (`contract.suspended`)."))
        .enum_values(Some(
            domain::events::EventType::ALL
                .iter()
                .map(|event_type| event_type.as_str()),
        ))
        .build()
}

/// One event: what happened, when, by whom, and the resource as the API returns it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventResponse {
    /// `evt_…`: the same in the feed and in every webhook delivery; deduplicate on it.
    pub id: String,
    /// Dot name, past tense (`contract.suspended`).
    #[serde(rename = "type")]
    #[schema(schema_with = event_type_schema)]
    pub event_type: String,
    /// When the change happened.
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// Who made the change; `null` for the system's own jobs (billing runs, dunning) and
    /// for changes whose caller is not recorded.
    pub actor_id: Option<String>,
    /// The resource as its own endpoint returns it (see `docs/events.md` per type).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<Event> for EventResponse {
    fn from(event: Event) -> Self {
        EventResponse {
            id: event.id.into_string(),
            event_type: event.event_type.as_str().to_owned(),
            occurred_at: event.occurred_at,
            actor_id: event.actor_id,
            data: event.data,
        }
    }
}

/// Events in feed order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventList {
    /// The events, oldest first in feed order.
    pub items: Vec<EventResponse>,
    /// Pass as `after` to read on. Unlike other lists it is given even when `items` is
    /// empty (the `after` sent), since the feed has no last page: store it and poll again.
    /// `null` only when the feed was read from its start and holds nothing yet.
    pub next_cursor: Option<String>,
}

impl From<Page<Event>> for EventList {
    fn from(page: Page<Event>) -> Self {
        EventList {
            items: page.items.into_iter().map(EventResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}
