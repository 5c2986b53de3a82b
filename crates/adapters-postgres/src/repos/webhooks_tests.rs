//! `WebhookRepository` against PostgreSQL: each error its trait documents, the claim's
//! `SKIP LOCKED` and lease, and the guard against a stale attempt.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::error::Resource;
use domain::events::EventCursor;
use domain::page::PageRequest;
use domain::typed_ids::{WebhookDeliveryId, WebhookEndpointId};
use domain::webhooks::{
    Attempt, AttemptRecord, DeliveryStatus, EndpointUrl, EventTypes, NewDelivery, NewEndpoint,
    WebhookEndpoint, WebhookRepository,
};
use time::Duration;

use super::test_support::{assert_not_found, assert_storage, at, count, impatient};
use crate::testing::fresh_database;
use crate::tx::PgTx;

fn endpoint_id(id: &str) -> WebhookEndpointId {
    WebhookEndpointId::from_stored(id)
}

fn new_endpoint(id: &str) -> NewEndpoint {
    NewEndpoint {
        endpoint: WebhookEndpoint {
            id: endpoint_id(id),
            url: EndpointUrl::from_stored("https://h.example.com/"),
            event_types: EventTypes::All,
            description: String::new(),
            enabled: true,
            disabled_at: None,
            failing_since: None,
            created_at: at(),
            updated_at: at(),
        },
        sealed_secret: b"sealed-current".to_vec(),
    }
}

fn delivery(id: &str, endpoint: &str, event: &str) -> NewDelivery {
    NewDelivery {
        id: WebhookDeliveryId::from_stored(id),
        endpoint_id: endpoint_id(endpoint),
        event_id: event.into(),
        event_type: "client.created".into(),
        payload: "{}".into(),
        created_at: at(),
    }
}

fn seeded() -> (crate::testing::TestDatabase, diesel::PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    let mut tx = PgTx::new(&mut conn);
    tx.insert_endpoint(&new_endpoint("whe_1")).unwrap();
    tx.insert_deliveries(&[
        delivery("whd_1", "whe_1", "evt_1"),
        delivery("whd_2", "whe_1", "evt_2"),
    ])
    .unwrap();
    (db, conn)
}

#[test]
fn deleting_an_absent_endpoint_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_not_found(
        tx.delete_endpoint(&endpoint_id("whe_9")),
        Resource::WebhookEndpoint,
    );
    tx.delete_endpoint(&endpoint_id("whe_1")).unwrap();
    assert_eq!(
        count(&mut conn, "webhook_deliveries", "true"),
        0,
        "its log goes with it"
    );
}

#[test]
fn rotating_an_absent_endpoint_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_not_found(
        tx.lock_secret(&endpoint_id("whe_9")),
        Resource::WebhookEndpoint,
    );
    assert_not_found(
        tx.replace_secret(&endpoint_id("whe_9"), b"n", b"o", at(), at()),
        Resource::WebhookEndpoint,
    );
}

#[test]
fn a_delivery_per_endpoint_and_event_is_stored_once() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.insert_deliveries(&[delivery("whd_3", "whe_1", "evt_1")])
        .unwrap();
    assert_eq!(count(&mut conn, "webhook_deliveries", "true"), 2);
}

#[test]
fn a_claim_counts_the_attempt_and_leases_the_delivery() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let now = at() + Duration::seconds(1);
    let claimed = tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(claimed[0].attempt, 1);
    assert_eq!(claimed[0].sealed_secrets, [b"sealed-current".to_vec()]);
    assert!(tx.claim_due(now, now, 10).unwrap().is_empty(), "leased");
    let later = now + Duration::minutes(2);
    let again = tx
        .claim_due(later, later + Duration::minutes(1), 10)
        .unwrap();
    assert_eq!(again[0].attempt, 2, "a lapsed lease is claimed again");
}

#[test]
fn a_claim_skips_deliveries_another_worker_holds() {
    let (db, mut conn) = seeded();
    conn.batch_execute("BEGIN; SELECT 1 FROM webhook_deliveries WHERE id = 'whd_1' FOR UPDATE")
        .unwrap();
    let mut other = impatient(&db);
    let mut tx = PgTx::new(&mut other);
    let now = at() + Duration::seconds(1);
    let claimed = tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    let ids: Vec<&str> = claimed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["whd_2"]);
}

#[test]
fn a_stale_attempt_is_not_recorded() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let now = at() + Duration::seconds(1);
    tx.claim_due(now, now + Duration::minutes(1), 10).unwrap();
    let record = |number| AttemptRecord {
        delivery_id: WebhookDeliveryId::from_stored("whd_1"),
        attempt: Attempt {
            number,
            attempted_at: now,
            status_code: Some(204),
            latency_ms: 3,
            error: None,
            next_retry_at: None,
        },
        status: DeliveryStatus::Succeeded,
    };
    assert!(
        !tx.record_attempt(&record(2), now).unwrap(),
        "not this attempt"
    );
    assert!(tx.record_attempt(&record(1), now).unwrap());
    assert!(
        !tx.record_attempt(&record(1), now).unwrap(),
        "no longer pending"
    );
    let page = tx
        .list_deliveries(&endpoint_id("whe_1"), &PageRequest::first())
        .unwrap();
    assert_eq!(page[0].status, DeliveryStatus::Succeeded);
    assert_eq!(page[0].attempts.len(), 1);
}

#[test]
fn a_disabled_endpoints_deliveries_are_not_claimed() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.disable_endpoint(&endpoint_id("whe_1"), at()).unwrap();
    let now = at() + Duration::seconds(1);
    assert!(tx.claim_due(now, now, 10).unwrap().is_empty());
    assert!(tx.enabled_endpoints().unwrap().is_empty());
}

#[test]
fn failures_keep_their_first_instant_until_a_success() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let id = endpoint_id("whe_1");
    let first = at();
    assert_eq!(tx.endpoint_failed(&id, first).unwrap(), first);
    assert_eq!(
        tx.endpoint_failed(&id, first + Duration::hours(1)).unwrap(),
        first
    );
    tx.endpoint_succeeded(&id, first + Duration::hours(2))
        .unwrap();
    let again = first + Duration::hours(3);
    assert_eq!(tx.endpoint_failed(&id, again).unwrap(), again);
}

#[test]
fn the_dispatch_cursor_starts_empty_and_reads_back() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(tx.lock_dispatch_cursor().unwrap(), None);
    let cursor = EventCursor { tx_id: 42, seq: 7 };
    tx.save_dispatch_cursor(&cursor).unwrap();
    assert_eq!(tx.lock_dispatch_cursor().unwrap(), Some(cursor));
}

#[test]
fn a_corrupt_dispatch_cursor_is_a_storage_fault() {
    let (_db, mut conn) = seeded();
    conn.batch_execute("UPDATE webhook_dispatch_cursor SET position = 'nonsense'")
        .unwrap();
    let mut tx = PgTx::new(&mut conn);
    assert_storage(tx.lock_dispatch_cursor());
}
