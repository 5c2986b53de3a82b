//! Which use case records which event, in its own transaction, and none when it fails.

use time::macros::datetime;
use time::OffsetDateTime;

use super::{EventPayload, EventType};
use crate::clients::ClientInput;
use crate::error::{Conflict, Error};
use crate::services::Services;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

fn services(uow: MockUnitOfWork) -> (Services, std::sync::Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    (Services::new(ports(tx.clone(), fixed_clock(NOW))), tx)
}

fn client_input() -> ClientInput {
    ClientInput {
        cin: "ab123456".into(),
        first_name: "Hajar".into(),
        last_name: "Benkirane".into(),
        ..ClientInput::default()
    }
}

#[test]
fn creating_a_client_records_client_created_with_the_client() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_insert().returning(|_| Ok(()));
    uow.clients
        .expect_append_audit()
        .times(1)
        .returning(|_| Ok(()));
    let (services, tx) = services(uow);
    let client = services
        .clients
        .create_client("usr_admin", &client_input())
        .unwrap();
    let events = tx.recorded_events();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].payload, EventPayload::ClientCreated(client));
    assert_eq!(events[0].occurred_at, NOW);
    assert!(events[0].id.as_str().starts_with("evt_"));
}

#[test]
fn a_client_refused_by_the_database_records_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_insert()
        .returning(|_| Err(Conflict::CinAlreadyExists.into()));
    let (services, tx) = services(uow);
    assert!(services
        .clients
        .create_client("usr_admin", &client_input())
        .is_err());
    assert_eq!(tx.recorded_types(), []);
}

#[test]
fn an_outbox_that_fails_fails_the_change_with_it() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_insert().returning(|_| Ok(()));
    uow.clients.expect_append_audit().returning(|_| Ok(()));
    uow.events.failing = true;
    let (services, tx) = services(uow);
    assert!(matches!(
        services.clients.create_client("usr_admin", &client_input()),
        Err(Error::Storage(_))
    ));
    assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
}

#[test]
fn updating_a_client_records_client_updated() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_insert().returning(|_| Ok(()));
    uow.clients.expect_update().returning(|_| Ok(()));
    // The history entry of the creation and of the change, in their use cases.
    uow.clients
        .expect_append_audit()
        .times(2)
        .returning(|_| Ok(()));
    let (services, tx) = services(uow);
    let created = services
        .clients
        .create_client("usr_admin", &client_input())
        .unwrap();
    let stored = created.clone();
    tx.uow
        .lock()
        .unwrap()
        .clients
        .expect_find()
        .returning(move |_| Ok(Some(stored.clone())));
    let updated = services
        .clients
        .update_client(
            "usr_admin",
            &created.id,
            &ClientInput {
                city: Some("Rabat".into()),
                ..client_input()
            },
            crate::clients::ClientChange::Replace,
        )
        .unwrap();
    assert_eq!(
        tx.recorded_types(),
        [EventType::ClientCreated, EventType::ClientUpdated]
    );
    assert_eq!(
        tx.recorded_events()[1].payload,
        EventPayload::ClientUpdated(updated)
    );
}

#[test]
fn a_client_history_that_fails_records_no_event() {
    // The history entry and the event are written in the same transaction: one failing
    // rolls back the other.
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_insert().returning(|_| Ok(()));
    uow.clients
        .expect_append_audit()
        .returning(|_| Err(Error::Storage("audit down".into())));
    let (services, tx) = services(uow);
    assert!(services
        .clients
        .create_client("usr_admin", &client_input())
        .is_err());
    assert_eq!(tx.recorded_types(), []);
    assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
}
