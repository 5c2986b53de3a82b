//! The event outbox on PostgreSQL (decision 0260): appends in the caller's transaction, one
//! binary `COPY` per call for batches (a billing batch writes its thousands of `invoice.issued`
//! in one statement), a plain `INSERT` for the few events of a single write, and the gap-safe
//! feed.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text};
use domain::error::Result;
use domain::events::{Event, EventCursor, EventFeed, EventOutbox, EventType, NewEvent};

use crate::errors::storage;
use crate::rows::event::{EventRow, JsonText, NewEventRow};
use crate::schema::events;
use crate::tx::PgTx;

/// Events in `(tx_id, seq)` order, only of transactions older than every transaction still
/// running (`pg_snapshot_xmin`): those have all committed or rolled back, so no event can
/// ever appear before the last one returned. A transaction that writes later gets a larger
/// id than any running one, so it sorts after too.
const FEED: &str = "\
    SELECT id, type AS event_type, occurred_at, actor_id, data, tx_id::text AS tx_id, seq \
    FROM events \
    WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot()) \
      AND (tx_id, seq) > ($1::xid8, $2) \
      AND (cardinality($3::text[]) = 0 OR type = ANY($3)) \
    ORDER BY tx_id, seq \
    LIMIT $4";

/// Up to this many events go in as a plain `INSERT`: one round trip, where `COPY` takes two
/// and costs more to set up than a payment's one or two rows (decision 0340).
const INSERT_AT_MOST: usize = 8;

impl EventOutbox for PgTx<'_> {
    fn append(&mut self, batch: &[NewEvent]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let rows = batch
            .iter()
            .map(|event| {
                Ok(NewEventRow {
                    id: event.id.as_str(),
                    event_type: event.event_type().as_str(),
                    occurred_at: event.occurred_at,
                    actor_id: event.actor_id.as_deref(),
                    data: JsonText(self.encoder.encode(&event.payload)?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if rows.len() <= INSERT_AT_MOST {
            diesel::insert_into(events::table)
                .values(rows)
                .execute(self.conn)
                .map_err(storage)?;
        } else {
            diesel::copy_from(events::table)
                .from_insertable(rows)
                .execute(self.conn)
                .map_err(storage)?;
        }
        Ok(())
    }
}

impl EventFeed for PgTx<'_> {
    fn after(
        &mut self,
        cursor: Option<&EventCursor>,
        types: &[EventType],
        limit: usize,
    ) -> Result<Vec<Event>> {
        let start = cursor.copied().unwrap_or(EventCursor { tx_id: 0, seq: 0 });
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        diesel::sql_query(FEED)
            .bind::<Text, _>(start.tx_id.to_string())
            .bind::<BigInt, _>(start.seq)
            .bind::<Array<Text>, _>(names)
            .bind::<BigInt, _>(i64::try_from(limit).unwrap_or(i64::MAX))
            .load::<EventRow>(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(Event::try_from)
            .collect()
    }
}
