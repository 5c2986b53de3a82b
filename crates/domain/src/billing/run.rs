//! A billing run: one execution of monthly billing.

use time::{Date, OffsetDateTime};

/// Progress of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingRunStatus {
    /// Batches still being written.
    Running,
    /// Every billable contract was processed.
    Completed,
    /// Stopped on an error; running the period again resumes.
    Failed,
}

impl BillingRunStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingRunStatus::Running => "running",
            BillingRunStatus::Completed => "completed",
            BillingRunStatus::Failed => "failed",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<BillingRunStatus, String> {
        match value {
            "running" => Ok(BillingRunStatus::Running),
            "completed" => Ok(BillingRunStatus::Completed),
            "failed" => Ok(BillingRunStatus::Failed),
            other => Err(format!("unknown run status `{other}`")),
        }
    }
}

/// A billing run and its totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingRun {
    /// `run_…`.
    pub id: String,
    /// `YYYY-MM`.
    pub period: String,
    /// Issue date of its invoices.
    pub issue_date: Date,
    /// Due date of its invoices.
    pub due_date: Date,
    /// Progress.
    pub status: BillingRunStatus,
    /// Computed only, nothing written.
    pub dry_run: bool,
    /// Invoices issued by this run.
    pub invoice_count: i64,
    /// Billable contracts skipped (already invoiced for the period).
    pub skipped_count: i64,
    /// Sum excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Sum of tax, centimes.
    pub total_tax: i64,
    /// Sum incl. tax, centimes.
    pub total_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Who started it.
    pub actor_id: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}
