//! `EventOutbox` and `EventFeed` against PostgreSQL: order, filters, the unwired encoder and
//! the gap-safety of the feed under a transaction that commits late.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::PgConnection;
use domain::clients::ClientRepository;
use domain::events::{
    EventCursor, EventEncoder, EventFeed, EventOutbox, EventPayload, EventType, NewEvent,
};
use domain::typed_ids::EventId;
use serde_json::json;
use std::time::{Duration, Instant};

use super::test_support::{assert_storage, at, client_id, count, seeded};
use crate::tx::PgTx;

/// Encodes a payload as its type and resource id, enough to tell events apart.
struct IdEncoder;

impl EventEncoder for IdEncoder {
    fn encode(&self, payload: &EventPayload) -> domain::Result<String> {
        let id = match payload {
            EventPayload::ClientCreated(c) | EventPayload::ClientUpdated(c) => c.id.as_str(),
            _ => "other",
        };
        Ok(json!({ "type": payload.event_type().as_str(), "id": id }).to_string())
    }
}

fn event(conn: &mut PgConnection, id: &str, created: bool) -> NewEvent {
    let client = PgTx::new(conn)
        .find(&client_id("cli_1"))
        .unwrap()
        .expect("client 1");
    NewEvent {
        id: EventId::from_stored(id),
        occurred_at: at(),
        actor_id: Some("act_1".into()),
        payload: if created {
            EventPayload::ClientCreated(client)
        } else {
            EventPayload::ClientUpdated(client)
        },
    }
}

fn append(conn: &mut PgConnection, events: &[NewEvent]) {
    PgTx::with_encoder(conn, &IdEncoder)
        .append(events)
        .expect("append");
}

fn feed(
    conn: &mut PgConnection,
    after: Option<&EventCursor>,
    types: &[EventType],
    limit: usize,
) -> Vec<(String, EventCursor)> {
    PgTx::new(conn)
        .after(after, types, limit)
        .expect("feed")
        .into_iter()
        .map(|e| (e.id.into_string(), e.cursor))
        .collect()
}

/// The feed once it shows at least `n` events. The transaction ids are the cluster's, so an
/// open transaction of a test running alongside (in another database) holds the feed back a
/// moment, exactly as it would in production.
fn settled(conn: &mut PgConnection, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let ids: Vec<String> = feed(conn, None, &[], 100)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if ids.len() >= n || Instant::now() > deadline {
            return ids;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn appended_events_come_back_in_order_with_their_envelope() {
    let (_db, mut conn) = seeded();
    let batch = [
        event(&mut conn, "evt_1", true),
        event(&mut conn, "evt_2", false),
    ];
    append(&mut conn, &batch);
    let later = event(&mut conn, "evt_0", true);
    append(&mut conn, &[later]);
    settled(&mut conn, 3);
    let events = PgTx::new(&mut conn).after(None, &[], 10).expect("feed");
    let ids: Vec<_> = events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["evt_1", "evt_2", "evt_0"],
        "write order, not id order"
    );
    let first = &events[0];
    assert_eq!(first.event_type, EventType::ClientCreated);
    assert_eq!(first.occurred_at, at());
    assert_eq!(first.actor_id.as_deref(), Some("act_1"));
    assert_eq!(first.data, json!({"type": "client.created", "id": "cli_1"}));
    assert!(events.windows(2).all(|w| w[0].cursor < w[1].cursor));
}

#[test]
fn the_feed_pages_from_a_cursor_and_filters_by_type() {
    let (_db, mut conn) = seeded();
    for (i, created) in [true, false, true, false].into_iter().enumerate() {
        let one = event(&mut conn, &format!("evt_{i}"), created);
        append(&mut conn, &[one]);
    }
    settled(&mut conn, 4);
    let first = feed(&mut conn, None, &[], 2);
    assert_eq!(first.len(), 2);
    let rest = feed(&mut conn, Some(&first[1].1), &[], 10);
    let ids: Vec<_> = rest.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["evt_2", "evt_3"]);
    let updates = feed(&mut conn, None, &[EventType::ClientUpdated], 10);
    let ids: Vec<_> = updates.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["evt_1", "evt_3"]);
}

#[test]
fn a_store_without_an_encoder_refuses_events_and_writes_nothing() {
    let (_db, mut conn) = seeded();
    let batch = [event(&mut conn, "evt_1", true)];
    assert_storage(PgTx::new(&mut conn).append(&batch));
    assert_eq!(count(&mut conn, "events", "true"), 0);
}

#[test]
fn a_failing_statement_is_a_storage_fault() {
    let (_db, mut conn) = seeded();
    let batch = [event(&mut conn, "evt_1", true)];
    append(&mut conn, &batch);
    // The same id twice violates the primary key: a fault of the caller's ids, not a conflict
    // a client could cause.
    assert_storage(PgTx::with_encoder(&mut conn, &IdEncoder).append(&batch));
}

#[test]
fn an_event_of_an_open_transaction_holds_back_every_later_one_until_it_ends() {
    let (db, mut conn) = seeded();
    let early = event(&mut conn, "evt_early", true);
    let late = event(&mut conn, "evt_late", true);
    // The early transaction takes its id first and stays open...
    let mut slow = db.connect();
    slow.batch_execute("BEGIN").expect("begin");
    append(&mut slow, &[early]);
    // ...while a later one commits.
    append(&mut conn, &[late]);
    assert_eq!(
        feed(&mut conn, None, &[], 10),
        [],
        "the committed event waits behind the open transaction"
    );
    slow.batch_execute("COMMIT").expect("commit");
    assert_eq!(settled(&mut conn, 2), ["evt_early", "evt_late"]);
}

#[test]
fn events_of_a_rolled_back_transaction_never_appear() {
    let (db, mut conn) = seeded();
    let lost = event(&mut conn, "evt_lost", true);
    let mut other = db.connect();
    other.batch_execute("BEGIN").expect("begin");
    append(&mut other, &[lost]);
    other.batch_execute("ROLLBACK").expect("rollback");
    let kept = event(&mut conn, "evt_kept", true);
    append(&mut conn, &[kept]);
    assert_eq!(settled(&mut conn, 1), ["evt_kept"]);
}

#[test]
fn a_large_batch_goes_in_by_copy_in_its_order_like_a_small_one() {
    let (_db, mut conn) = seeded();
    // Over the plain-INSERT limit, so this batch takes the COPY path.
    let batch: Vec<NewEvent> = (0..12)
        .map(|n| event(&mut conn, &format!("evt_{:02}", 12 - n), n % 2 == 0))
        .collect();
    append(&mut conn, &batch);
    let small = [event(&mut conn, "evt_00", true)];
    append(&mut conn, &small);
    settled(&mut conn, 13);
    let ids: Vec<String> = PgTx::new(&mut conn)
        .after(None, &[], 20)
        .expect("feed")
        .into_iter()
        .map(|e| e.id.to_string())
        .collect();
    let expected: Vec<String> = (0..12)
        .map(|n| format!("evt_{:02}", 12 - n))
        .chain(["evt_00".to_owned()])
        .collect();
    assert_eq!(ids, expected);
}
