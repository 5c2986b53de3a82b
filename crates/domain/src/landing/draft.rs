//! A saved, unfinished subscription form.

use time::{Duration, OffsetDateTime};

use crate::error::{Error, Result, RuleViolation};
use crate::text::check_json_text;
use crate::typed_ids::DraftId;

/// Largest accepted payload: 16 KiB of serialised JSON.
pub const MAX_PAYLOAD_BYTES: usize = 16 * 1024;

/// Whether the draft was turned into a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStatus {
    /// Still being edited.
    Open,
    /// Used by a successful `submit/new`.
    Submitted,
}

impl DraftStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Open => "open",
            DraftStatus::Submitted => "submitted",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<DraftStatus, String> {
        match value {
            "open" => Ok(DraftStatus::Open),
            "submitted" => Ok(DraftStatus::Submitted),
            other => Err(format!(
                "unknown draft status `{other}`; expected open or submitted"
            )),
        }
    }
}

/// A landing draft. The payload is the client's own JSON object, kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// `drf_…`.
    pub id: DraftId,
    /// JSON object text (≤ 16 KiB).
    pub payload: String,
    /// Open or submitted.
    pub status: DraftStatus,
    /// After this instant the draft is gone (404).
    pub expires_at: OffsetDateTime,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Draft {
    /// Whether the draft is past its expiry at `now` (an expired draft is treated as absent).
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        now >= self.expires_at
    }
}

/// Checks a payload: JSON object text (the driving adapter has parsed it already; this
/// only checks it is an object) of at most [`MAX_PAYLOAD_BYTES`], whose strings hold no
/// control or bidi character (a draft is shown back in the landing form).
pub fn check_payload(payload: &str) -> Result<()> {
    if !payload.trim_start().starts_with('{') {
        return Err(Error::invalid("payload", "must be a JSON object"));
    }
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(Error::Rule(RuleViolation::DraftTooLarge));
    }
    check_json_text(payload).map_err(|message| Error::invalid("payload", message))?;
    Ok(())
}

/// Expiry of a draft saved at `now`: every save restarts the time to live.
pub fn expiry(now: OffsetDateTime, ttl_days: i64) -> OffsetDateTime {
    now + Duration::days(ttl_days.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_strings_refuse_escapes_and_bidi_controls() {
        assert!(check_payload(r#"{"client":{"first_name":"Hajar","note":"a\nb"}}"#).is_ok());
        for spoofed in [
            r#"{"client":{"first_name":"\u001b[31mHajar"}}"#,
            "{\"client\":{\"first_name\":\"\u{202E}rajaH\"}}",
        ] {
            let Err(Error::Validation(errors)) = check_payload(spoofed) else {
                panic!("expected a validation error for {spoofed}");
            };
            assert_eq!(errors[0].field, "payload");
        }
    }
}
