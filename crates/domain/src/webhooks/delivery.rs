//! Deliveries: one per event and endpoint, sent until it succeeds or the retry schedule runs
//! out, with the log of its attempts.

use time::OffsetDateTime;

use super::url::EndpointUrl;
use crate::typed_ids::{WebhookDeliveryId, WebhookEndpointId};

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (or being attempted).
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Every attempt of the schedule failed.
    Failed,
}

impl DeliveryStatus {
    /// As stored and answered.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// A stored status (unknown text reads as `pending`, which a retry can settle).
    pub fn from_stored(stored: &str) -> DeliveryStatus {
        match stored {
            "succeeded" => DeliveryStatus::Succeeded,
            "failed" => DeliveryStatus::Failed,
            _ => DeliveryStatus::Pending,
        }
    }
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first try.
    pub number: i32,
    /// When the request was started.
    pub attempted_at: OffsetDateTime,
    /// The answer's HTTP status, when an answer came.
    pub status_code: Option<i32>,
    /// Milliseconds from the request to the answer (or the failure).
    pub latency_ms: i64,
    /// Why it failed (time-out, connection refused, non-2xx …); `None` when it succeeded.
    pub error: Option<String>,
    /// When the next attempt is due, if one is scheduled.
    pub next_retry_at: Option<OffsetDateTime>,
}

/// A delivery and its attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `whd_…`.
    pub id: WebhookDeliveryId,
    /// The endpoint it goes to.
    pub endpoint_id: WebhookEndpointId,
    /// The event (`evt_…`), sent as `webhook-id`.
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempt_count: i32,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<OffsetDateTime>,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
}

/// A delivery claimed for sending: what the sender needs, secrets in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    /// `whd_…`.
    pub id: WebhookDeliveryId,
    /// Its endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// `webhook-id`: the event id, the same on every attempt.
    pub event_id: String,
    /// The number of this attempt (1 for the first).
    pub attempt: i32,
    /// The body to post: the event envelope as committed.
    pub payload: String,
    /// Where to post it.
    pub url: EndpointUrl,
    /// `whsec_…` secrets to sign with: the current one first, then the previous one while its
    /// rotation grace lasts.
    pub secrets: Vec<String>,
}

/// A claimed delivery as the repository returns it (secrets still sealed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedDelivery {
    /// `whd_…`.
    pub id: WebhookDeliveryId,
    /// Its endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// The event id.
    pub event_id: String,
    /// The number of this attempt.
    pub attempt: i32,
    /// The body.
    pub payload: String,
    /// The endpoint's URL.
    pub url: String,
    /// The endpoint's sealed secrets, current first.
    pub sealed_secrets: Vec<Vec<u8>>,
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// A 2xx answer.
    Delivered {
        /// The status.
        status_code: i32,
        /// Milliseconds.
        latency_ms: i64,
    },
    /// A non-2xx answer, a time-out, a refused address or a connection error.
    Failed {
        /// The status when an answer came.
        status_code: Option<i32>,
        /// Milliseconds.
        latency_ms: i64,
        /// What went wrong, for the delivery log.
        error: String,
    },
}

/// A new delivery made by the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// `whd_…`.
    pub id: WebhookDeliveryId,
    /// Its endpoint.
    pub endpoint_id: WebhookEndpointId,
    /// The event id.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// The envelope to post.
    pub payload: String,
    /// Due at once.
    pub created_at: OffsetDateTime,
}

/// The record of one attempt, written when its answer (or failure) is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    /// The delivery.
    pub delivery_id: WebhookDeliveryId,
    /// The attempt it records; ignored when the delivery was claimed again since.
    pub attempt: Attempt,
    /// Where the delivery goes next.
    pub status: DeliveryStatus,
}
