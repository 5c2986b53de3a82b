//! Usage records as the network sends them (issue #21): what one record must hold, how its line
//! is normalised, and the reasons a record is rejected. A rejected record never fails its
//! batch (decision 0365).

use time::OffsetDateTime;

use super::UsageKind;
use crate::clients::Msisdn;

/// Most records one request may carry.
pub const MAX_RECORDS: usize = 100_000;

/// Largest quantity one record may carry: 31 days of seconds for a call, 100,000 messages,
/// 1 TiB of data. Beyond is a counter fault at the network, not usage (decision 0365).
pub fn max_quantity(kind: UsageKind) -> i64 {
    match kind {
        UsageKind::Voice => 31 * 24 * 3_600,
        UsageKind::Sms => 100_000,
        UsageKind::Data => 1 << 40,
    }
}

/// Longest `record_id`, `service_identifier` or `destination` kept.
pub const MAX_TEXT: usize = 128;

/// A record read from the request, before attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRecord {
    /// Its line in the request (1-based), for the rejections.
    pub line: u32,
    /// The network's own id: a record sent again is a duplicate.
    pub record_id: String,
    /// The line it was used on, normalised by [`normalise_line`].
    pub service_identifier: String,
    /// What was used.
    pub kind: UsageKind,
    /// When the use started.
    pub started_at: OffsetDateTime,
    /// Seconds, messages or bytes (checked by [`check_quantity`]).
    pub quantity: i64,
    /// Called number or APN, as sent.
    pub destination: Option<String>,
}

/// Why a record was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectionCode {
    /// A required field is missing or has the wrong type or form.
    InvalidRecord,
    /// The quantity is not a whole number above zero, or is beyond [`max_quantity`].
    InvalidQuantity,
    /// No subscriber has this line.
    UnknownLine,
    /// The line exists but no live contract covered it on the record's day.
    NoContractAtTime,
}

impl RejectionCode {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RejectionCode::InvalidRecord => "invalid_record",
            RejectionCode::InvalidQuantity => "invalid_quantity",
            RejectionCode::UnknownLine => "unknown_line",
            RejectionCode::NoContractAtTime => "no_contract_at_time",
        }
    }
}

/// A record not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its line in the request (1-based).
    pub line: u32,
    /// Its id when it could be read.
    pub record_id: Option<String>,
    /// Why.
    pub code: RejectionCode,
    /// What to fix, naming the field.
    pub message: String,
}

/// The line of a record in the form subscribers store it: a Moroccan number in any usual
/// spelling becomes E.164; any other identifier (internet access) is trimmed and upper-cased.
pub fn normalise_line(raw: &str) -> String {
    match Msisdn::parse(raw) {
        Ok(msisdn) => msisdn.as_str().to_owned(),
        Err(_) => raw.trim().to_ascii_uppercase(),
    }
}

/// `Ok` for a quantity a record of `kind` may carry.
pub fn check_quantity(kind: UsageKind, quantity: i64) -> Result<i64, String> {
    let max = max_quantity(kind);
    if quantity <= 0 {
        Err("quantity: must be a whole number above 0".into())
    } else if quantity > max {
        Err(format!(
            "quantity: at most {max} for {} records",
            kind.as_str()
        ))
    } else {
        Ok(quantity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_lines_are_normalised_to_e164_and_others_upper_cased() {
        assert_eq!(normalise_line("0612345678"), "+212612345678");
        assert_eq!(normalise_line("00212 6 12 34 56 78"), "+212612345678");
        assert_eq!(normalise_line(" fibre-001 "), "FIBRE-001");
    }

    #[test]
    fn quantities_are_above_zero_and_bounded_by_kind() {
        assert!(check_quantity(UsageKind::Voice, 0).is_err());
        assert!(check_quantity(UsageKind::Sms, -3).is_err());
        assert_eq!(check_quantity(UsageKind::Voice, 2_678_400), Ok(2_678_400));
        assert!(check_quantity(UsageKind::Voice, 2_678_401).is_err());
        assert_eq!(check_quantity(UsageKind::Data, 1 << 40), Ok(1 << 40));
        assert!(check_quantity(UsageKind::Data, (1 << 40) + 1).is_err());
    }
}
