//! An offer's usage terms: its allowances and its out-of-bundle rates, snapshotted on each
//! contract offer period as the price is.

use super::UsageKind;
use crate::money::Money;

/// What a month of the plan includes; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Allowances {
    /// Seconds of calls.
    pub voice_seconds: Option<i64>,
    /// Text messages.
    pub sms: Option<i64>,
    /// Bytes of data.
    pub data_bytes: Option<i64>,
}

impl Allowances {
    /// The allowance of `kind`, in its recorded unit; `None` is unlimited.
    pub fn of(&self, kind: UsageKind) -> Option<i64> {
        match kind {
            UsageKind::Voice => self.voice_seconds,
            UsageKind::Sms => self.sms,
            UsageKind::Data => self.data_bytes,
        }
    }
}

/// Out-of-bundle prices excl. tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverageRates {
    /// Per started minute of calls.
    pub voice_per_minute: Money,
    /// Per text message.
    pub sms_each: Money,
    /// Per started MB of data.
    pub data_per_mb: Money,
}

impl OverageRates {
    /// The price of one charged unit of `kind`.
    pub fn per_unit(&self, kind: UsageKind) -> Money {
        match kind {
            UsageKind::Voice => self.voice_per_minute,
            UsageKind::Sms => self.sms_each,
            UsageKind::Data => self.data_per_mb,
        }
    }
}

/// The usage terms of an offer (or of a contract's offer period). An offer without them does
/// not rate usage at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageTerms {
    /// Included in a whole month.
    pub allowances: Allowances,
    /// Beyond the allowances.
    pub rates: OverageRates,
}
