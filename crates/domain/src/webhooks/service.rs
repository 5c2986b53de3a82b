//! Use cases of the webhooks: endpoint management, the dispatcher's fan-out, the workers'
//! claim and record, the delivery log and manual retries.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use time::OffsetDateTime;

use super::delivery::{AttemptRecord, NewDelivery};
use super::{
    envelope, Attempt, Delivery, DeliveryOutcome, DeliveryStatus, DueDelivery, EndpointInput,
    EndpointUrl, NewEndpoint, SecretCipher, WebhookEndpoint, WebhookSettings,
};
use crate::clock::Clock;
use crate::error::{Conflict, Error, Resource, Result};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{WebhookDeliveryId, WebhookEndpointId};

/// Webhook endpoints and deliveries.
#[derive(Clone)]
pub struct WebhookService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    cipher: Arc<dyn SecretCipher>,
    settings: Arc<WebhookSettings>,
}

impl WebhookService {
    /// Wires the service to its ports.
    pub fn new(
        tx: Arc<dyn TransactionRunner>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        cipher: Arc<dyn SecretCipher>,
        settings: WebhookSettings,
    ) -> Self {
        Self {
            tx,
            clock,
            ids,
            cipher,
            settings: Arc::new(settings),
        }
    }

    /// The clock it reads.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The settings it runs with.
    pub fn settings(&self) -> &WebhookSettings {
        &self.settings
    }

    /// Creates an endpoint; returns it with its `whsec_…` secret, which is shown only here.
    /// `Validation` naming `url`, `event_types` or `description`.
    pub fn create_endpoint(&self, input: &EndpointInput) -> Result<(WebhookEndpoint, String)> {
        let fields = input.validate(self.settings.allow_private)?;
        let secret = self.cipher.new_secret();
        let sealed_secret = self.cipher.seal(&secret)?;
        let now = self.clock.now();
        let endpoint = WebhookEndpoint {
            id: WebhookEndpointId::generate(self.ids.as_ref()),
            url: fields.url,
            event_types: fields.event_types,
            description: fields.description,
            enabled: true,
            disabled_at: None,
            failing_since: None,
            created_at: now,
            updated_at: now,
        };
        let new = NewEndpoint {
            endpoint,
            sealed_secret,
        };
        transaction(self.tx.as_ref(), |uow| uow.webhooks().insert_endpoint(&new))?;
        Ok((new.endpoint, secret))
    }

    /// The endpoint; `NotFound(WebhookEndpoint)`.
    pub fn get_endpoint(&self, id: &WebhookEndpointId) -> Result<WebhookEndpoint> {
        read(self.tx.as_ref(), |uow| find_endpoint(uow, id))
    }

    /// One page of endpoints, by id.
    pub fn list_endpoints(&self, page: &PageRequest) -> Result<Page<WebhookEndpoint>> {
        let rows = read(self.tx.as_ref(), |uow| uow.webhooks().list_endpoints(page))?;
        Ok(Page::from_fetched(rows, page, |e| e.id.as_str()))
    }

    /// Deletes the endpoint and its delivery log; nothing more is sent to it.
    pub fn delete_endpoint(&self, id: &WebhookEndpointId) -> Result<()> {
        transaction(self.tx.as_ref(), |uow| uow.webhooks().delete_endpoint(id))
    }

    /// Gives the endpoint a new secret, returned once. The previous secret keeps signing,
    /// as a second `v1,` signature, for the rotation grace (decision 0272), so a receiver
    /// can switch without losing deliveries.
    pub fn rotate_secret(&self, id: &WebhookEndpointId) -> Result<(WebhookEndpoint, String)> {
        let secret = self.cipher.new_secret();
        let sealed = self.cipher.seal(&secret)?;
        let now = self.clock.now();
        let until = now + self.settings.rotation_grace;
        let endpoint = transaction(self.tx.as_ref(), |uow| {
            let previous = uow.webhooks().lock_secret(id)?;
            uow.webhooks()
                .replace_secret(id, &sealed, &previous, until, now)?;
            find_endpoint(uow, id)
        })?;
        Ok((endpoint, secret))
    }

    /// One page of the endpoint's deliveries with their attempts; `NotFound(WebhookEndpoint)`.
    pub fn list_deliveries(
        &self,
        endpoint: &WebhookEndpointId,
        page: &PageRequest,
    ) -> Result<Page<Delivery>> {
        let rows = read(self.tx.as_ref(), |uow| {
            find_endpoint(uow, endpoint)?;
            uow.webhooks().list_deliveries(endpoint, page)
        })?;
        Ok(Page::from_fetched(rows, page, |d| d.id.as_str()))
    }

    /// Sends the delivery again now, whatever its status (a failed one gets a new attempt;
    /// the event keeps its `webhook-id`). `NotFound(WebhookDelivery)`;
    /// `Conflict::WebhookEndpointDisabled` when its endpoint is disabled.
    pub fn retry_delivery(&self, id: &WebhookDeliveryId) -> Result<Delivery> {
        let now = self.clock.now();
        transaction(self.tx.as_ref(), |uow| {
            let delivery = uow
                .webhooks()
                .lock_delivery(id)?
                .ok_or(Error::NotFound(Resource::WebhookDelivery))?;
            let endpoint = find_endpoint(uow, &delivery.endpoint_id)?;
            if !endpoint.enabled {
                return Err(Conflict::WebhookEndpointDisabled.into());
            }
            uow.webhooks().schedule_now(id, now)?;
            Ok(Delivery {
                status: DeliveryStatus::Pending,
                next_attempt_at: Some(now),
                updated_at: now,
                ..delivery
            })
        })
    }

    /// The dispatcher's step: in one transaction holding its cursor row, reads at most
    /// `limit` events after the cursor, makes one delivery per event and enabled endpoint
    /// whose types match, and moves the cursor past them. Returns the events read.
    pub fn dispatch(&self, limit: usize) -> Result<usize> {
        let now = self.clock.now();
        transaction(self.tx.as_ref(), |uow| {
            let cursor = uow.webhooks().lock_dispatch_cursor()?;
            let events = uow.event_feed().after(cursor.as_ref(), &[], limit)?;
            let Some(last) = events.last().map(|e| e.cursor) else {
                return Ok(0);
            };
            let endpoints = uow.webhooks().enabled_endpoints()?;
            let mut deliveries = Vec::new();
            for event in &events {
                let mut matching = endpoints
                    .iter()
                    .filter(|e| e.event_types.matches(event.event_type))
                    .peekable();
                if matching.peek().is_none() {
                    continue;
                }
                let payload = envelope(event)?;
                for endpoint in matching {
                    deliveries.push(NewDelivery {
                        id: WebhookDeliveryId::generate(self.ids.as_ref()),
                        endpoint_id: endpoint.id.clone(),
                        event_id: event.id.as_str().to_owned(),
                        event_type: event.event_type.as_str().to_owned(),
                        payload: payload.clone(),
                        created_at: now,
                    });
                }
            }
            uow.webhooks().insert_deliveries(&deliveries)?;
            uow.webhooks().save_dispatch_cursor(&last)?;
            Ok(events.len())
        })
    }

    /// Claims at most `limit` due deliveries for this worker (committed at once, so other
    /// instances skip them) and opens their secrets.
    pub fn claim_due(&self, limit: usize) -> Result<Vec<DueDelivery>> {
        let now = self.clock.now();
        let lease_until = now + self.settings.lease;
        let claimed = transaction(self.tx.as_ref(), |uow| {
            uow.webhooks().claim_due(now, lease_until, limit)
        })?;
        claimed
            .into_iter()
            .map(|c| {
                let secrets = c
                    .sealed_secrets
                    .iter()
                    .map(|sealed| self.cipher.open(sealed))
                    .collect::<Result<Vec<_>>>()?;
                Ok(DueDelivery {
                    id: c.id,
                    endpoint_id: c.endpoint_id,
                    event_id: c.event_id,
                    attempt: c.attempt,
                    payload: c.payload,
                    url: EndpointUrl::from_stored(c.url),
                    secrets,
                })
            })
            .collect()
    }

    /// Records what an attempt came to: succeeded, retried after the schedule's next delay
    /// (with jitter), or failed once the schedule is spent. An endpoint failing without a
    /// success for `disable_after` is disabled. Whether it was recorded (`false` when the
    /// delivery was claimed again since: that later attempt records instead).
    pub fn record(
        &self,
        delivery: &DueDelivery,
        attempted_at: OffsetDateTime,
        outcome: &DeliveryOutcome,
    ) -> Result<bool> {
        let jitter = rand::thread_rng().gen_range(-1.0..=1.0);
        self.record_with_jitter(delivery, attempted_at, outcome, jitter)
    }

    /// `record` with a given jitter (-1.0 to 1.0), for tests.
    pub fn record_with_jitter(
        &self,
        delivery: &DueDelivery,
        attempted_at: OffsetDateTime,
        outcome: &DeliveryOutcome,
        jitter: f64,
    ) -> Result<bool> {
        let now = self.clock.now();
        let (status, status_code, latency_ms, error, next_retry_at) = match outcome {
            DeliveryOutcome::Delivered {
                status_code,
                latency_ms,
            } => (
                DeliveryStatus::Succeeded,
                Some(*status_code),
                *latency_ms,
                None,
                None,
            ),
            DeliveryOutcome::Failed {
                status_code,
                latency_ms,
                error,
            } => {
                let next = self
                    .settings
                    .retry_schedule
                    .delay_after(delivery.attempt, jitter)
                    .map(|delay| now + delay);
                let status = if next.is_some() {
                    DeliveryStatus::Pending
                } else {
                    DeliveryStatus::Failed
                };
                (status, *status_code, *latency_ms, Some(error.clone()), next)
            }
        };
        let record = AttemptRecord {
            delivery_id: delivery.id.clone(),
            attempt: Attempt {
                number: delivery.attempt,
                attempted_at,
                status_code,
                latency_ms,
                error,
                next_retry_at,
            },
            status,
        };
        let disable_after = self.settings.disable_after;
        transaction(self.tx.as_ref(), |uow| {
            if !uow.webhooks().record_attempt(&record, now)? {
                return Ok(false);
            }
            if status == DeliveryStatus::Succeeded {
                uow.webhooks()
                    .endpoint_succeeded(&delivery.endpoint_id, now)?;
            } else {
                let since = uow.webhooks().endpoint_failed(&delivery.endpoint_id, now)?;
                if failing_too_long(since, now, disable_after) {
                    uow.webhooks()
                        .disable_endpoint(&delivery.endpoint_id, now)?;
                }
            }
            Ok(true)
        })
    }
}

fn failing_too_long(since: OffsetDateTime, now: OffsetDateTime, limit: Duration) -> bool {
    now - since >= limit
}

fn find_endpoint(uow: &mut dyn UnitOfWork, id: &WebhookEndpointId) -> Result<WebhookEndpoint> {
    uow.webhooks()
        .find_endpoint(id)?
        .ok_or(Error::NotFound(Resource::WebhookEndpoint))
}
