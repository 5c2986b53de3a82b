//! The body of `POST /invoices/{id}/credit-notes`, and its validation into a command.

use std::collections::HashSet;

use super::RequestedLine;
use crate::error::{Result, Validator};
use crate::money::Money;
use crate::text::{check_text, TextKind};

/// Longest accepted reason (it is printed on the note).
pub const MAX_REASON_CHARS: usize = 300;

/// One entry of a partial note, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteLineInput {
    /// Position of the invoice line.
    pub position: i32,
    /// Centimes excl. tax, > 0.
    pub amount_excl_tax: i64,
}

/// A credit note as sent, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNoteInput {
    /// Why the invoice is corrected.
    pub reason: String,
    /// The entries of a partial note; `None` for a full cancellation.
    pub lines: Option<Vec<CreditNoteLineInput>>,
}

/// A validated credit note: what [`CreditNoteInput::validate`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCreditNote {
    /// The reason, trimmed.
    pub reason: String,
    /// Entries of a partial note (distinct positions), or `None` for a full one.
    pub lines: Option<Vec<RequestedLine>>,
}

impl CreditNoteInput {
    /// The command, or `Validation` naming every bad field (`reason`, `lines`,
    /// `lines[i].position`, `lines[i].amount_excl_tax`). Whether a position exists on the
    /// invoice is checked against the invoice itself, under its lock.
    pub fn validate(&self) -> Result<NewCreditNote> {
        let mut v = Validator::new();
        let reason = v.check("reason", parse_reason(&self.reason));
        let lines = match &self.lines {
            None => Some(None),
            Some(entries) if entries.is_empty() => {
                v.push(
                    "lines",
                    "must hold at least one line; leave it out to credit the whole invoice",
                );
                None
            }
            Some(entries) => parse_lines(&mut v, entries).map(Some),
        };
        let (reason, lines) = v.finish_with(reason.zip(lines))?;
        Ok(NewCreditNote { reason, lines })
    }
}

fn parse_reason(raw: &str) -> std::result::Result<String, String> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err("must not be empty".into());
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("must be at most {MAX_REASON_CHARS} characters"));
    }
    check_text(reason, TextKind::Printed)?;
    Ok(reason.to_owned())
}

fn parse_lines(v: &mut Validator, entries: &[CreditNoteLineInput]) -> Option<Vec<RequestedLine>> {
    let mut seen = HashSet::new();
    let mut lines = Vec::with_capacity(entries.len());
    let mut valid = true;
    for (index, entry) in entries.iter().enumerate() {
        let position = if entry.position < 1 {
            v.push(&format!("lines[{index}].position"), "must be 1 or more");
            None
        } else if !seen.insert(entry.position) {
            v.push(
                &format!("lines[{index}].position"),
                format!("position {} appears more than once", entry.position),
            );
            None
        } else {
            Some(entry.position)
        };
        let amount = v.check(
            &format!("lines[{index}].amount_excl_tax"),
            Money::positive(entry.amount_excl_tax),
        );
        match position.zip(amount) {
            Some((position, amount_excl_tax)) => lines.push(RequestedLine {
                position,
                amount_excl_tax,
            }),
            None => valid = false,
        }
    }
    valid.then_some(lines)
}
