//! Rows of the event outbox.

use std::io::Write;

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{BigInt, Json, Nullable, Text, Timestamptz};
use domain::error::{Error, Result};
use domain::events::{Event, EventCursor, EventType};
use domain::typed_ids::EventId;
use time::OffsetDateTime;

use super::corrupt;
use crate::schema::events;

/// An event to append (`tx_id` and `seq` take their column defaults).
#[derive(Insertable)]
#[diesel(table_name = events, treat_none_as_default_value = false)]
pub(crate) struct NewEventRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) event_type: &'static str,
    pub(crate) occurred_at: OffsetDateTime,
    pub(crate) actor_id: Option<&'a str>,
    pub(crate) data: JsonText,
}

/// JSON text bound to a `json` column as is: `json`'s wire form, in text and binary alike,
/// is the text itself, so the encoder's output goes out without being parsed again.
#[derive(Debug, diesel::expression::AsExpression)]
#[diesel(sql_type = Json)]
pub(crate) struct JsonText(pub(crate) String);

impl ToSql<Json, Pg> for JsonText {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.0.as_bytes())?;
        Ok(IsNull::No)
    }
}

/// An event read by the feed, with its position.
#[derive(QueryableByName)]
pub(crate) struct EventRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    event_type: String,
    #[diesel(sql_type = Timestamptz)]
    occurred_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    actor_id: Option<String>,
    #[diesel(sql_type = Json)]
    data: serde_json::Value,
    /// `xid8` as text: diesel has no type for it.
    #[diesel(sql_type = Text)]
    tx_id: String,
    #[diesel(sql_type = BigInt)]
    seq: i64,
}

impl TryFrom<EventRow> for Event {
    type Error = Error;

    fn try_from(row: EventRow) -> Result<Event> {
        let event_type = EventType::parse(&row.event_type)
            .ok_or_else(|| corrupt("events", &row.id, format!("type {}", row.event_type)))?;
        let tx_id = row
            .tx_id
            .parse::<u64>()
            .map_err(|e| corrupt("events", &row.id, format!("tx_id: {e}")))?;
        Ok(Event {
            id: EventId::from_stored(row.id),
            event_type,
            occurred_at: row.occurred_at,
            actor_id: row.actor_id,
            data: row.data,
            cursor: EventCursor {
                tx_id,
                seq: row.seq,
            },
        })
    }
}
