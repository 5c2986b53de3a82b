//! The usage-term columns an offer and a contract offer period share (issue #21).

use domain::money::Money;
use domain::usage::{Allowances, OverageRates, UsageTerms};

/// `usage_terms` and its six columns, as stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageTermsColumns {
    pub usage_terms: bool,
    pub allowance_voice_seconds: Option<i64>,
    pub allowance_sms: Option<i64>,
    pub allowance_data_bytes: Option<i64>,
    pub rate_voice_per_minute: Option<i64>,
    pub rate_sms_each: Option<i64>,
    pub rate_data_per_mb: Option<i64>,
}

impl UsageTermsColumns {
    /// The columns of `terms`; all NULL (and `usage_terms` false) without terms.
    pub fn of(terms: Option<UsageTerms>) -> Self {
        let Some(terms) = terms else {
            return Self::default();
        };
        Self {
            usage_terms: true,
            allowance_voice_seconds: terms.allowances.voice_seconds,
            allowance_sms: terms.allowances.sms,
            allowance_data_bytes: terms.allowances.data_bytes,
            rate_voice_per_minute: Some(terms.rates.voice_per_minute.centimes()),
            rate_sms_each: Some(terms.rates.sms_each.centimes()),
            rate_data_per_mb: Some(terms.rates.data_per_mb.centimes()),
        }
    }

    /// The terms; `None` when the row rates no usage. A missing rate (which the offers'
    /// CHECK constraint rules out) reads as 0.
    pub fn into_domain(self) -> Option<UsageTerms> {
        let rate = |centimes: Option<i64>| Money::from_stored(centimes.unwrap_or(0));
        self.usage_terms.then(|| UsageTerms {
            allowances: Allowances {
                voice_seconds: self.allowance_voice_seconds,
                sms: self.allowance_sms,
                data_bytes: self.allowance_data_bytes,
            },
            rates: OverageRates {
                voice_per_minute: rate(self.rate_voice_per_minute),
                sms_each: rate(self.rate_sms_each),
                data_per_mb: rate(self.rate_data_per_mb),
            },
        })
    }
}
