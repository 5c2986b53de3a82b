//! Kinds of case action: those a person records, and those the system records.

use crate::text::{check_text, TextKind};

/// Actions a collections agent may record by hand (`POST /collections/cases/{id}/actions`).
pub const MANUAL_ACTION_TYPES: [&str; 8] = [
    "call",
    "email",
    "sms",
    "letter",
    "visit",
    "promise_to_pay",
    "payment_plan",
    "note",
];

/// The manual action that records a promise to pay (with a date and an amount).
pub const PROMISE_TO_PAY: &str = "promise_to_pay";
/// Recorded by the system when dunning opens a case.
pub const CASE_OPENED: &str = "case_opened";
/// Recorded by the system when the overdue balance reaches zero.
pub const CASE_RESOLVED: &str = "case_resolved";
/// Recorded when an agent changes a case's status.
pub const STATUS_CHANGED: &str = "status_changed";
/// Actor id of automatic actions and audit entries.
pub const SYSTEM_ACTOR: &str = "system";

/// Longest note accepted on an action or a status change.
pub const MAX_NOTE_CHARS: usize = 1000;

/// Parses a manually recorded action type.
pub fn parse_manual_action_type(value: &str) -> Result<String, String> {
    let value = value.trim();
    if MANUAL_ACTION_TYPES.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "unknown action type `{value}`; expected one of {}",
            MANUAL_ACTION_TYPES.join(", ")
        ))
    }
}

/// A trimmed optional note of at most [`MAX_NOTE_CHARS`]; blank means none.
pub fn parse_note(value: Option<&str>) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(note) if note.chars().count() > MAX_NOTE_CHARS => {
            Err(format!("must be at most {MAX_NOTE_CHARS} characters"))
        }
        Some(note) => {
            check_text(note, TextKind::Lines)?;
            Ok(Some(note.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_documented_manual_types_are_accepted() {
        assert_eq!(parse_manual_action_type(" call "), Ok("call".into()));
        assert!(parse_manual_action_type("suspension").is_err());
        assert!(parse_manual_action_type("").is_err());
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(parse_note(Some("  ")), Ok(None));
        assert_eq!(parse_note(Some(" ok ")), Ok(Some("ok".into())));
        assert!(parse_note(Some(&"x".repeat(1001))).is_err());
    }

    #[test]
    fn notes_keep_their_lines_but_refuse_escapes_and_bidi() {
        assert!(parse_note(Some("Rappel\nà 10 h")).is_ok());
        assert!(parse_note(Some("Rappel \u{1b}]0;titre\u{7}")).is_err());
        assert!(parse_note(Some("payé \u{2067}3 000\u{2069}")).is_err());
    }
}
