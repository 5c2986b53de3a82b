//! An offer's usage terms on the wire (issue #21): `allowances` and `overage_rates`, both or
//! neither.

use domain::catalog::{AllowancesInput, OverageRatesInput};
use domain::usage::UsageTerms;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a month of the plan includes, prorated when the month is served in part (floor,
/// decision 0360). Each member is a quantity ≥ 0 (at most 10^15) or `null` (or absent) for
/// unlimited.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowancesBody {
    /// Seconds of calls; `null` unlimited.
    #[schema(example = 36000)]
    pub voice_seconds: Option<i64>,
    /// Text messages; `null` unlimited.
    #[schema(example = 200)]
    pub sms: Option<i64>,
    /// Bytes of data; `null` unlimited.
    #[schema(example = 21474836480_i64)]
    pub data_bytes: Option<i64>,
}

/// Out-of-bundle rates, centimes excl. tax per charged unit, 0 to 10 000 000; all required.
/// Calls are charged per started minute, data per started MB of 1,048,576 bytes.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverageRatesBody {
    /// Per started minute of calls.
    #[schema(required = true, value_type = i64, example = 150)]
    pub voice_per_minute: Option<i64>,
    /// Per text message.
    #[schema(required = true, value_type = i64, example = 50)]
    pub sms_each: Option<i64>,
    /// Per started MB of data.
    #[schema(required = true, value_type = i64, example = 10)]
    pub data_per_mb: Option<i64>,
}

/// An offer's allowances as answered.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct AllowancesResponse {
    /// Seconds of calls a month; `null` unlimited.
    pub voice_seconds: Option<i64>,
    /// Text messages a month; `null` unlimited.
    pub sms: Option<i64>,
    /// Bytes of data a month; `null` unlimited.
    pub data_bytes: Option<i64>,
}

/// An offer's out-of-bundle rates as answered, centimes excl. tax.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct OverageRatesResponse {
    /// Per started minute of calls.
    pub voice_per_minute: i64,
    /// Per text message.
    pub sms_each: i64,
    /// Per started MB (1,048,576 bytes) of data.
    pub data_per_mb: i64,
}

impl From<AllowancesBody> for AllowancesInput {
    fn from(b: AllowancesBody) -> Self {
        AllowancesInput {
            voice_seconds: b.voice_seconds,
            sms: b.sms,
            data_bytes: b.data_bytes,
        }
    }
}

impl From<OverageRatesBody> for OverageRatesInput {
    fn from(b: OverageRatesBody) -> Self {
        OverageRatesInput {
            voice_per_minute: b.voice_per_minute,
            sms_each: b.sms_each,
            data_per_mb: b.data_per_mb,
        }
    }
}

/// The two members of an offer with `terms` (both `None` without).
pub fn usage_members(
    terms: Option<&UsageTerms>,
) -> (Option<AllowancesResponse>, Option<OverageRatesResponse>) {
    let Some(terms) = terms else {
        return (None, None);
    };
    (
        Some(AllowancesResponse {
            voice_seconds: terms.allowances.voice_seconds,
            sms: terms.allowances.sms,
            data_bytes: terms.allowances.data_bytes,
        }),
        Some(OverageRatesResponse {
            voice_per_minute: terms.rates.voice_per_minute.centimes(),
            sms_each: terms.rates.sms_each.centimes(),
            data_per_mb: terms.rates.data_per_mb.centimes(),
        }),
    )
}

/// The same members as a request body (what a merge patch applies to).
pub fn usage_bodies(
    terms: Option<&UsageTerms>,
) -> (Option<AllowancesBody>, Option<OverageRatesBody>) {
    let (allowances, rates) = usage_members(terms);
    (
        allowances.map(|a| AllowancesBody {
            voice_seconds: a.voice_seconds,
            sms: a.sms,
            data_bytes: a.data_bytes,
        }),
        rates.map(|r| OverageRatesBody {
            voice_per_minute: Some(r.voice_per_minute),
            sms_each: Some(r.sms_each),
            data_per_mb: Some(r.data_per_mb),
        }),
    )
}
