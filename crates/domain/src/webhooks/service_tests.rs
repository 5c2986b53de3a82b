//! Unit tests of the webhook use cases against mocked ports.

use std::sync::Arc;
use std::time::Duration;

use time::macros::datetime;
use time::OffsetDateTime;

use super::*;
use crate::error::{Conflict, Error, Resource};
use crate::events::{Event, EventCursor, EventType};
use crate::testing::{fixed_clock, MockTransactions, MockUnitOfWork, SequentialIds};
use crate::typed_ids::{EventId, WebhookDeliveryId, WebhookEndpointId};

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
const ENDPOINT: &str = "whe_01JD0000000000000000000000";

fn cipher() -> MockSecretCipher {
    let mut cipher = MockSecretCipher::new();
    cipher
        .expect_new_secret()
        .returning(|| "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0".to_owned());
    cipher
        .expect_seal()
        .returning(|s| Ok(format!("sealed:{s}").into_bytes()));
    cipher.expect_open().returning(|sealed| {
        Ok(String::from_utf8_lossy(sealed)
            .trim_start_matches("sealed:")
            .to_owned())
    });
    cipher
}

fn service(
    uow: MockUnitOfWork,
    settings: WebhookSettings,
) -> (WebhookService, Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    let service = WebhookService::new(
        tx.clone(),
        Arc::new(fixed_clock(NOW)),
        Arc::new(SequentialIds::default()),
        Arc::new(cipher()),
        settings,
    );
    (service, tx)
}

fn endpoint(types: EventTypes, enabled: bool) -> WebhookEndpoint {
    WebhookEndpoint {
        id: WebhookEndpointId::from_stored(ENDPOINT),
        url: EndpointUrl::from_stored("https://hooks.example.com/mtf"),
        event_types: types,
        description: String::new(),
        enabled,
        disabled_at: None,
        failing_since: None,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn due(attempt: i32) -> DueDelivery {
    DueDelivery {
        id: WebhookDeliveryId::from_stored("whd_0001"),
        endpoint_id: WebhookEndpointId::from_stored(ENDPOINT),
        event_id: "evt_1".into(),
        attempt,
        payload: "{}".into(),
        url: EndpointUrl::from_stored("https://hooks.example.com/mtf"),
        secrets: vec!["whsec_x".into()],
    }
}

fn failed() -> DeliveryOutcome {
    DeliveryOutcome::Failed {
        status_code: Some(503),
        latency_ms: 12,
        error: "answered 503".into(),
    }
}

#[test]
fn a_new_endpoint_stores_its_secret_sealed_and_shows_it_once() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_insert_endpoint()
        .withf(|new| {
            new.endpoint.id == "whe_0001"
                && new.sealed_secret.starts_with(b"sealed:whsec_")
                && new.endpoint.event_types == EventTypes::All
        })
        .times(1)
        .returning(|_| Ok(()));
    let (service, tx) = service(uow, WebhookSettings::default());
    let (created, secret) = service
        .create_endpoint(&EndpointInput {
            url: "https://hooks.example.com/mtf".into(),
            event_types: vec!["*".into()],
            description: None,
        })
        .unwrap();
    assert!(secret.starts_with("whsec_"));
    assert!(created.enabled);
    assert_eq!(tx.commit_count(), 1);
}

#[test]
fn an_invalid_endpoint_names_each_field_and_stores_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks.expect_insert_endpoint().never();
    let (service, _) = service(uow, WebhookSettings::default());
    let Err(Error::Validation(errors)) = service.create_endpoint(&EndpointInput {
        url: "http://10.0.0.1/hook".into(),
        event_types: vec![],
        description: None,
    }) else {
        panic!("expected a validation error");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["url", "event_types"]);
}

fn event(id: &str, event_type: EventType, seq: i64) -> Event {
    Event {
        id: EventId::from_stored(id),
        event_type,
        occurred_at: NOW,
        actor_id: None,
        data: serde_json::json!({"id": "cli_1"}),
        cursor: EventCursor { tx_id: 10, seq },
    }
}

#[test]
fn the_dispatcher_fans_each_event_out_to_matching_endpoints_and_moves_its_cursor() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_lock_dispatch_cursor()
        .returning(|| Ok(Some(EventCursor { tx_id: 9, seq: 7 })));
    uow.event_feed.expect_after().returning(|cursor, types, _| {
        assert_eq!(cursor, Some(&EventCursor { tx_id: 9, seq: 7 }));
        assert!(types.is_empty(), "the cursor must pass every event");
        Ok(vec![
            event("evt_a", EventType::InvoicePaid, 8),
            event("evt_b", EventType::ClientCreated, 9),
            event("evt_c", EventType::ContractCreated, 10),
        ])
    });
    uow.webhooks.expect_enabled_endpoints().returning(|| {
        let mut other = endpoint(
            EventTypes::Only(vec![EventType::InvoicePaid, EventType::ClientCreated]),
            true,
        );
        other.id = WebhookEndpointId::from_stored("whe_02");
        Ok(vec![
            endpoint(EventTypes::Only(vec![EventType::InvoicePaid]), true),
            other,
        ])
    });
    uow.webhooks
        .expect_insert_deliveries()
        .withf(|d| {
            let pairs: Vec<(&str, &str)> = d
                .iter()
                .map(|d| (d.endpoint_id.as_str(), d.event_id.as_str()))
                .collect();
            let envelope: serde_json::Value = serde_json::from_str(&d[0].payload).unwrap();
            pairs
                == [
                    (ENDPOINT, "evt_a"),
                    ("whe_02", "evt_a"),
                    ("whe_02", "evt_b"),
                ]
                && envelope["id"] == "evt_a"
                && envelope["type"] == "invoice.paid"
                && envelope["occurred_at"] == "2026-03-10T09:00:00Z"
                && envelope["actor_id"].is_null()
                && envelope["data"]["id"] == "cli_1"
        })
        .times(1)
        .returning(|_| Ok(()));
    uow.webhooks
        .expect_save_dispatch_cursor()
        .withf(|c| *c == EventCursor { tx_id: 10, seq: 10 })
        .times(1)
        .returning(|_| Ok(()));
    let (service, _) = service(uow, WebhookSettings::default());
    assert_eq!(service.dispatch(100).unwrap(), 3);
}

#[test]
fn a_dispatcher_with_nothing_new_leaves_its_cursor() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_lock_dispatch_cursor()
        .returning(|| Ok(None));
    uow.event_feed
        .expect_after()
        .returning(|_, _, _| Ok(vec![]));
    uow.webhooks.expect_save_dispatch_cursor().never();
    uow.webhooks.expect_insert_deliveries().never();
    let (service, _) = service(uow, WebhookSettings::default());
    assert_eq!(service.dispatch(100).unwrap(), 0);
}

#[test]
fn a_failed_attempt_is_retried_after_the_schedules_delay() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_record_attempt()
        .withf(|r, _| {
            r.status == DeliveryStatus::Pending
                && r.attempt.number == 2
                && r.attempt.status_code == Some(503)
                && r.attempt.next_retry_at == Some(NOW + Duration::from_secs(30))
        })
        .times(1)
        .returning(|_, _| Ok(true));
    uow.webhooks
        .expect_endpoint_failed()
        .returning(|_, _| Ok(NOW - Duration::from_secs(3_600)));
    uow.webhooks.expect_disable_endpoint().never();
    let (service, _) = service(uow, WebhookSettings::default());
    assert!(service
        .record_with_jitter(&due(2), NOW, &failed(), 0.0)
        .unwrap());
}

#[test]
fn the_last_failed_attempt_fails_the_delivery() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_record_attempt()
        .withf(|r, _| r.status == DeliveryStatus::Failed && r.attempt.next_retry_at.is_none())
        .times(1)
        .returning(|_, _| Ok(true));
    uow.webhooks
        .expect_endpoint_failed()
        .returning(|_, _| Ok(NOW));
    let (service, _) = service(uow, WebhookSettings::default());
    assert!(service
        .record_with_jitter(&due(8), NOW, &failed(), 0.0)
        .unwrap());
}

#[test]
fn an_endpoint_failing_for_three_days_is_disabled() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_record_attempt()
        .returning(|_, _| Ok(true));
    uow.webhooks
        .expect_endpoint_failed()
        .returning(|_, _| Ok(NOW - Duration::from_secs(72 * 3_600)));
    uow.webhooks
        .expect_disable_endpoint()
        .times(1)
        .returning(|_, _| Ok(()));
    let (service, _) = service(uow, WebhookSettings::default());
    service
        .record_with_jitter(&due(3), NOW, &failed(), 0.0)
        .unwrap();
}

#[test]
fn a_success_clears_the_endpoints_failures() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_record_attempt()
        .withf(|r, _| r.status == DeliveryStatus::Succeeded && r.attempt.error.is_none())
        .returning(|_, _| Ok(true));
    uow.webhooks
        .expect_endpoint_succeeded()
        .times(1)
        .returning(|_, _| Ok(()));
    uow.webhooks.expect_endpoint_failed().never();
    let (service, _) = service(uow, WebhookSettings::default());
    let outcome = DeliveryOutcome::Delivered {
        status_code: 204,
        latency_ms: 3,
    };
    assert!(service
        .record_with_jitter(&due(1), NOW, &outcome, 0.0)
        .unwrap());
}

#[test]
fn a_stale_attempt_changes_nothing_else() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_record_attempt()
        .returning(|_, _| Ok(false));
    uow.webhooks.expect_endpoint_failed().never();
    uow.webhooks.expect_endpoint_succeeded().never();
    let (service, _) = service(uow, WebhookSettings::default());
    assert!(!service
        .record_with_jitter(&due(1), NOW, &failed(), 0.0)
        .unwrap());
}

#[test]
fn claimed_deliveries_carry_their_secrets_in_clear_and_a_lease() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_claim_due()
        .withf(|now, until, limit| {
            *now == NOW && *until == NOW + Duration::from_secs(60) && *limit == 10
        })
        .returning(|_, _, _| {
            Ok(vec![ClaimedDelivery {
                id: WebhookDeliveryId::from_stored("whd_1"),
                endpoint_id: WebhookEndpointId::from_stored(ENDPOINT),
                event_id: "evt_1".into(),
                attempt: 1,
                payload: "{}".into(),
                url: "https://hooks.example.com/mtf".into(),
                sealed_secrets: vec![b"sealed:whsec_new".to_vec(), b"sealed:whsec_old".to_vec()],
            }])
        });
    let (service, _) = service(uow, WebhookSettings::default());
    let due = service.claim_due(10).unwrap();
    assert_eq!(due[0].secrets, ["whsec_new", "whsec_old"]);
    assert_eq!(due[0].url.host(), "hooks.example.com");
}

#[test]
fn rotation_keeps_the_previous_secret_for_the_grace() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks
        .expect_lock_secret()
        .returning(|_| Ok(b"sealed:whsec_old".to_vec()));
    uow.webhooks
        .expect_replace_secret()
        .withf(|_, sealed, previous, until, _| {
            sealed.starts_with(b"sealed:whsec_")
                && previous == b"sealed:whsec_old"
                && *until == NOW + Duration::from_secs(24 * 3_600)
        })
        .times(1)
        .returning(|_, _, _, _, _| Ok(()));
    uow.webhooks
        .expect_find_endpoint()
        .returning(|_| Ok(Some(endpoint(EventTypes::All, true))));
    let (service, _) = service(uow, WebhookSettings::default());
    let (_, secret) = service
        .rotate_secret(&WebhookEndpointId::from_stored(ENDPOINT))
        .unwrap();
    assert!(secret.starts_with("whsec_"));
}

#[test]
fn a_delivery_of_a_disabled_endpoint_cannot_be_retried() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks.expect_lock_delivery().returning(|id| {
        Ok(Some(Delivery {
            id: id.clone(),
            endpoint_id: WebhookEndpointId::from_stored(ENDPOINT),
            event_id: "evt_1".into(),
            event_type: "invoice.paid".into(),
            status: DeliveryStatus::Failed,
            attempt_count: 8,
            next_attempt_at: None,
            created_at: NOW,
            updated_at: NOW,
            attempts: vec![],
        }))
    });
    uow.webhooks
        .expect_find_endpoint()
        .returning(|_| Ok(Some(endpoint(EventTypes::All, false))));
    uow.webhooks.expect_schedule_now().never();
    let (service, tx) = service(uow, WebhookSettings::default());
    let result = service.retry_delivery(&WebhookDeliveryId::from_stored("whd_1"));
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::WebhookEndpointDisabled))
    ));
    assert_eq!(tx.rollback_count(), 1);
}

#[test]
fn an_unknown_delivery_is_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.webhooks.expect_lock_delivery().returning(|_| Ok(None));
    let (service, _) = service(uow, WebhookSettings::default());
    assert!(matches!(
        service.retry_delivery(&WebhookDeliveryId::from_stored("whd_1")),
        Err(Error::NotFound(Resource::WebhookDelivery))
    ));
}
