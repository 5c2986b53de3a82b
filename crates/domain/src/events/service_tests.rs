//! The feed use case against a mocked feed port.

use mockall::predicate::{always, eq};
use time::macros::datetime;

use super::*;
use crate::services::Services;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::EventId;

fn event(tx_id: u64, seq: i64) -> Event {
    Event {
        id: EventId::from_stored(format!("evt_{tx_id}_{seq}")),
        event_type: EventType::ClientCreated,
        occurred_at: datetime!(2026-03-10 09:00 UTC),
        actor_id: None,
        data: serde_json::json!({}),
        cursor: EventCursor { tx_id, seq },
    }
}

fn services(uow: MockUnitOfWork) -> Services {
    let tx = MockTransactions::new(uow);
    Services::new(ports(tx, fixed_clock(datetime!(2026-03-10 09:00 UTC))))
}

#[test]
fn the_next_cursor_is_the_last_event_read() {
    let mut uow = MockUnitOfWork::default();
    let from = EventCursor { tx_id: 5, seq: 1 };
    uow.event_feed
        .expect_after()
        .withf(move |after, types, limit| {
            *after == Some(&from) && types == [EventType::ContractSuspended] && *limit == 2
        })
        .times(1)
        .returning(|_, _, _| Ok(vec![event(6, 1), event(9, 4)]));
    let page = services(uow)
        .events
        .feed(Some(&from), &[EventType::ContractSuspended], 2)
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        page.next_cursor,
        Some(EventCursor { tx_id: 9, seq: 4 }.to_string())
    );
}

#[test]
fn with_nothing_new_the_cursor_stays_where_it_was() {
    let mut uow = MockUnitOfWork::default();
    uow.event_feed
        .expect_after()
        .with(always(), always(), eq(50))
        .returning(|_, _, _| Ok(Vec::new()));
    let from = EventCursor { tx_id: 5, seq: 1 };
    let services = services(uow);
    let page = services.events.feed(Some(&from), &[], 50).unwrap();
    assert_eq!(page.next_cursor, Some(from.to_string()));
    let start = services.events.feed(None, &[], 50).unwrap();
    assert_eq!(start.next_cursor, None, "an empty feed read from its start");
}
