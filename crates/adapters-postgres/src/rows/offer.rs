//! `offers` rows.

use diesel::prelude::*;
use domain::catalog::{Offer, OfferCode, OfferStatus};
use domain::error::Result;
use domain::money::Money;
use domain::service_type::ServiceType;
use domain::typed_ids::OfferId;
use time::OffsetDateTime;

use super::corrupt;
use super::usage_terms::UsageTermsColumns;
use crate::schema::offers;

/// One row of `offers`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = offers)]
// A PUT that makes an allowance unlimited writes its NULL.
#[diesel(treat_none_as_null = true)]
pub struct OfferRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: String,
    pub service_type: String,
    pub monthly_price: i64,
    pub currency: String,
    pub tax_rate_bp: i32,
    pub commitment_months: i32,
    pub status: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub usage_terms: bool,
    pub allowance_voice_seconds: Option<i64>,
    pub allowance_sms: Option<i64>,
    pub allowance_data_bytes: Option<i64>,
    pub rate_voice_per_minute: Option<i64>,
    pub rate_sms_each: Option<i64>,
    pub rate_data_per_mb: Option<i64>,
}

impl OfferRow {
    /// The row of `offer`.
    pub fn from_domain(offer: &Offer) -> Self {
        let usage = UsageTermsColumns::of(offer.usage);
        Self {
            id: offer.id.as_str().to_owned(),
            code: offer.code.as_str().to_owned(),
            name: offer.name.clone(),
            description: offer.description.clone(),
            service_type: offer.service_type.as_str().to_owned(),
            monthly_price: offer.monthly_price.centimes(),
            currency: offer.currency.clone(),
            tax_rate_bp: offer.tax_rate_bp,
            commitment_months: offer.commitment_months,
            status: offer.status.as_str().to_owned(),
            created_at: offer.created_at,
            updated_at: offer.updated_at,
            usage_terms: usage.usage_terms,
            allowance_voice_seconds: usage.allowance_voice_seconds,
            allowance_sms: usage.allowance_sms,
            allowance_data_bytes: usage.allowance_data_bytes,
            rate_voice_per_minute: usage.rate_voice_per_minute,
            rate_sms_each: usage.rate_sms_each,
            rate_data_per_mb: usage.rate_data_per_mb,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> Result<Offer> {
        let bad = |m: String| corrupt("offer", &self.id, m);
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
        Ok(Offer {
            code: OfferCode::parse(&self.code).map_err(bad)?,
            service_type: ServiceType::parse(&self.service_type).map_err(bad)?,
            status: OfferStatus::parse(&self.status).map_err(bad)?,
            monthly_price: Money::new(self.monthly_price).map_err(bad)?,
            id: OfferId::from_stored(self.id),
            name: self.name,
            description: self.description,
            currency: self.currency,
            tax_rate_bp: self.tax_rate_bp,
            commitment_months: self.commitment_months,
            created_at: self.created_at,
            updated_at: self.updated_at,
            usage,
        })
    }
}
