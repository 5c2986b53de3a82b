//! Audit entries: who changed what on a contract, before and after.

use time::OffsetDateTime;

/// A flat snapshot of the fields an action changed, as (name, value) pairs.
pub type Fields = Vec<(String, String)>;

/// One append-only audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// `aud_…`.
    pub id: String,
    /// Contract concerned.
    pub contract_id: String,
    /// When.
    pub at: OffsetDateTime,
    /// Who (`act_…` or `system`, or `landing:<CIN>` for self-service).
    pub actor_id: String,
    /// What: `created`, `status_changed`, `offer_changed`, `plan_changed`, `document_generated`…
    pub action: String,
    /// Values before (absent at creation).
    pub before: Option<Fields>,
    /// Values after.
    pub after: Option<Fields>,
}

/// Audit actions recorded by the contracts use cases.
pub mod actions {
    /// A contract was created (provisioning or manual path).
    pub const CREATED: &str = "created";
    /// Its status changed.
    pub const STATUS_CHANGED: &str = "status_changed";
    /// Its offer changed through the internal offer update (P6).
    pub const OFFER_CHANGED: &str = "offer_changed";
    /// Its offer changed through the landing plan change (P9).
    pub const PLAN_CHANGED: &str = "plan_changed";
    /// A document version was produced and stored.
    pub const DOCUMENT_GENERATED: &str = "document_generated";
    /// A landing subscription of an existing client: which client details the contract
    /// used (always the stored ones) and what the form sent that differed, for an agent.
    pub const LANDING_CLIENT_DETAILS: &str = "landing_client_details";
}

/// Builds a snapshot from (name, value) pairs, skipping absent values.
pub fn fields<const N: usize>(pairs: [(&str, Option<String>); N]) -> Fields {
    pairs
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name.to_owned(), v)))
        .collect()
}

/// Every business field of a contract, as recorded at its creation.
pub fn contract_snapshot(contract: &super::Contract) -> Fields {
    fields([
        ("contract_number", Some(contract.contract_number.clone())),
        ("client_id", Some(contract.client_id.clone())),
        ("subscriber_id", Some(contract.subscriber_id.clone())),
        ("offer_id", Some(contract.offer_id.clone())),
        (
            "service_type",
            Some(contract.service_type.as_str().to_owned()),
        ),
        ("status", Some(contract.status.as_str().to_owned())),
        (
            "contract_start_date",
            Some(contract.contract_start_date.to_string()),
        ),
        (
            "commitment_months",
            Some(contract.commitment_months.to_string()),
        ),
        (
            "commitment_end_date",
            Some(contract.commitment_end_date.to_string()),
        ),
        ("monthly_price", Some(contract.monthly_price.to_string())),
        ("currency", Some(contract.currency.clone())),
        ("tax_rate_bp", Some(contract.tax_rate_bp.to_string())),
        (
            "termination_date",
            contract.termination_date.map(|d| d.to_string()),
        ),
        (
            "document_version",
            Some(contract.document_version.to_string()),
        ),
    ])
}
