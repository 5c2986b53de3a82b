//! What callers ask of the contracts use cases: commands as received (raw text, validated by
//! the use case into typed values) and the typed changes other modules may apply directly.

use time::macros::format_description;
use time::Date;

use super::{Contract, ContractStatus};
use crate::clients::Subscriber;
use crate::service_type::ServiceType;
use crate::typed_ids::{ClientId, OfferId, SubscriberId};

/// How provisioning finds the contract's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProvisioningIntent {
    /// Reuse the client's line with this identifier, or create it.
    #[default]
    Auto,
    /// Create the line; it must not exist yet.
    NewSubscriber,
    /// Use the client's existing line; it must exist and belong to the client.
    ExistingSubscriber,
}

impl ProvisioningIntent {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisioningIntent::Auto => "auto",
            ProvisioningIntent::NewSubscriber => "new_subscriber",
            ProvisioningIntent::ExistingSubscriber => "existing_subscriber",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<ProvisioningIntent, String> {
        match value {
            "auto" => Ok(ProvisioningIntent::Auto),
            "new_subscriber" => Ok(ProvisioningIntent::NewSubscriber),
            "existing_subscriber" => Ok(ProvisioningIntent::ExistingSubscriber),
            other => Err(format!(
                "unknown intent `{other}`; expected auto, new_subscriber or existing_subscriber"
            )),
        }
    }
}

/// P4: a new contract for a client's line, the line found or created on the way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvisionContract {
    /// Offer to subscribe to.
    pub offer_id: String,
    /// Owner.
    pub client_id: String,
    /// `YYYY-MM-DD`.
    pub contract_start_date: String,
    /// Defaults to the offer's commitment.
    pub commitment_months: Option<i32>,
    /// The line (`subscriber.service_identifier`), validated for the offer's service type.
    pub service_identifier: String,
    /// `auto` (default), `new_subscriber` or `existing_subscriber`.
    pub provisioning_intent: Option<String>,
}

/// A provisioned contract and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionedContract {
    /// The new contract (document version 1 already stored).
    pub contract: Contract,
    /// Its line.
    pub subscriber: Subscriber,
    /// Whether provisioning created the line.
    pub subscriber_created: bool,
}

/// P5: a contract from explicit ids (manual path).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewContract {
    /// Owner.
    pub client_id: String,
    /// The client's line.
    pub subscriber_id: String,
    /// Offer of the line's service type.
    pub offer_id: String,
    /// `YYYY-MM-DD`.
    pub contract_start_date: String,
    /// Defaults to the offer's commitment.
    pub commitment_months: Option<i32>,
    /// `pending` or `active` (default `active`).
    pub status: Option<String>,
}

/// P6: a status change as received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateStatus {
    /// Target status.
    pub status: String,
    /// Why (kept in the audit trail), at most 500 characters.
    pub reason: Option<String>,
    /// `YYYY-MM-DD`; for `terminated`, the last day of service (default today).
    pub effective_date: Option<String>,
}

/// A validated status change, as other use cases (dunning) apply it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// Target status.
    pub status: ContractStatus,
    /// Why, for the audit trail.
    pub reason: Option<String>,
    /// For `terminated`, the last day of service (default today); recorded otherwise.
    pub effective_date: Option<Date>,
    /// `true` only for suspensions made by dunning, so that resolving the case reactivates
    /// exactly those; every other change clears the mark.
    pub by_dunning: bool,
}

/// P6: an offer change as received.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateOffer {
    /// New offer, same service type.
    pub offer_id: String,
    /// `YYYY-MM-DD`, first day on the new offer (default today).
    pub effective_date: Option<String>,
}

/// A validated offer change, shared by the internal offer update (P6) and the landing plan
/// change (P9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferChange {
    /// New offer, same service type, not retired, not the current one.
    pub offer_id: String,
    /// First day on the new offer; not before the open offer period's start.
    pub effective_date: Date,
    /// Whether the commitment restarts: `contract_start_date` becomes `effective_date` and
    /// the commitment end is recomputed (P9). The internal update keeps the commitment.
    pub restart_commitment: bool,
    /// Audit action recorded: `offer_changed` (P6) or `plan_changed` (P9).
    pub audit_action: super::AuditAction,
}

/// Filters of the contract list; `None` matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContractFilter {
    /// Owner.
    pub client_id: Option<ClientId>,
    /// Lifecycle state.
    pub status: Option<ContractStatus>,
    /// Current offer.
    pub offer_id: Option<OfferId>,
    /// Service family.
    pub service_type: Option<ServiceType>,
    /// Line.
    pub subscriber_id: Option<SubscriberId>,
}

/// Parses a `YYYY-MM-DD` calendar date.
pub fn parse_date(raw: &str) -> Result<Date, String> {
    let trimmed = raw.trim();
    let shaped = trimmed.len() == 10
        && trimmed.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err("must be a date as YYYY-MM-DD".into());
    }
    Date::parse(trimmed, format_description!("[year]-[month]-[day]"))
        .map_err(|_| "must be an existing calendar date".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_strict_iso_calendar_dates() {
        assert_eq!(parse_date("2026-02-20"), Ok(date!(2026 - 02 - 20)));
        assert_eq!(parse_date("2028-02-29"), Ok(date!(2028 - 02 - 29)));
        for bad in [
            "2026-2-20",
            "20-02-2026",
            "2026/02/20",
            "2026-02-30",
            "2027-02-29",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn intents_round_trip_and_default_to_auto() {
        for intent in [
            ProvisioningIntent::Auto,
            ProvisioningIntent::NewSubscriber,
            ProvisioningIntent::ExistingSubscriber,
        ] {
            assert_eq!(ProvisioningIntent::parse(intent.as_str()), Ok(intent));
        }
        assert_eq!(ProvisioningIntent::default(), ProvisioningIntent::Auto);
        assert!(ProvisioningIntent::parse("reuse").is_err());
    }
}
