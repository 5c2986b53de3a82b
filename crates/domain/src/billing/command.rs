//! The request to start a billing run and its validation into a plan.

use time::{Date, Duration};

use super::Period;
use crate::error::{Result, Validator};

/// What a client asks for (`POST /billing/runs`), unvalidated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunRequest {
    /// `YYYY-MM`.
    pub period: String,
    /// `YYYY-MM-DD`; defaults to today.
    pub issue_date: Option<String>,
    /// Days from issue to due date; defaults to the configured value (15).
    pub due_in_days: Option<i64>,
    /// Compute and answer the figures without writing anything.
    pub dry_run: bool,
}

/// A validated run request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunPlan {
    /// Month billed.
    pub period: Period,
    /// Issue date of the invoices (its year numbers them).
    pub issue_date: Date,
    /// Due date of the invoices.
    pub due_date: Date,
    /// Nothing is written.
    pub dry_run: bool,
}

/// Longest accepted payment term, in days.
pub const MAX_DUE_IN_DAYS: i64 = 365;

impl RunPlan {
    /// Validates `request`, with `today` and `default_due_in_days` for omitted fields. An
    /// invoice cannot be issued before the month it bills has begun.
    pub fn validate(request: &RunRequest, today: Date, default_due_in_days: i64) -> Result<Self> {
        let mut v = Validator::new();
        let period = v.check("period", Period::parse(&request.period));
        let issue_date = match &request.issue_date {
            None => Some(today),
            Some(raw) => v.check("issue_date", parse_date(raw)),
        };
        let due_in_days = request.due_in_days.unwrap_or(default_due_in_days);
        if !(0..=MAX_DUE_IN_DAYS).contains(&due_in_days) {
            v.push(
                "due_in_days",
                format!("must be between 0 and {MAX_DUE_IN_DAYS}"),
            );
        }
        if let (Some(period), Some(issue)) = (period, issue_date) {
            if issue < period.first_day() {
                v.push(
                    "issue_date",
                    format!("must not be before the billed month begins ({period}-01)"),
                );
            }
        }
        v.finish()?;
        match (period, issue_date) {
            (Some(period), Some(issue_date)) => Ok(RunPlan {
                period,
                issue_date,
                due_date: issue_date.saturating_add(Duration::days(due_in_days)),
                dry_run: request.dry_run,
            }),
            // Unreachable: `finish` failed if either is missing.
            _ => Err(crate::Error::invalid("period", "invalid")),
        }
    }
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> std::result::Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).map_err(|_| "must be a date as YYYY-MM-DD".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use time::macros::date;

    fn fields(result: Result<RunPlan>) -> Vec<String> {
        match result {
            Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn defaults_issue_today_and_due_after_the_configured_days() {
        let request = RunRequest {
            period: "2026-02".into(),
            ..RunRequest::default()
        };
        let plan = RunPlan::validate(&request, date!(2026 - 03 - 10), 15).unwrap();
        assert_eq!(plan.period.to_string(), "2026-02");
        assert_eq!(plan.issue_date, date!(2026 - 03 - 10));
        assert_eq!(plan.due_date, date!(2026 - 03 - 25));
        assert!(!plan.dry_run);
    }

    #[test]
    fn explicit_dates_and_terms_are_kept() {
        let request = RunRequest {
            period: "2026-02".into(),
            issue_date: Some("2026-03-01".into()),
            due_in_days: Some(30),
            dry_run: true,
        };
        let plan = RunPlan::validate(&request, date!(2026 - 03 - 10), 15).unwrap();
        assert_eq!(
            (plan.issue_date, plan.due_date, plan.dry_run),
            (date!(2026 - 03 - 01), date!(2026 - 03 - 31), true)
        );
    }

    #[test]
    fn every_invalid_field_is_named() {
        let request = RunRequest {
            period: "2026-13".into(),
            issue_date: Some("01/03/2026".into()),
            due_in_days: Some(-1),
            dry_run: false,
        };
        let result = RunPlan::validate(&request, date!(2026 - 03 - 10), 15);
        assert_eq!(fields(result), ["period", "issue_date", "due_in_days"]);
    }

    #[test]
    fn an_issue_date_before_the_month_begins_is_refused() {
        let request = RunRequest {
            period: "2026-04".into(),
            ..RunRequest::default()
        };
        let result = RunPlan::validate(&request, date!(2026 - 03 - 10), 15);
        assert_eq!(fields(result), ["issue_date"]);
    }
}
