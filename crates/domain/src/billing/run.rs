//! A billing run: one execution of monthly billing.

use time::{Date, OffsetDateTime};

use super::Period;
use crate::money::Money;
use crate::typed_ids::BillingRunId;

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
    pub id: BillingRunId,
    /// Month billed (`YYYY-MM` on the wire).
    pub period: Period,
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
    /// Sum excl. tax.
    pub total_excl_tax: Money,
    /// Sum of tax.
    pub total_tax: Money,
    /// Sum incl. tax.
    pub total_incl_tax: Money,
    /// `MAD`.
    pub currency: String,
    /// Who started it.
    pub actor_id: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}
