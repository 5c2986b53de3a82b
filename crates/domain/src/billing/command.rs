//! The request to start a billing run and its validation into a plan (the window of
//! decision 0116).

use time::{Date, Duration};

use super::Period;
use crate::error::{Result, Validator};
use crate::settings::Settings;

/// What a client asks for (`POST /billing/runs`), unvalidated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunRequest {
    /// `YYYY-MM`.
    pub period: String,
    /// `YYYY-MM-DD`; defaults to today.
    pub issue_date: Option<String>,
    /// Deprecated payment term: the operator's setting decides; a value is accepted only when
    /// it equals that setting (decision 0116).
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
    /// Due date of the invoices: always the issue date plus the configured payment term.
    pub due_date: Date,
    /// Nothing is written.
    pub dry_run: bool,
}

/// Longest payment term an operator may configure (`MTF_DUE_IN_DAYS`), in days.
pub const MAX_DUE_IN_DAYS: i64 = 365;

/// Days after the billed month's last day during which its invoices may still be issued: the
/// whole following month and two weeks more, for a run held back by an outage or a dispute.
/// It also bounds which year's legal series a period can open: December's invoices can open
/// the next year's series only until mid-February.
pub const ISSUE_GRACE_DAYS: i64 = 45;

impl RunPlan {
    /// Validates `request` as of `today`: the period is at most the month after the current
    /// one; the issue date (default today) lies inside the business-date window and from the
    /// billed month's first day to [`ISSUE_GRACE_DAYS`] after its last; the due date is the
    /// issue date plus `settings.due_in_days`.
    pub fn validate(request: &RunRequest, today: Date, settings: &Settings) -> Result<Self> {
        let mut v = Validator::new();
        let latest_period = Period::containing(today).next();
        let period = v.check(
            "period",
            Period::parse(&request.period).and_then(|period| {
                if period > latest_period {
                    Err(format!(
                        "must be {latest_period} or earlier (the month after the current one)"
                    ))
                } else {
                    Ok(period)
                }
            }),
        );
        let window = settings.date_window(today);
        let issue_date = match &request.issue_date {
            None => Some(today),
            Some(raw) => v.check(
                "issue_date",
                parse_date(raw).and_then(|date| window.check(date)),
            ),
        };
        if let Some(asked) = request.due_in_days {
            if asked != settings.due_in_days {
                v.push(
                    "due_in_days",
                    format!(
                        "the payment term is the operator's setting: omit this field or send {}",
                        settings.due_in_days
                    ),
                );
            }
        }
        if let (Some(period), Some(issue)) = (period, issue_date) {
            if let Err(message) = issue_window(period, issue) {
                v.push("issue_date", message);
            }
        }
        let (period, issue_date) = v.finish_with(period.zip(issue_date))?;
        Ok(RunPlan {
            period,
            issue_date,
            due_date: issue_date.saturating_add(Duration::days(
                settings.due_in_days.clamp(0, MAX_DUE_IN_DAYS),
            )),
            dry_run: request.dry_run,
        })
    }
}

/// An invoice for `period` is issued from the month's first day to [`ISSUE_GRACE_DAYS`] after
/// its last day.
fn issue_window(period: Period, issue: Date) -> std::result::Result<(), String> {
    let first = period.first_day();
    let last = period
        .last_day()
        .saturating_add(Duration::days(ISSUE_GRACE_DAYS));
    if issue < first {
        Err(format!(
            "must not be before the billed month begins ({first})"
        ))
    } else if issue > last {
        Err(format!(
            "must be {last} or earlier ({ISSUE_GRACE_DAYS} days after the billed month ends)"
        ))
    } else {
        Ok(())
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

    const TODAY: Date = date!(2026 - 03 - 10);

    fn settings() -> Settings {
        Settings::default()
    }

    fn plan(period: &str, issue_date: Option<&str>) -> Result<RunPlan> {
        let request = RunRequest {
            period: period.into(),
            issue_date: issue_date.map(str::to_owned),
            dry_run: false,
            due_in_days: None,
        };
        RunPlan::validate(&request, TODAY, &settings())
    }

    fn fields(result: Result<RunPlan>) -> Vec<String> {
        match result {
            Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected validation errors, got {other:?}"),
        }
    }

    #[test]
    fn defaults_issue_today_and_due_after_the_configured_days() {
        let plan = plan("2026-02", None).unwrap();
        assert_eq!(plan.period.to_string(), "2026-02");
        assert_eq!(plan.issue_date, TODAY);
        assert_eq!(plan.due_date, date!(2026 - 03 - 25));
        assert!(!plan.dry_run);
    }

    #[test]
    fn the_due_date_always_follows_the_configured_term() {
        let request = RunRequest {
            period: "2026-02".into(),
            issue_date: Some("2026-03-01".into()),
            dry_run: true,
            due_in_days: None,
        };
        let thirty = Settings {
            due_in_days: 30,
            ..settings()
        };
        let plan = RunPlan::validate(&request, TODAY, &thirty).unwrap();
        assert_eq!(
            (plan.issue_date, plan.due_date, plan.dry_run),
            (date!(2026 - 03 - 01), date!(2026 - 03 - 31), true)
        );
    }

    #[test]
    fn a_deprecated_due_in_days_must_equal_the_configured_term() {
        let request = |days| RunRequest {
            period: "2026-02".into(),
            issue_date: Some("2026-03-01".into()),
            dry_run: false,
            due_in_days: Some(days),
        };
        let settings = settings();
        let same = RunPlan::validate(&request(settings.due_in_days), TODAY, &settings);
        assert_eq!(
            same.map(|plan| plan.due_date).ok(),
            Some(date!(2026 - 03 - 01) + Duration::days(settings.due_in_days))
        );
        assert_eq!(
            fields(RunPlan::validate(&request(0), TODAY, &settings)),
            ["due_in_days"]
        );
    }

    #[test]
    fn every_invalid_field_is_named() {
        assert_eq!(
            fields(plan("2026-13", Some("01/03/2026"))),
            ["period", "issue_date"]
        );
    }

    #[test]
    fn an_issue_date_before_the_month_begins_is_refused() {
        assert_eq!(fields(plan("2026-04", None)), ["issue_date"]);
        assert_eq!(fields(plan("2026-02", Some("2026-01-31"))), ["issue_date"]);
    }

    #[test]
    fn periods_beyond_the_next_month_are_refused() {
        assert!(plan("2026-04", Some("2026-04-01")).is_ok());
        assert_eq!(fields(plan("2026-05", Some("2026-05-01"))), ["period"]);
        assert_eq!(
            fields(plan("2999-12", Some("2999-12-31"))),
            ["period", "issue_date"]
        );
    }

    #[test]
    fn the_issue_date_stays_within_45_days_of_the_billed_month() {
        assert!(plan("2026-01", Some("2026-03-17")).is_ok());
        assert_eq!(fields(plan("2026-01", Some("2026-03-18"))), ["issue_date"]);
        assert_eq!(fields(plan("2025-12", None)), ["issue_date"]);
    }

    #[test]
    fn far_issue_dates_are_refused_whatever_the_period() {
        assert_eq!(
            fields(plan("2026-12", Some("9999-12-31"))),
            ["period", "issue_date"]
        );
        assert_eq!(fields(plan("2026-03", Some("0000-01-01"))), ["issue_date"]);
        assert_eq!(fields(plan("2026-03", Some("1999-12-31"))), ["issue_date"]);
    }
}
