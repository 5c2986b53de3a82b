//! `contracts`, `contract_offer_periods` and `contract_audit` rows.

use diesel::prelude::*;
use domain::contracts::{AuditAction, AuditEntry, Contract, ContractStatus, Fields, OfferPeriod};
use domain::error::Result;
use domain::money::Money;
use domain::service_type::ServiceType;
use domain::typed_ids::{AuditEntryId, ClientId, ContractId, OfferId, SubscriberId};
use time::{Date, OffsetDateTime};

use super::corrupt;
use super::usage_terms::UsageTermsColumns;
use crate::schema::{contract_audit, contract_offer_periods, contracts};

/// One row of `contracts`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contracts, treat_none_as_null = true)]
pub struct ContractRow {
    pub id: String,
    pub contract_number: String,
    pub client_id: String,
    pub subscriber_id: String,
    pub offer_id: String,
    pub service_type: String,
    pub status: String,
    pub contract_start_date: Date,
    pub commitment_months: i32,
    pub commitment_end_date: Date,
    pub monthly_price: i64,
    pub currency: String,
    pub tax_rate_bp: i32,
    pub termination_date: Option<Date>,
    pub document_version: i32,
    pub suspended_by_dunning: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl ContractRow {
    /// The row of `contract`.
    pub fn from_domain(c: &Contract) -> Self {
        Self {
            id: c.id.to_string(),
            contract_number: c.contract_number.clone(),
            client_id: c.client_id.to_string(),
            subscriber_id: c.subscriber_id.to_string(),
            offer_id: c.offer_id.to_string(),
            service_type: c.service_type.as_str().to_owned(),
            status: c.status.as_str().to_owned(),
            contract_start_date: c.contract_start_date,
            commitment_months: c.commitment_months,
            commitment_end_date: c.commitment_end_date,
            monthly_price: c.monthly_price.centimes(),
            currency: c.currency.clone(),
            tax_rate_bp: c.tax_rate_bp,
            termination_date: c.termination_date,
            document_version: c.document_version,
            suspended_by_dunning: c.suspended_by_dunning,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> Result<Contract> {
        let bad = |m: String| corrupt("contract", &self.id, m);
        Ok(Contract {
            service_type: ServiceType::parse(&self.service_type).map_err(bad)?,
            status: ContractStatus::parse(&self.status).map_err(bad)?,
            id: ContractId::from_stored(self.id),
            contract_number: self.contract_number,
            client_id: ClientId::from_stored(self.client_id),
            subscriber_id: SubscriberId::from_stored(self.subscriber_id),
            offer_id: OfferId::from_stored(self.offer_id),
            contract_start_date: self.contract_start_date,
            commitment_months: self.commitment_months,
            commitment_end_date: self.commitment_end_date,
            monthly_price: Money::from_stored(self.monthly_price),
            currency: self.currency,
            tax_rate_bp: self.tax_rate_bp,
            termination_date: self.termination_date,
            document_version: self.document_version,
            suspended_by_dunning: self.suspended_by_dunning,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// One row of `contract_offer_periods` (without its surrogate id and contract).
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = contract_offer_periods)]
pub struct OfferPeriodRow {
    pub offer_id: String,
    pub monthly_price: i64,
    pub tax_rate_bp: i32,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub usage_terms: bool,
    pub allowance_voice_seconds: Option<i64>,
    pub allowance_sms: Option<i64>,
    pub allowance_data_bytes: Option<i64>,
    pub rate_voice_per_minute: Option<i64>,
    pub rate_sms_each: Option<i64>,
    pub rate_data_per_mb: Option<i64>,
}

impl OfferPeriodRow {
    /// The value.
    pub fn into_domain(self) -> OfferPeriod {
        let usage = UsageTermsColumns {
            usage_terms: self.usage_terms,
            allowance_voice_seconds: self.allowance_voice_seconds,
            allowance_sms: self.allowance_sms,
            allowance_data_bytes: self.allowance_data_bytes,
            rate_voice_per_minute: self.rate_voice_per_minute,
            rate_sms_each: self.rate_sms_each,
            rate_data_per_mb: self.rate_data_per_mb,
        }
        .into_domain();
        OfferPeriod {
            offer_id: OfferId::from_stored(self.offer_id),
            monthly_price: Money::from_stored(self.monthly_price),
            tax_rate_bp: self.tax_rate_bp,
            start_date: self.start_date,
            end_date: self.end_date,
            usage,
        }
    }
}

/// One row of `contract_audit`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contract_audit)]
pub struct AuditRow {
    pub id: String,
    pub contract_id: String,
    pub at: OffsetDateTime,
    pub actor_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl AuditRow {
    /// The domain entry; an action name this service never writes is a storage fault.
    pub fn into_entry(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            action: AuditAction::from_stored(&self.action)
                .map_err(|m| corrupt("contract_audit", &self.id, m))?,
            id: AuditEntryId::from_stored(self.id),
            contract_id: ContractId::from_stored(self.contract_id),
            at: self.at,
            actor_id: self.actor_id,
            before: self.before.map(json_fields),
            after: self.after.map(json_fields),
        })
    }
}

/// A snapshot as a JSON object of strings.
pub(crate) fn fields_json(fields: &Fields) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

/// A stored JSON object back into a snapshot, for the audit listing (non-string values are
/// kept as JSON text).
pub(crate) fn json_fields(value: serde_json::Value) -> Fields {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}
