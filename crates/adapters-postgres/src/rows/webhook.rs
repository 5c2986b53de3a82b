//! `webhook_endpoints`, `webhook_deliveries` and `webhook_attempts` rows.

use diesel::prelude::*;
use diesel::sql_types::{Array, Bytea, Int4, Text};
use domain::typed_ids::{WebhookDeliveryId, WebhookEndpointId};
use domain::webhooks::{
    Attempt, ClaimedDelivery, Delivery, DeliveryStatus, EndpointUrl, EventTypes, NewDelivery,
    NewEndpoint, WebhookEndpoint,
};
use time::OffsetDateTime;

use crate::schema::{webhook_attempts, webhook_deliveries, webhook_endpoints};

/// The columns of `webhook_endpoints` a reader sees (never the secrets).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub event_types: Vec<String>,
    pub description: String,
    pub enabled: bool,
    pub disabled_at: Option<OffsetDateTime>,
    pub failing_since: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl EndpointRow {
    /// The endpoint this row holds.
    pub fn into_domain(self) -> WebhookEndpoint {
        WebhookEndpoint {
            id: WebhookEndpointId::from_stored(self.id),
            url: EndpointUrl::from_stored(self.url),
            event_types: EventTypes::from_stored(self.event_types),
            description: self.description,
            enabled: self.enabled,
            disabled_at: self.disabled_at,
            failing_since: self.failing_since,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A new row of `webhook_endpoints`.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = webhook_endpoints)]
pub struct NewEndpointRow {
    pub id: String,
    pub url: String,
    pub event_types: Vec<String>,
    pub description: String,
    pub secret_sealed: Vec<u8>,
    pub enabled: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl NewEndpointRow {
    /// The row of `new`.
    pub fn from_domain(new: &NewEndpoint) -> Self {
        let e = &new.endpoint;
        Self {
            id: e.id.as_str().to_owned(),
            url: e.url.as_str().to_owned(),
            event_types: e.event_types.to_list(),
            description: e.description.clone(),
            secret_sealed: new.sealed_secret.clone(),
            enabled: e.enabled,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A new row of `webhook_deliveries`, due at once.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct NewDeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempt_count: i32,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl NewDeliveryRow {
    /// The row of `d`.
    pub fn from_domain(d: &NewDelivery) -> Self {
        Self {
            id: d.id.as_str().to_owned(),
            endpoint_id: d.endpoint_id.as_str().to_owned(),
            event_id: d.event_id.clone(),
            event_type: d.event_type.clone(),
            payload: d.payload.clone(),
            status: DeliveryStatus::Pending.as_str().to_owned(),
            attempt_count: 0,
            next_attempt_at: Some(d.created_at),
            created_at: d.created_at,
            updated_at: d.created_at,
        }
    }
}

/// The columns of `webhook_deliveries` the delivery log shows (not the payload).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub status: String,
    pub attempt_count: i32,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl DeliveryRow {
    /// The delivery with these attempts.
    pub fn into_domain(self, attempts: Vec<Attempt>) -> Delivery {
        let status = DeliveryStatus::from_stored(&self.status);
        Delivery {
            id: WebhookDeliveryId::from_stored(self.id),
            endpoint_id: WebhookEndpointId::from_stored(self.endpoint_id),
            event_id: self.event_id,
            event_type: self.event_type,
            status,
            attempt_count: self.attempt_count,
            next_attempt_at: self
                .next_attempt_at
                .filter(|_| status == DeliveryStatus::Pending),
            created_at: self.created_at,
            updated_at: self.updated_at,
            attempts,
        }
    }
}

/// One row of `webhook_attempts`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub delivery_id: String,
    pub attempt: i32,
    pub attempted_at: OffsetDateTime,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub next_retry_at: Option<OffsetDateTime>,
}

impl AttemptRow {
    /// The row of `attempt` of `delivery`.
    pub fn from_domain(delivery: &WebhookDeliveryId, attempt: &Attempt) -> Self {
        Self {
            delivery_id: delivery.as_str().to_owned(),
            attempt: attempt.number,
            attempted_at: attempt.attempted_at,
            status_code: attempt.status_code,
            latency_ms: attempt.latency_ms,
            error: attempt.error.clone(),
            next_retry_at: attempt.next_retry_at,
        }
    }

    /// The attempt this row holds.
    pub fn into_domain(self) -> Attempt {
        Attempt {
            number: self.attempt,
            attempted_at: self.attempted_at,
            status_code: self.status_code,
            latency_ms: self.latency_ms,
            error: self.error,
            next_retry_at: self.next_retry_at,
        }
    }
}

/// A delivery as the workers' claim returns it.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClaimedRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub endpoint_id: String,
    #[diesel(sql_type = Text)]
    pub event_id: String,
    #[diesel(sql_type = Int4)]
    pub attempt_count: i32,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Text)]
    pub url: String,
    #[diesel(sql_type = Array<Bytea>)]
    pub secrets: Vec<Vec<u8>>,
}

impl ClaimedRow {
    /// The claimed delivery this row holds.
    pub fn into_domain(self) -> ClaimedDelivery {
        ClaimedDelivery {
            id: WebhookDeliveryId::from_stored(self.id),
            endpoint_id: WebhookEndpointId::from_stored(self.endpoint_id),
            event_id: self.event_id,
            attempt: self.attempt_count,
            payload: self.payload,
            url: self.url,
            sealed_secrets: self.secrets,
        }
    }
}
