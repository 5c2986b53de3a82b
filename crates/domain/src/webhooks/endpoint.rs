//! A webhook endpoint: where deliveries go, which event types it wants, and its secret.

use time::OffsetDateTime;

use super::url::EndpointUrl;
use crate::error::{Result, Validator};
use crate::events::EventType;
use crate::text::{check_text, TextKind};
use crate::typed_ids::WebhookEndpointId;

/// Longest endpoint description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// Most event types one endpoint may list.
const MAX_EVENT_TYPES: usize = 100;

/// The event types an endpoint receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTypes {
    /// `["*"]`: every type, present and future.
    All,
    /// These types only (distinct, in the order given).
    Only(Vec<EventType>),
}

impl EventTypes {
    /// Parses a caller's list: `["*"]` alone, or known types. An empty list, an unknown type
    /// or `*` mixed with types is an error naming the problem.
    pub fn parse(raw: &[String]) -> std::result::Result<EventTypes, String> {
        if raw.is_empty() {
            return Err("must list at least one event type, or \"*\" for all".into());
        }
        if raw.len() > MAX_EVENT_TYPES {
            return Err(format!("must list at most {MAX_EVENT_TYPES} event types"));
        }
        if raw.iter().any(|t| t == "*") {
            return if raw.len() == 1 {
                Ok(EventTypes::All)
            } else {
                Err("\"*\" must be the only entry when given".into())
            };
        }
        let mut types: Vec<EventType> = Vec::with_capacity(raw.len());
        for t in raw {
            let parsed = EventType::parse(t)
                .ok_or_else(|| format!("unknown event type `{}`", truncate(t)))?;
            if !types.contains(&parsed) {
                types.push(parsed);
            }
        }
        Ok(EventTypes::Only(types))
    }

    /// Types read back from storage (`["*"]` or the list; a name this version no longer
    /// knows is dropped, as no event of it can come).
    pub fn from_stored(stored: Vec<String>) -> EventTypes {
        if stored.iter().any(|t| t == "*") {
            EventTypes::All
        } else {
            EventTypes::Only(stored.iter().filter_map(|t| EventType::parse(t)).collect())
        }
    }

    /// As stored and answered: `["*"]` or the list.
    pub fn to_list(&self) -> Vec<String> {
        match self {
            EventTypes::All => vec!["*".to_owned()],
            EventTypes::Only(types) => types.iter().map(|t| t.as_str().to_owned()).collect(),
        }
    }

    /// Whether an event of `event_type` goes to this endpoint.
    pub fn matches(&self, event_type: EventType) -> bool {
        match self {
            EventTypes::All => true,
            EventTypes::Only(types) => types.contains(&event_type),
        }
    }
}

fn truncate(raw: &str) -> String {
    raw.chars().take(60).collect()
}

/// A stored endpoint (its secret stays in storage, sealed; see [`super::SecretCipher`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    /// `whe_…`.
    pub id: WebhookEndpointId,
    /// Where deliveries are posted.
    pub url: EndpointUrl,
    /// Which events it receives.
    pub event_types: EventTypes,
    /// Free text for people.
    pub description: String,
    /// False once disabled after failing for the configured days in a row; no new deliveries
    /// are made for it and its pending ones are not sent.
    pub enabled: bool,
    /// When it was disabled, if it is.
    pub disabled_at: Option<OffsetDateTime>,
    /// Start of the current run of failures (the oldest failed attempt since the last success).
    pub failing_since: Option<OffsetDateTime>,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A new endpoint with its sealed secret, as the repository stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEndpoint {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// `whsec_…` sealed by the [`super::SecretCipher`].
    pub sealed_secret: Vec<u8>,
}

/// An endpoint as a caller sends it to `POST /webhooks/endpoints`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointInput {
    /// `http://` or `https://` URL.
    pub url: String,
    /// Event types, or `["*"]`.
    pub event_types: Vec<String>,
    /// Free text; default empty.
    pub description: Option<String>,
}

/// Validated endpoint fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointFields {
    /// The URL.
    pub url: EndpointUrl,
    /// The event types.
    pub event_types: EventTypes,
    /// Trimmed description.
    pub description: String,
}

impl EndpointInput {
    /// The validated fields, or `Validation` naming `url`, `event_types` and `description`.
    /// `allow_private` lifts the host rules (`MTF_WEBHOOK_ALLOW_PRIVATE=1`).
    pub fn validate(&self, allow_private: bool) -> Result<EndpointFields> {
        let mut v = Validator::new();
        let url = v.check("url", EndpointUrl::parse(&self.url, allow_private));
        let event_types = v.check("event_types", EventTypes::parse(&self.event_types));
        let description = self.description.as_deref().unwrap_or("").trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            v.push(
                "description",
                format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
            );
        } else if let Err(message) = check_text(&description, TextKind::Lines) {
            v.push("description", message);
        }
        v.finish_with(
            url.zip(event_types)
                .map(|(url, event_types)| EndpointFields {
                    url,
                    event_types,
                    description,
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(types: &[&str]) -> Vec<String> {
        types.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn event_types_are_a_star_alone_or_known_types() {
        assert_eq!(EventTypes::parse(&list(&["*"])), Ok(EventTypes::All));
        assert_eq!(
            EventTypes::parse(&list(&["invoice.paid", "invoice.paid", "client.created"])),
            Ok(EventTypes::Only(vec![
                EventType::InvoicePaid,
                EventType::ClientCreated
            ]))
        );
        assert!(EventTypes::parse(&[]).is_err());
        assert!(EventTypes::parse(&list(&["invoice.lost"])).is_err());
        assert!(EventTypes::parse(&list(&["*", "invoice.paid"])).is_err());
    }

    #[test]
    fn an_endpoint_matches_its_types_or_everything() {
        assert!(EventTypes::All.matches(EventType::ContractSuspended));
        let only = EventTypes::Only(vec![EventType::ContractSuspended]);
        assert!(only.matches(EventType::ContractSuspended));
        assert!(!only.matches(EventType::ContractReactivated));
    }
}
