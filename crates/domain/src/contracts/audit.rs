//! Audit entries: who changed what on a contract, before and after.

use std::fmt;

use time::OffsetDateTime;

use crate::typed_ids::{AuditEntryId, ContractId};

/// A flat snapshot of the fields an action changed, as (name, value) pairs.
pub type Fields = Vec<(String, String)>;

/// One append-only audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// `aud_…`.
    pub id: AuditEntryId,
    /// Contract concerned.
    pub contract_id: ContractId,
    /// When.
    pub at: OffsetDateTime,
    /// Who (`act_…` or `system`, or `landing:<CIN>` for self-service).
    pub actor_id: String,
    /// What happened.
    pub action: AuditAction,
    /// Values before (absent at creation).
    pub before: Option<Fields>,
    /// Values after.
    pub after: Option<Fields>,
}

/// What an audit entry records. The wire and stored names are those of `as_str`, unchanged
/// since the strings this enum replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A contract was created (provisioning or manual path).
    Created,
    /// Its status changed.
    StatusChanged,
    /// Its offer changed through the internal offer update (P6).
    OfferChanged,
    /// Its offer changed through the landing plan change (P9).
    PlanChanged,
    /// A document version was produced and stored.
    DocumentGenerated,
    /// A landing subscription of an existing client: which client details the contract
    /// used (always the stored ones) and what the form sent that differed, for an agent.
    LandingClientDetails,
    /// A change backdated into billed periods corrected those invoices: the credit notes
    /// issued and the regularisation charges left for the next invoice (decision 0250).
    Regularised,
}

impl AuditAction {
    /// Every action, in the order they were introduced.
    pub const ALL: [AuditAction; 7] = [
        AuditAction::Created,
        AuditAction::StatusChanged,
        AuditAction::OfferChanged,
        AuditAction::PlanChanged,
        AuditAction::DocumentGenerated,
        AuditAction::LandingClientDetails,
        AuditAction::Regularised,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Created => "created",
            AuditAction::StatusChanged => "status_changed",
            AuditAction::OfferChanged => "offer_changed",
            AuditAction::PlanChanged => "plan_changed",
            AuditAction::DocumentGenerated => "document_generated",
            AuditAction::LandingClientDetails => "landing_client_details",
            AuditAction::Regularised => "regularised",
        }
    }

    /// The action a stored name stands for; `Err` names the unknown value (storage only
    /// holds names this enum wrote, so the caller reports it as a storage fault).
    pub fn from_stored(stored: &str) -> Result<AuditAction, String> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == stored)
            .ok_or_else(|| format!("unknown contract audit action `{stored}`"))
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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
        ("client_id", Some(contract.client_id.to_string())),
        ("subscriber_id", Some(contract.subscriber_id.to_string())),
        ("offer_id", Some(contract.offer_id.to_string())),
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
        (
            "monthly_price",
            Some(contract.monthly_price.centimes().to_string()),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_keep_their_stored_names_and_read_back() {
        let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            names,
            [
                "created",
                "status_changed",
                "offer_changed",
                "plan_changed",
                "document_generated",
                "landing_client_details",
                "regularised"
            ]
        );
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_stored(action.as_str()), Ok(action));
        }
        assert!(AuditAction::from_stored("deleted").is_err());
    }
}
