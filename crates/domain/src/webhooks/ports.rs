//! Ports of the webhooks: their storage and the sealing of secrets (the events come from
//! the feed, [`crate::events::EventFeed`]).

use time::OffsetDateTime;

use super::delivery::{AttemptRecord, ClaimedDelivery, NewDelivery};
use super::{Delivery, NewEndpoint, WebhookEndpoint};
use crate::error::Result;
use crate::events::EventCursor;
use crate::page::PageRequest;
use crate::typed_ids::{WebhookDeliveryId, WebhookEndpointId};

/// Storage of endpoints, deliveries and the dispatcher's cursor.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait WebhookRepository {
    /// Stores a new endpoint.
    fn insert_endpoint(&mut self, endpoint: &NewEndpoint) -> Result<()>;
    /// The endpoint with this id.
    fn find_endpoint(&mut self, id: &WebhookEndpointId) -> Result<Option<WebhookEndpoint>>;
    /// At most `page.fetch()` endpoints whose id sorts after `page.after()`, by id.
    fn list_endpoints(&mut self, page: &PageRequest) -> Result<Vec<WebhookEndpoint>>;
    /// Removes an endpoint and its deliveries. `NotFound(WebhookEndpoint)` if absent.
    fn delete_endpoint(&mut self, id: &WebhookEndpointId) -> Result<()>;
    /// The endpoint's current sealed secret, locking its row for a rotation.
    /// `NotFound(WebhookEndpoint)` if absent.
    fn lock_secret(&mut self, id: &WebhookEndpointId) -> Result<Vec<u8>>;
    /// Replaces the secret; the previous one keeps signing until `previous_until`.
    fn replace_secret(
        &mut self,
        id: &WebhookEndpointId,
        sealed: &[u8],
        previous: &[u8],
        previous_until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<()>;

    /// Locks the dispatcher's cursor row until the transaction ends (another instance's
    /// dispatcher waits) and returns it: the feed position up to which deliveries were made,
    /// `None` before the first event.
    fn lock_dispatch_cursor(&mut self) -> Result<Option<EventCursor>>;
    /// Moves the dispatcher's cursor.
    fn save_dispatch_cursor(&mut self, cursor: &EventCursor) -> Result<()>;
    /// Every enabled endpoint.
    fn enabled_endpoints(&mut self) -> Result<Vec<WebhookEndpoint>>;
    /// Stores new deliveries; one that exists for its endpoint and event is skipped.
    fn insert_deliveries(&mut self, deliveries: &[NewDelivery]) -> Result<()>;

    /// Claims at most `limit` due pending deliveries of enabled endpoints (`FOR UPDATE SKIP
    /// LOCKED`): counts the attempt and moves their next attempt to `lease_until`, so a
    /// worker that dies before recording leaves them to be claimed again then.
    fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<ClaimedDelivery>>;
    /// Records an attempt and moves its delivery on. `false` (nothing written) when the
    /// delivery was claimed again since, or is no longer pending.
    fn record_attempt(&mut self, record: &AttemptRecord, now: OffsetDateTime) -> Result<bool>;
    /// Notes a success of the endpoint: it is no longer failing.
    fn endpoint_succeeded(&mut self, id: &WebhookEndpointId, now: OffsetDateTime) -> Result<()>;
    /// Notes a failure; returns since when the endpoint has been failing without a success.
    fn endpoint_failed(
        &mut self,
        id: &WebhookEndpointId,
        now: OffsetDateTime,
    ) -> Result<OffsetDateTime>;
    /// Disables the endpoint.
    fn disable_endpoint(&mut self, id: &WebhookEndpointId, now: OffsetDateTime) -> Result<()>;

    /// At most `page.fetch()` deliveries of the endpoint, with their attempts, by id.
    fn list_deliveries(
        &mut self,
        endpoint: &WebhookEndpointId,
        page: &PageRequest,
    ) -> Result<Vec<Delivery>>;
    /// The delivery with this id, with its attempts, its row locked.
    fn lock_delivery(&mut self, id: &WebhookDeliveryId) -> Result<Option<Delivery>>;
    /// Makes the delivery pending and due at `now` (a manual retry).
    fn schedule_now(&mut self, id: &WebhookDeliveryId, now: OffsetDateTime) -> Result<()>;
}

/// Secrets of endpoints: made, sealed for storage, opened for signing. Signing needs the
/// secret itself, so it is stored encrypted rather than hashed (decision 0271).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SecretCipher: Send + Sync {
    /// A new `whsec_…` secret (base64 of 24 to 32 random bytes).
    fn new_secret(&self) -> String;
    /// The secret encrypted for storage.
    fn seal(&self, secret: &str) -> Result<Vec<u8>>;
    /// A stored secret in clear; `Error::Storage` when it cannot be opened (wrong key).
    fn open(&self, sealed: &[u8]) -> Result<String>;
}
