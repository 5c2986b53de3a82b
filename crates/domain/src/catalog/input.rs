//! The fields of an offer as a caller sends them, and their validation with the defaults.

use super::{OfferCode, OfferStatus};
use crate::error::{Result, Validator};
use crate::money::{Money, CURRENCY, DEFAULT_TAX_RATE_BP};
use crate::service_type::ServiceType;
use crate::text::{check_text, TextKind};
use crate::usage::{Allowances, OverageRates, UsageTerms};

/// Highest monthly price accepted, in centimes (10 000 000 MAD): far above any real offer,
/// and low enough that tax and proration arithmetic can never overflow.
pub const MAX_MONTHLY_PRICE: i64 = 1_000_000_000;
/// Longest default commitment an offer may carry, in months.
pub const MAX_COMMITMENT_MONTHS: i64 = 60;
/// Longest offer name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest offer description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Largest allowance of any kind (seconds, messages or bytes): 10^15, about 931 TiB of data
/// or 31 million years of calls. With the rate ceiling, a month's units × rate stays far
/// inside `i64` (decision 0361).
pub const MAX_ALLOWANCE: i64 = 1_000_000_000_000_000;
/// Highest out-of-bundle rate per unit, in centimes (100 000 MAD).
pub const MAX_OVERAGE_RATE: i64 = 10_000_000;

/// What a month of the plan includes, as sent; an absent or `null` member is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AllowancesInput {
    /// Seconds of calls.
    pub voice_seconds: Option<i64>,
    /// Text messages.
    pub sms: Option<i64>,
    /// Bytes of data.
    pub data_bytes: Option<i64>,
}

/// Out-of-bundle rates as sent, centimes excl. tax; every member is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OverageRatesInput {
    /// Per started minute of calls.
    pub voice_per_minute: Option<i64>,
    /// Per text message.
    pub sms_each: Option<i64>,
    /// Per started MB (1,048,576 bytes) of data.
    pub data_per_mb: Option<i64>,
}

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
    /// What the plan includes; with `overage_rates`, or neither (no usage rated).
    pub allowances: Option<AllowancesInput>,
    /// What goes beyond costs; with `allowances`, or neither.
    pub overage_rates: Option<OverageRatesInput>,
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
        let usage = usage_terms(v, self.allowances, self.overage_rates);
        Some(OfferFields {
            usage: usage?,
            code: code?,
            name: name?,
            description: description?,
            service_type: service_type?,
            monthly_price: monthly_price?,
            currency: currency?,
            tax_rate_bp: tax_rate_bp?,
            commitment_months: commitment_months?,
            status: status?,
        })
    }
}

/// The usage terms: both parts or neither, each member within its bounds. `Some(None)` is
/// an offer without usage terms; `None` when some member is invalid (reported in `v`).
fn usage_terms(
    v: &mut Validator,
    allowances: Option<AllowancesInput>,
    rates: Option<OverageRatesInput>,
) -> Option<Option<UsageTerms>> {
    let (allowances, rates) = match (allowances, rates) {
        (None, None) => return Some(None),
        (Some(_), None) => {
            v.push(
                "overage_rates",
                "required with `allowances` (send both, or neither)",
            );
            return None;
        }
        (None, Some(_)) => {
            v.push(
                "allowances",
                "required with `overage_rates` (send both, or neither; `{}` is unlimited \
                 everything)",
            );
            return None;
        }
        (Some(a), Some(r)) => (a, r),
    };
    let voice_seconds = v.check(
        "allowances.voice_seconds",
        allowance(allowances.voice_seconds),
    );
    let sms = v.check("allowances.sms", allowance(allowances.sms));
    let data_bytes = v.check("allowances.data_bytes", allowance(allowances.data_bytes));
    let voice_per_minute = v.check(
        "overage_rates.voice_per_minute",
        rate(rates.voice_per_minute),
    );
    let sms_each = v.check("overage_rates.sms_each", rate(rates.sms_each));
    let data_per_mb = v.check("overage_rates.data_per_mb", rate(rates.data_per_mb));
    Some(Some(UsageTerms {
        allowances: Allowances {
            voice_seconds: voice_seconds?,
            sms: sms?,
            data_bytes: data_bytes?,
        },
        rates: OverageRates {
            voice_per_minute: voice_per_minute?,
            sms_each: sms_each?,
            data_per_mb: data_per_mb?,
        },
    }))
}

fn allowance(value: Option<i64>) -> std::result::Result<Option<i64>, String> {
    match value {
        None => Ok(None),
        Some(v) if (0..=MAX_ALLOWANCE).contains(&v) => Ok(Some(v)),
        Some(_) => Err(format!(
            "must be between 0 and {MAX_ALLOWANCE}, or null for unlimited"
        )),
    }
}

fn rate(value: Option<i64>) -> std::result::Result<Money, String> {
    match value {
        None => Err("required: centimes excl. tax per unit (0 for free)".into()),
        Some(v) if (0..=MAX_OVERAGE_RATE).contains(&v) => Ok(Money::from_stored(v)),
        Some(_) => Err(format!("must be between 0 and {MAX_OVERAGE_RATE} centimes")),
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
            allowances: None,
            overage_rates: None,
        }
    }

    fn terms() -> (AllowancesInput, OverageRatesInput) {
        (
            AllowancesInput {
                voice_seconds: Some(36_000),
                sms: None,
                data_bytes: Some(20 * 1_073_741_824),
            },
            OverageRatesInput {
                voice_per_minute: Some(150),
                sms_each: Some(50),
                data_per_mb: Some(10),
            },
        )
    }

    fn fields_of(input: &OfferInput) -> Vec<String> {
        match input.validate() {
            Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn usage_terms_are_read_with_null_allowances_unlimited() {
        let mut offer = input();
        assert_eq!(
            offer.validate().unwrap().usage,
            None,
            "no terms: no usage rated"
        );
        let (allowances, rates) = terms();
        offer.allowances = Some(allowances);
        offer.overage_rates = Some(rates);
        let usage = offer.validate().unwrap().usage.unwrap();
        assert_eq!(usage.allowances.voice_seconds, Some(36_000));
        assert_eq!(usage.allowances.sms, None);
        assert_eq!(usage.rates.data_per_mb.centimes(), 10);
    }

    #[test]
    fn allowances_and_rates_come_together_or_not_at_all() {
        let (allowances, rates) = terms();
        let mut only_allowances = input();
        only_allowances.allowances = Some(allowances);
        assert_eq!(fields_of(&only_allowances), ["overage_rates"]);
        let mut only_rates = input();
        only_rates.overage_rates = Some(rates);
        assert_eq!(fields_of(&only_rates), ["allowances"]);
    }

    #[test]
    fn each_usage_member_out_of_bounds_or_missing_is_named() {
        let mut bad = input();
        bad.allowances = Some(AllowancesInput {
            voice_seconds: Some(-1),
            sms: Some(MAX_ALLOWANCE + 1),
            data_bytes: Some(MAX_ALLOWANCE),
        });
        bad.overage_rates = Some(OverageRatesInput {
            voice_per_minute: None,
            sms_each: Some(-5),
            data_per_mb: Some(MAX_OVERAGE_RATE + 1),
        });
        assert_eq!(
            fields_of(&bad),
            [
                "allowances.voice_seconds",
                "allowances.sms",
                "overage_rates.voice_per_minute",
                "overage_rates.sms_each",
                "overage_rates.data_per_mb"
            ]
        );
    }

    #[test]
    fn the_bounds_cannot_overflow_a_month_of_charges() {
        use crate::usage::UsageKind;
        // A whole month of calls, or of a 100 Gbit/s line, all over at the highest rate,
        // with ten times room to spare in `i64` (the rating also computes in i128
        // and clamps).
        let month_of_calls = 31 * 86_400;
        let month_at_100_gbits: i64 = 31 * 86_400 * 12_500_000_000;
        for (kind, used) in [
            (UsageKind::Voice, month_of_calls),
            (UsageKind::Data, month_at_100_gbits),
            (UsageKind::Sms, month_of_calls * 10),
        ] {
            let amount = i128::from(kind.charged_units(used)) * i128::from(MAX_OVERAGE_RATE);
            assert!(amount * 10 < i128::from(i64::MAX), "{kind:?}");
        }
        assert!(i128::from(MAX_ALLOWANCE) * 31 < i128::from(i64::MAX));
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
            allowances: None,
            overage_rates: None,
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
