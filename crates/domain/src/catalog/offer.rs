//! The offer entity and its value objects.

use time::OffsetDateTime;

use crate::money::{incl_tax, Money};
use crate::service_type::ServiceType;
use crate::typed_ids::OfferId;
use crate::usage::UsageTerms;

/// Human-readable unique offer code: 2 to 40 of `A-Z 0-9 _ -`, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OfferCode(String);

impl OfferCode {
    /// Trims and upper-cases, then validates.
    pub fn parse(raw: &str) -> Result<OfferCode, String> {
        let code = raw.trim().to_uppercase();
        let ok_len = (2..=40).contains(&code.len());
        let ok_chars = code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if ok_len && ok_chars {
            Ok(OfferCode(code))
        } else {
            Err("must be 2 to 40 characters: letters, digits, `_` or `-`".into())
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether an offer is sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferStatus {
    /// Sold and shown on the landing catalog.
    Active,
    /// No longer sold; existing contracts keep it.
    Retired,
}

impl OfferStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Active => "active",
            OfferStatus::Retired => "retired",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<OfferStatus, String> {
        match value {
            "active" => Ok(OfferStatus::Active),
            "retired" => Ok(OfferStatus::Retired),
            other => Err(format!(
                "unknown status `{other}`; expected active or retired"
            )),
        }
    }
}

/// A commercial offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// `ofr_…`.
    pub id: OfferId,
    /// Unique code.
    pub code: OfferCode,
    /// Commercial name.
    pub name: String,
    /// Free description.
    pub description: String,
    /// Service family.
    pub service_type: ServiceType,
    /// Monthly price excl. tax.
    pub monthly_price: Money,
    /// `MAD`.
    pub currency: String,
    /// Tax rate in basis points.
    pub tax_rate_bp: i32,
    /// Default commitment in months.
    pub commitment_months: i32,
    /// Active or retired.
    pub status: OfferStatus,
    /// Allowances and out-of-bundle rates; `None` rates no usage (issue #21).
    pub usage: Option<UsageTerms>,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Offer {
    /// Monthly price incl. tax, centimes.
    pub fn monthly_price_incl_tax(&self) -> i64 {
        incl_tax(self.monthly_price.centimes(), self.tax_rate_bp)
    }
}
