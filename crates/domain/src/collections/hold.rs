//! Holds on the dunning ladder — a promise to pay, a dispute — and how the ladder resumes
//! when one ends (decisions 0240, 0241).

use time::{Date, OffsetDateTime};

use super::case::Promise;
use super::dates::parse_date;
use super::dunning::DunningStep;
use crate::billing::Invoice;
use crate::business_dates::DateWindow;
use crate::money::Money;
use crate::settings::DunningLadder;
use crate::typed_ids::{CreditNoteId, InvoiceId};

/// Recorded when an agent opens a dispute on a case.
pub const DISPUTE_OPENED: &str = "dispute_opened";
/// Recorded when a dispute is closed, by an agent or because the balance reached zero.
pub const DISPUTE_CLOSED: &str = "dispute_closed";
/// Recorded by dunning when a promise's date passed without the amount paid.
pub const PROMISE_BROKEN: &str = "promise_broken";
/// Recorded by dunning when a promise's date passed with the amount paid.
pub const PROMISE_KEPT: &str = "promise_kept";

/// How far ahead a promise may be dated.
pub const MAX_PROMISE_DAYS: i64 = 366;
/// Most invoices one dispute names.
pub const MAX_DISPUTED_INVOICES: usize = 100;

/// Where a promise stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromiseOutcome {
    /// Its date not yet passed: the ladder stays held.
    Pending,
    /// Its date passed with the amount paid (payments and credit since the promise).
    Kept,
    /// Its date passed without the amount paid.
    Broken,
}

impl Promise {
    /// The promise's state on `as_of`, given what the client has paid and been credited on
    /// its invoices in all (`settled_now`). It holds the ladder through its date, as the
    /// agent agreed; the day after, it is kept when the amount came in (payments and credit
    /// since it was made), else broken.
    pub fn outcome(&self, settled_now: Money, as_of: Date) -> PromiseOutcome {
        if as_of <= self.date {
            PromiseOutcome::Pending
        } else if settled_now.saturating_sub(self.settled_before) >= self.amount {
            PromiseOutcome::Kept
        } else {
            PromiseOutcome::Broken
        }
    }
}

/// The ladder shift once a hold ends, so that the ladder resumes at the step after the last
/// one reached (`level`): that step is due now at the latest, never earlier than it would
/// have been without the hold, and the steps after it keep their spacing. No step is
/// repeated (each is recorded once per case) and none is skipped.
pub fn resume_shift(ladder: &DunningLadder, level: i32, days_past_due: i64, shift: i32) -> i32 {
    let Some(next) = DunningStep::ALL.into_iter().find(|s| s.level() > level) else {
        return shift;
    };
    let ahead = days_past_due - i64::from(shift) - next.days(ladder);
    if ahead <= 0 {
        shift
    } else {
        i32::try_from(i64::from(shift) + ahead).unwrap_or(i32::MAX)
    }
}

/// The due date the ladder counts from: the oldest overdue invoice not `held` by a dispute,
/// preferring those due since the client's last case ended (`ended`, whose debt that case
/// covered); `None` when every overdue invoice is held.
pub fn oldest_counted_due(
    overdue: &[Invoice],
    held: &[InvoiceId],
    ended: Option<OffsetDateTime>,
) -> Option<Date> {
    let counted = || overdue.iter().filter(|i| !held.contains(&i.id));
    counted()
        .map(|i| i.due_date)
        .filter(|due| ended.is_none_or(|end| *due >= end.date()))
        .min()
        .or_else(|| counted().map(|i| i.due_date).min())
}

/// A promised date: `YYYY-MM-DD`, today or later, within [`MAX_PROMISE_DAYS`].
pub(crate) fn parse_promised_date(value: Option<&str>, today: Date) -> Result<Date, String> {
    let value = value.ok_or("is required for a promise to pay")?;
    let date = parse_date(value)?;
    if date < today {
        return Err(format!("must not be in the past (today is {today})"));
    }
    DateWindow::new(today, MAX_PROMISE_DAYS).check(date)
}

/// A promised amount: above zero and at most what the client has overdue.
pub(crate) fn parse_promised_amount(value: Option<i64>, overdue: Money) -> Result<Money, String> {
    let amount = Money::positive(value.ok_or("is required for a promise to pay")?)?;
    if amount > overdue {
        Err(format!(
            "must be at most the overdue outstanding ({} centimes)",
            overdue.centimes()
        ))
    } else {
        Ok(amount)
    }
}

/// The invoices of a dispute: one or more, each an `inv_…` id, no repeats. A malformed id
/// names no invoice of the client, so it is a field error rather than a 404.
pub(crate) fn parse_disputed_invoices(values: &[String]) -> Result<Vec<InvoiceId>, String> {
    if values.is_empty() {
        return Err("must name at least one invoice".into());
    }
    if values.len() > MAX_DISPUTED_INVOICES {
        return Err(format!(
            "must name at most {MAX_DISPUTED_INVOICES} invoices"
        ));
    }
    let mut ids: Vec<InvoiceId> = Vec::with_capacity(values.len());
    for value in values {
        let id = InvoiceId::parse(value.trim()).map_err(|e| format!("`{value}`: {e}"))?;
        if ids.contains(&id) {
            return Err(format!("`{value}` is named twice"));
        }
        ids.push(id);
    }
    Ok(ids)
}

/// How a dispute ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeOutcome {
    /// In favour of the client: the credit note the ledger issued for it.
    Upheld(CreditNoteId),
    /// The invoices are owed as billed: they re-enter the ladder.
    Rejected,
}

impl DisputeOutcome {
    /// Wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            DisputeOutcome::Upheld(_) => "upheld",
            DisputeOutcome::Rejected => "rejected",
        }
    }
}

/// Stored outcome of disputes closed because the balance reached zero.
pub const SETTLED_OUTCOME: &str = "settled";

/// `upheld` with the credit note that grants it, or `rejected` without one. Errors are
/// `(field, message)`.
pub(crate) fn parse_dispute_outcome(
    outcome: &str,
    credit_note_id: Option<&str>,
) -> Result<DisputeOutcome, (&'static str, String)> {
    match (outcome.trim(), credit_note_id.map(str::trim)) {
        ("upheld", Some(id)) => CreditNoteId::parse(id)
            .map(DisputeOutcome::Upheld)
            .map_err(|e| ("credit_note_id", e.to_string())),
        ("upheld", None) => Err((
            "credit_note_id",
            "is required when the dispute is upheld: issue the credit note first".into(),
        )),
        ("rejected", None) => Ok(DisputeOutcome::Rejected),
        ("rejected", Some(_)) => Err((
            "credit_note_id",
            "must be absent when the dispute is rejected".into(),
        )),
        (other, _) => Err((
            "outcome",
            format!("unknown outcome `{other}`; expected upheld or rejected"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn promise(amount: i64) -> Promise {
        Promise {
            date: date!(2026 - 03 - 20),
            amount: Money::from_stored(amount),
            made_at: datetime!(2026-03-10 09:00 UTC),
            settled_before: Money::from_stored(5_000),
        }
    }

    #[test]
    fn a_promise_is_kept_by_what_was_paid_since_it_was_made() {
        let p = promise(3_000);
        let after = date!(2026 - 03 - 21);
        assert_eq!(
            p.outcome(Money::from_stored(7_999), after),
            PromiseOutcome::Broken
        );
        assert_eq!(
            p.outcome(Money::from_stored(8_000), after),
            PromiseOutcome::Kept
        );
        // Paid early, it still holds the ladder through its date, as agreed.
        assert_eq!(
            p.outcome(Money::from_stored(8_000), date!(2026 - 03 - 15)),
            PromiseOutcome::Pending
        );
    }

    #[test]
    fn a_promise_breaks_the_day_after_its_date_not_on_it() {
        let p = promise(3_000);
        let short = Money::from_stored(7_000);
        assert_eq!(
            p.outcome(short, date!(2026 - 03 - 20)),
            PromiseOutcome::Pending
        );
        assert_eq!(
            p.outcome(short, date!(2026 - 03 - 21)),
            PromiseOutcome::Broken
        );
        // A reversal since the promise leaves less than before: nothing was paid.
        assert_eq!(
            p.outcome(Money::from_stored(1_000), date!(2026 - 03 - 21)),
            PromiseOutcome::Broken
        );
    }

    #[test]
    fn the_ladder_resumes_at_the_next_step_never_earlier_than_without_the_hold() {
        let ladder = DunningLadder::default();
        // Level 1 (reminder) reached, 40 days past due: the second reminder (D+15) is due
        // now, the suspension 15 days later.
        let shift = resume_shift(&ladder, 1, 40, 0);
        assert_eq!(shift, 25);
        assert_eq!(
            DunningStep::reached(&ladder, 40 - i64::from(shift)),
            vec![DunningStep::Reminder, DunningStep::SecondReminder]
        );
        assert_eq!(DunningStep::reached(&ladder, 54 - 25).len(), 2);
        assert_eq!(DunningStep::reached(&ladder, 55 - 25).len(), 3);
        // Not yet due without the hold: the shift stays.
        assert_eq!(resume_shift(&ladder, 1, 10, 0), 0);
        assert_eq!(resume_shift(&ladder, 1, 40, 30), 30);
        // Every step reached: nothing left to resume.
        assert_eq!(resume_shift(&ladder, 4, 400, 3), 3);
        // No step yet: the first is the one due.
        assert_eq!(resume_shift(&ladder, 0, 20, 0), 19);
    }

    #[test]
    fn promised_dates_and_amounts_are_bounded() {
        let today = date!(2026 - 03 - 10);
        assert_eq!(
            parse_promised_date(Some("2026-03-10"), today),
            Ok(date!(2026 - 03 - 10))
        );
        assert!(parse_promised_date(Some("2026-03-09"), today).is_err());
        assert!(parse_promised_date(Some("2027-03-12"), today).is_err());
        assert!(parse_promised_date(Some("10/03/2026"), today).is_err());
        assert!(parse_promised_date(None, today).is_err());
        let overdue = Money::from_stored(12_000);
        assert!(parse_promised_amount(Some(0), overdue).is_err());
        assert!(parse_promised_amount(Some(12_001), overdue).is_err());
        assert!(parse_promised_amount(None, overdue).is_err());
        assert_eq!(
            parse_promised_amount(Some(12_000), overdue),
            Ok(Money::from_stored(12_000))
        );
    }

    #[test]
    fn disputes_name_distinct_well_formed_invoices() {
        let id = "inv_01JD0000000000000000000001".to_string();
        assert_eq!(
            parse_disputed_invoices(std::slice::from_ref(&id)).map(|v| v.len()),
            Ok(1)
        );
        assert!(parse_disputed_invoices(&[]).is_err());
        assert!(parse_disputed_invoices(&[id.clone(), id.clone()]).is_err());
        assert!(parse_disputed_invoices(&["inv_42".into()]).is_err());
    }

    #[test]
    fn an_upheld_dispute_names_its_credit_note_and_a_rejected_one_none() {
        let note = "cn_01JD0000000000000000000001";
        assert!(parse_dispute_outcome("rejected", None).is_ok());
        assert_eq!(
            parse_dispute_outcome("rejected", Some(note)).map_err(|e| e.0),
            Err("credit_note_id")
        );
        assert_eq!(
            parse_dispute_outcome("upheld", None).map_err(|e| e.0),
            Err("credit_note_id")
        );
        assert_eq!(
            parse_dispute_outcome("won", None).map_err(|e| e.0),
            Err("outcome")
        );
    }
}
