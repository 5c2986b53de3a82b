//! Request and response bodies of the webhook endpoints.

use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use domain::webhooks::{Attempt, Delivery, EndpointInput, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// `POST /webhooks/endpoints`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointRequest {
    /// `http://` or `https://` URL, at most 2000 characters, without user information.
    /// Loopback, private, link-local and unspecified addresses are refused (also after DNS
    /// resolution at delivery time) unless the server runs with `MTF_WEBHOOK_ALLOW_PRIVATE=1`.
    #[schema(example = "https://provisioning.example.ma/hooks/mtf")]
    pub url: String,
    /// Event types to receive (`contract.suspended`, …), or `["*"]` for every type.
    #[schema(example = json!(["contract.suspended", "contract.reactivated"]))]
    pub event_types: Vec<String>,
    /// Free text, at most 500 characters; default empty.
    pub description: Option<String>,
}

impl From<EndpointRequest> for EndpointInput {
    fn from(r: EndpointRequest) -> Self {
        EndpointInput {
            url: r.url,
            event_types: r.event_types,
            description: r.description,
        }
    }
}

/// An endpoint (its secret is never shown again after creation or rotation).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndpointResponse {
    /// `whe_…`.
    pub id: String,
    /// Where deliveries are posted.
    pub url: String,
    /// The event types it receives, or `["*"]`.
    pub event_types: Vec<String>,
    /// Free text.
    pub description: String,
    /// False once disabled after failing for `MTF_WEBHOOK_DISABLE_AFTER_HOURS` (default 72)
    /// in a row: nothing more is sent to it.
    pub enabled: bool,
    /// When it was disabled.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<OffsetDateTime>,
    /// Since when every attempt to it has failed (absent while healthy).
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub failing_since: Option<OffsetDateTime>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl From<&WebhookEndpoint> for EndpointResponse {
    fn from(e: &WebhookEndpoint) -> Self {
        EndpointResponse {
            id: e.id.as_str().to_owned(),
            url: e.url.as_str().to_owned(),
            event_types: e.event_types.to_list(),
            description: e.description.clone(),
            enabled: e.enabled,
            disabled_at: e.disabled_at,
            failing_since: e.failing_since,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An endpoint with its signing secret: the only answers that show it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndpointWithSecret {
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: EndpointResponse,
    /// `whsec_` and the base64 of 32 random bytes: the Standard Webhooks signing key. Shown
    /// once; store it at the receiver.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw7tCb9UCrCJg=")]
    pub secret: String,
}

/// One page of endpoints.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EndpointList {
    /// The endpoints, by id.
    pub items: Vec<EndpointResponse>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

impl From<Page<WebhookEndpoint>> for EndpointList {
    fn from(page: Page<WebhookEndpoint>) -> Self {
        EndpointList {
            items: page.items.iter().map(EndpointResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptResponse {
    /// 1 for the first.
    pub attempt: i32,
    /// When it started.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub attempted_at: OffsetDateTime,
    /// The answer's HTTP status, when one came.
    pub status_code: Option<i32>,
    /// Milliseconds until the answer or the failure.
    pub latency_ms: i64,
    /// Why it failed (`answered 503`, `timed out`, `connection refused`, `address refused`…).
    pub error: Option<String>,
    /// When the next attempt was scheduled, if one was.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_retry_at: Option<OffsetDateTime>,
}

impl From<&Attempt> for AttemptResponse {
    fn from(a: &Attempt) -> Self {
        AttemptResponse {
            attempt: a.number,
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error.clone(),
            next_retry_at: a.next_retry_at,
        }
    }
}

/// A delivery: one event to one endpoint, and its attempts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryResponse {
    /// `whd_…`.
    pub id: String,
    /// `whe_…`.
    pub endpoint_id: String,
    /// The event (`evt_…`), sent as `webhook-id` on every attempt.
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// `pending`, `succeeded` or `failed` (every attempt of the schedule failed).
    #[schema(example = "pending")]
    pub status: String,
    /// Attempts made so far.
    pub attempt_count: i32,
    /// When the next attempt is due (pending only).
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_attempt_at: Option<OffsetDateTime>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptResponse>,
}

impl From<&Delivery> for DeliveryResponse {
    fn from(d: &Delivery) -> Self {
        DeliveryResponse {
            id: d.id.as_str().to_owned(),
            endpoint_id: d.endpoint_id.as_str().to_owned(),
            event_id: d.event_id.clone(),
            event_type: d.event_type.clone(),
            status: d.status.as_str().to_owned(),
            attempt_count: d.attempt_count,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            attempts: d.attempts.iter().map(AttemptResponse::from).collect(),
        }
    }
}

/// One page of deliveries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryList {
    /// The deliveries, by id (creation order).
    pub items: Vec<DeliveryResponse>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

impl From<Page<Delivery>> for DeliveryList {
    fn from(page: Page<Delivery>) -> Self {
        DeliveryList {
            items: page.items.iter().map(DeliveryResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Query parameters of `GET /webhooks/endpoints`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EndpointListQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^whe_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for EndpointListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::WebhookEndpoint)?;
        Ok(EndpointListQuery {
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// Query parameters of `GET /webhooks/endpoints/{endpoint_id}/deliveries`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryListQuery {
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^whd_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for DeliveryListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::WebhookDelivery)?;
        Ok(DeliveryListQuery {
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}
