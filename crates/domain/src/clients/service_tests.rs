//! Unit tests of the client and line use cases against mocked ports.

use mockall::predicate::eq;
use time::macros::datetime;
use time::OffsetDateTime;

use super::*;
use crate::error::{Conflict, Error, Resource, RuleViolation};
use crate::page::PageRequest;
use crate::service_type::ServiceType;
use crate::services::Services;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{ClientId, SubscriberId};

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
const CLIENT: &str = "cli_01JD0000000000000000000000";
const LINE: &str = "sub_01JD0000000000000000000000";
const ACTOR: &str = "act_01JD0000000000000000000000";

fn services(uow: MockUnitOfWork) -> (Services, std::sync::Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    (Services::new(ports(tx.clone(), fixed_clock(NOW))), tx)
}

fn input() -> ClientInput {
    ClientInput {
        cin: "ab123456".into(),
        first_name: "Hajar".into(),
        last_name: "Benkirane".into(),
        phone: Some("0612345678".into()),
        ..ClientInput::default()
    }
}

fn stored(status: ClientStatus) -> Client {
    Client {
        id: ClientId::from_stored(CLIENT),
        identity: crate::clients::Identity::Person(crate::clients::Person {
            cin: Cin::parse("K98765").unwrap(),
            first_name: "Old".into(),
            last_name: "Name".into(),
        }),
        invoicing: crate::clients::Invoicing::PerContract,
        email: None,
        phone: None,
        address: Some("12 rue Talaa".into()),
        city: None,
        birth_date: None,
        status,
        created_at: datetime!(2026-01-01 00:00 UTC),
        updated_at: datetime!(2026-01-01 00:00 UTC),
    }
}

fn line() -> Subscriber {
    Subscriber {
        id: SubscriberId::from_stored(LINE),
        client_id: ClientId::from_stored(CLIENT),
        service_type: ServiceType::Mobile,
        service_identifier: ServiceIdentifier::parse(ServiceType::Mobile, "0612345678").unwrap(),
        created_at: datetime!(2026-01-01 00:00 UTC),
        updated_at: datetime!(2026-01-01 00:00 UTC),
    }
}

#[test]
fn a_new_client_is_stored_normalised() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_insert()
        .withf(|c| {
            c.id == "cli_0001"
                && c.cin().map(Cin::as_str) == Some("AB123456")
                && c.phone.as_deref() == Some("+212612345678")
                && c.status == ClientStatus::Active
                && c.invoicing == Invoicing::PerContract
                && c.created_at == NOW
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.clients
        .expect_append_audit()
        .withf(|e| {
            e.action == ClientAuditAction::Created
                && e.actor_id == ACTOR
                && e.before.is_none()
                && e.after.as_ref().is_some_and(|a| {
                    a.contains(&("cin".into(), "AB123456".into()))
                        && a.contains(&("kind".into(), "person".into()))
                })
        })
        .times(1)
        .returning(|_| Ok(()));
    let (services, tx) = services(uow);
    services.clients.create_client(ACTOR, &input()).unwrap();
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn a_birth_date_after_the_clocks_today_is_refused() {
    let (services, tx) = services(MockUnitOfWork::default());
    let future = ClientInput {
        birth_date: Some("2026-03-11".into()),
        ..input()
    };
    let error = services.clients.create_client(ACTOR, &future).unwrap_err();
    assert!(matches!(error, Error::Validation(ref e) if e[0].field == "birth_date"));
    assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
}

#[test]
fn controls_bidi_and_unprintable_text_are_refused_before_any_storage() {
    let (services, tx) = services(MockUnitOfWork::default());
    let tricky = ClientInput {
        first_name: "Hajar\u{1b}[2J".into(),
        last_name: "\u{202E}eriknneB".into(),
        address: Some("12 rue\u{85}Talaa".into()),
        city: Some("الرباط".into()),
        ..input()
    };
    let Err(Error::Validation(errors)) = services.clients.create_client(ACTOR, &tricky) else {
        panic!("expected a validation error");
    };
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["first_name", "last_name", "address", "city"]);
    assert!(errors[3].message.contains("Latin script only"));
    assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
}

#[test]
fn a_duplicate_cin_reported_by_storage_is_a_conflict() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_insert()
        .returning(|_| Err(Conflict::CinAlreadyExists.into()));
    let (services, tx) = services(uow);
    let error = services.clients.create_client(ACTOR, &input()).unwrap_err();
    assert!(matches!(error, Error::Conflict(Conflict::CinAlreadyExists)));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn an_update_replaces_the_fields_and_clears_omitted_ones() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find()
        .with(eq(ClientId::from_stored(CLIENT)))
        .returning(|_| Ok(Some(stored(ClientStatus::Active))));
    uow.clients
        .expect_update()
        .withf(|c| {
            c.id == CLIENT
                && c.identity.person().is_some_and(|p| p.first_name == "Hajar")
                && c.address.is_none()
                && c.created_at == datetime!(2026-01-01 00:00 UTC)
                && c.updated_at == NOW
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.clients
        .expect_append_audit()
        .withf(|e| {
            let before = e.before.clone().unwrap_or_default();
            let after = e.after.clone().unwrap_or_default();
            e.action == ClientAuditAction::Updated
                && e.at == NOW
                && before.contains(&("address".into(), "12 rue Talaa".into()))
                && before.contains(&("first_name".into(), "Old".into()))
                && after.contains(&("first_name".into(), "Hajar".into()))
                && !after
                    .iter()
                    .any(|(name, _)| name == "address" || name == "status")
        })
        .times(1)
        .returning(|_| Ok(()));
    let (services, _) = services(uow);
    services
        .clients
        .update_client(
            ACTOR,
            &ClientId::from_stored(CLIENT),
            &input(),
            ClientChange::Replace,
        )
        .unwrap();
}

#[test]
fn updating_an_unknown_client_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find().returning(|_| Ok(None));
    uow.clients.expect_update().never();
    let (services, _) = services(uow);
    let error = services
        .clients
        .update_client(
            ACTOR,
            &ClientId::from_stored(CLIENT),
            &input(),
            ClientChange::Replace,
        )
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(Resource::Client)));
}

#[test]
fn a_client_with_history_cannot_be_deleted() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(stored(ClientStatus::Active))));
    uow.clients.expect_has_history().returning(|_| Ok(true));
    uow.subscribers.expect_delete_for_client().never();
    uow.clients.expect_delete().never();
    let (services, tx) = services(uow);
    let error = services
        .clients
        .delete_client(&ClientId::from_stored(CLIENT))
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Conflict(Conflict::ClientDeleteBlocked)
    ));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn a_client_without_history_is_deleted_with_its_unused_lines() {
    let mut uow = MockUnitOfWork::default();
    let mut order = mockall::Sequence::new();
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(stored(ClientStatus::Active))));
    uow.clients.expect_has_history().returning(|_| Ok(false));
    uow.subscribers
        .expect_delete_for_client()
        .with(eq(ClientId::from_stored(CLIENT)))
        .times(1)
        .in_sequence(&mut order)
        .returning(|_| Ok(()));
    uow.clients
        .expect_delete()
        .with(eq(ClientId::from_stored(CLIENT)))
        .times(1)
        .in_sequence(&mut order)
        .returning(|_| Ok(()));
    let (services, tx) = services(uow);
    services
        .clients
        .delete_client(&ClientId::from_stored(CLIENT))
        .unwrap();
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn a_line_is_created_for_an_active_client_with_a_normalised_identifier() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find()
        .returning(|_| Ok(Some(stored(ClientStatus::Active))));
    uow.subscribers
        .expect_insert()
        .withf(|s| {
            s.id == "sub_0001"
                && s.client_id == CLIENT
                && s.service_identifier.as_str() == "+212712345678"
        })
        .times(1)
        .returning(|_| Ok(()));
    let (services, _) = services(uow);
    let request = SubscriberInput {
        client_id: CLIENT.into(),
        service_type: "mobile".into(),
        service_identifier: "07 12 34 56 78".into(),
    };
    services.clients.create_subscriber(&request).unwrap();
}

#[test]
fn a_line_for_an_unknown_or_inactive_client_is_refused() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find()
        .with(eq(ClientId::from_stored(CLIENT)))
        .returning(|_| Ok(Some(stored(ClientStatus::Inactive))));
    uow.subscribers.expect_insert().never();
    let (services, _) = services(uow);
    let mut request = SubscriberInput {
        client_id: CLIENT.into(),
        service_type: "mobile".into(),
        service_identifier: "0612345678".into(),
    };
    let inactive = services.clients.create_subscriber(&request).unwrap_err();
    assert!(matches!(
        inactive,
        Error::Rule(RuleViolation::ClientInactive)
    ));
    request.client_id = "cli_nope".into();
    let unknown = services.clients.create_subscriber(&request).unwrap_err();
    assert!(matches!(unknown, Error::NotFound(Resource::Client)));
}

#[test]
fn a_line_identifier_is_validated_for_its_service_type() {
    let (services, tx) = services(MockUnitOfWork::default());
    let landline_number_as_mobile = SubscriberInput {
        client_id: CLIENT.into(),
        service_type: "mobile".into(),
        service_identifier: "0522123456".into(),
    };
    let error = services
        .clients
        .create_subscriber(&landline_number_as_mobile)
        .unwrap_err();
    assert!(matches!(error, Error::Validation(ref e) if e[0].field == "service_identifier"));
    let unknown_type = SubscriberInput {
        service_type: "tv".into(),
        ..landline_number_as_mobile
    };
    let error = services
        .clients
        .create_subscriber(&unknown_type)
        .unwrap_err();
    assert!(
        matches!(error, Error::Validation(ref e) if e.len() == 1 && e[0].field == "service_type")
    );
    assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
}

#[test]
fn a_number_change_keeps_the_lines_type_and_owner() {
    let mut uow = MockUnitOfWork::default();
    uow.subscribers
        .expect_find()
        .returning(|_| Ok(Some(line())));
    uow.subscribers
        .expect_update()
        .withf(|s| {
            s.id == LINE
                && s.client_id == CLIENT
                && s.service_type == ServiceType::Mobile
                && s.service_identifier.as_str() == "+212798765432"
                && s.updated_at == NOW
        })
        .times(1)
        .returning(|_| Ok(()));
    let (services, _) = services(uow);
    services
        .clients
        .update_subscriber(&SubscriberId::from_stored(LINE), "0798765432")
        .unwrap();
}

#[test]
fn a_number_change_to_another_types_range_is_refused() {
    let mut uow = MockUnitOfWork::default();
    uow.subscribers
        .expect_find()
        .returning(|_| Ok(Some(line())));
    uow.subscribers.expect_update().never();
    let (services, _) = services(uow);
    let error = services
        .clients
        .update_subscriber(&SubscriberId::from_stored(LINE), "0522123456")
        .unwrap_err();
    assert!(matches!(error, Error::Validation(ref e) if e[0].field == "service_identifier"));
}

#[test]
fn an_identifier_valid_for_no_type_lists_nothing_without_a_query() {
    let mut uow = MockUnitOfWork::default();
    uow.subscribers.expect_list().never();
    let (services, _) = services(uow);
    let filter = SubscriberFilter::new(None, None, Some("!"));
    let page = services
        .clients
        .list_subscribers(&filter, &PageRequest::first())
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.next_cursor, None);
}
