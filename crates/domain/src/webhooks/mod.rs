//! Webhooks (issue #16): endpoints that subscribe to event types, the deliveries the
//! dispatcher fans each event out to, and the retry schedule of their attempts.

mod delivery;
mod endpoint;
mod envelope;
mod ports;
mod schedule;
mod service;
#[cfg(test)]
mod service_tests;
mod url;

pub use delivery::{
    Attempt, AttemptRecord, ClaimedDelivery, Delivery, DeliveryOutcome, DeliveryStatus,
    DueDelivery, NewDelivery,
};
pub use endpoint::{
    EndpointFields, EndpointInput, EventTypes, NewEndpoint, WebhookEndpoint, MAX_DESCRIPTION_CHARS,
};
pub use envelope::envelope;
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockSecretCipher, MockWebhookRepository};
pub use ports::{SecretCipher, WebhookRepository};
pub use schedule::{RetrySchedule, WebhookSettings};
pub use service::WebhookService;
pub use url::{address_allowed, EndpointUrl};
