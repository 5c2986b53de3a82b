//! The fields of an offer as a caller sends them, and their validation with the defaults.

use super::{OfferCode, OfferStatus};
use crate::error::{Result, Validator};
use crate::money::{Money, CURRENCY, DEFAULT_TAX_RATE_BP};
use crate::service_type::ServiceType;
use crate::text::{check_text, TextKind};
use crate::usage::UsageTerms;

/// Highest monthly price accepted, in centimes (10 000 000 MAD): far above any real offer,
/// and low enough that tax and proration arithmetic can never overflow.
pub const MAX_MONTHLY_PRICE: i64 = 1_000_000_000;
/// Longest default commitment an offer may carry, in months.
pub const MAX_COMMITMENT_MONTHS: i64 = 60;
/// Longest offer name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest offer description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// An offer as sent to `POST /offers` and `PUT /offers/{offer_id}` (a full replacement:
/// omitted optional fields take their defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferInput {
    /// Unique code (`FORFAIT-20GO`).
    pub code: String,
    /// Commercial name.
    pub name: String,
    /// Free description; default empty.
    pub description: Option<String>,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// Only `MAD`; default `MAD`.
    pub currency: Option<String>,
    /// Tax rate in basis points, 0 to 10 000; default 2000 (TVA 20 %).
    pub tax_rate_bp: Option<i64>,
    /// Default commitment in months, 0 to 60; default 0.
    pub commitment_months: Option<i64>,
    /// `active` or `retired`; default `active`.
    pub status: Option<String>,
}

/// Validated offer fields, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferFields {
    /// Unique code, upper-case.
    pub code: OfferCode,
    /// Trimmed name.
    pub name: String,
    /// Trimmed description.
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
    /// Allowances and out-of-bundle rates; `None` rates no usage.
    pub usage: Option<UsageTerms>,
}

impl OfferInput {
    /// Validates every field and reports all errors at once (`Error::Validation`, fields
    /// named as in the request).
    pub fn validate(&self) -> Result<OfferFields> {
        let mut v = Validator::new();
        let fields = self.check(&mut v);
        v.finish_with(fields)
    }

    /// Checks every field into `v` (so all errors are collected); the fields when all are
    /// valid.
    pub fn check(&self, v: &mut Validator) -> Option<OfferFields> {
        let code = v.check("code", OfferCode::parse(&self.code));
        // The name is printed on contracts and invoices; the description is only shown.
        let name = v.check(
            "name",
            text(&self.name, 1, MAX_NAME_CHARS, TextKind::Printed),
        );
        let description = v.check(
            "description",
            text(
                self.description.as_deref().unwrap_or(""),
                0,
                MAX_DESCRIPTION_CHARS,
                TextKind::Lines,
            ),
        );
        let service_type = v.check("service_type", ServiceType::parse(&self.service_type));
        let monthly_price = v.check("monthly_price", price(self.monthly_price));
        let currency = v.check("currency", currency(self.currency.as_deref()));
        let default_tax = i64::from(DEFAULT_TAX_RATE_BP);
        let tax_rate_bp = v.check(
            "tax_rate_bp",
            within(self.tax_rate_bp.unwrap_or(default_tax), 0, 10_000),
        );
        let commitment_months = v.check(
            "commitment_months",
            within(
                self.commitment_months.unwrap_or(0),
                0,
                MAX_COMMITMENT_MONTHS,
            ),
        );
        let status = v.check(
            "status",
            self.status
                .as_deref()
                .map_or(Ok(OfferStatus::Active), OfferStatus::parse),
        );
        Some(OfferFields {
            code: code?,
            name: name?,
            description: description?,
            service_type: service_type?,
            monthly_price: monthly_price?,
            currency: currency?,
            tax_rate_bp: tax_rate_bp?,
            commitment_months: commitment_months?,
            status: status?,
            usage: None,
        })
    }
}

/// Trimmed text of `min..=max` characters, of the characters `kind` allows.
fn text(raw: &str, min: usize, max: usize, kind: TextKind) -> std::result::Result<String, String> {
    let value = raw.trim();
    let chars = value.chars().count();
    if (min..=max).contains(&chars) {
        check_text(value, kind)?;
        Ok(value.to_owned())
    } else if min > 0 {
        Err(format!("must be {min} to {max} characters"))
    } else {
        Err(format!("must be at most {max} characters"))
    }
}

fn price(centimes: i64) -> std::result::Result<Money, String> {
    if centimes > MAX_MONTHLY_PRICE {
        return Err(format!(
            "must be at most {MAX_MONTHLY_PRICE} centimes (10 000 000 MAD)"
        ));
    }
    Money::new(centimes)
}

fn currency(raw: Option<&str>) -> std::result::Result<String, String> {
    match raw.map(|c| c.trim().to_uppercase()) {
        None => Ok(CURRENCY.to_owned()),
        Some(c) if c == CURRENCY => Ok(c),
        Some(_) => Err(format!("only {CURRENCY} is billed")),
    }
}

fn within(value: i64, min: i64, max: i64) -> std::result::Result<i32, String> {
    if (min..=max).contains(&value) {
        i32::try_from(value).map_err(|_| format!("must be between {min} and {max}"))
    } else {
        Err(format!("must be between {min} and {max}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn input() -> OfferInput {
        OfferInput {
            code: " forfait-20go ".into(),
            name: " Forfait 20 Go ".into(),
            description: None,
            service_type: "mobile".into(),
            monthly_price: 9_900,
            currency: None,
            tax_rate_bp: None,
            commitment_months: None,
            status: None,
        }
    }

    #[test]
    fn omitted_fields_take_the_catalog_defaults() {
        let fields = input().validate().unwrap();
        assert_eq!(fields.code.as_str(), "FORFAIT-20GO");
        assert_eq!(fields.name, "Forfait 20 Go");
        assert_eq!(fields.description, "");
        assert_eq!(fields.currency, "MAD");
        assert_eq!(fields.tax_rate_bp, 2000);
        assert_eq!(fields.commitment_months, 0);
        assert_eq!(fields.status, OfferStatus::Active);
    }

    #[test]
    fn every_invalid_field_is_reported_by_name() {
        let bad = OfferInput {
            code: "x".into(),
            name: "  ".into(),
            description: Some("d".repeat(MAX_DESCRIPTION_CHARS + 1)),
            service_type: "tv".into(),
            monthly_price: -1,
            currency: Some("EUR".into()),
            tax_rate_bp: Some(10_001),
            commitment_months: Some(61),
            status: Some("sold".into()),
        };
        let Err(Error::Validation(errors)) = bad.validate() else {
            panic!("expected a validation error");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "code",
                "name",
                "description",
                "service_type",
                "monthly_price",
                "currency",
                "tax_rate_bp",
                "commitment_months",
                "status"
            ]
        );
    }

    #[test]
    fn the_printed_name_is_latin_script_while_the_description_may_be_arabic() {
        let mut arabic = input();
        arabic.name = "باقة 20".into();
        arabic.description = Some("باقة شهرية\nبدون التزام".into());
        let Err(Error::Validation(errors)) = arabic.validate() else {
            panic!("expected a validation error");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "name");
        arabic.name = "Forfait 20 Go – été".into();
        assert!(arabic.validate().is_ok());
    }

    #[test]
    fn controls_in_the_description_are_refused_but_line_feeds_kept() {
        let mut spoofed = input();
        spoofed.description = Some("Offre\u{1b}[8m cachée".into());
        assert!(spoofed.validate().is_err());
        spoofed.description = Some("Appels illimités\nSMS illimités".into());
        assert!(spoofed.validate().is_ok());
    }

    #[test]
    fn prices_above_the_ceiling_are_refused() {
        let mut too_dear = input();
        too_dear.monthly_price = MAX_MONTHLY_PRICE + 1;
        assert!(too_dear.validate().is_err());
        too_dear.monthly_price = MAX_MONTHLY_PRICE;
        assert!(too_dear.validate().is_ok());
    }

    #[test]
    fn currency_is_accepted_in_any_case_and_stored_upper_case() {
        let mut lower = input();
        lower.currency = Some("mad".into());
        assert_eq!(lower.validate().unwrap().currency, "MAD");
    }
}
