//! Figures of the long-running use cases for the operator's metrics (decision 0160).
//!
//! Through the `metrics` facade, like `log` for logs: without an installed recorder (unit
//! tests, tools) every call is a no-op, and the domain stays free of any exporter or I/O.
//! Durations are measured with the monotonic clock: they are not business dates, which go
//! through the `Clock` port.

use std::time::Duration;

use time::OffsetDateTime;

/// Counter: invoices written by billing runs (committed batches only).
pub const INVOICES_ISSUED: &str = "mtf_invoices_issued_total";
/// Histogram (seconds): billing of a run, by `outcome` (`ok`, `failed`).
pub const BILLING_RUN_DURATION: &str = "mtf_billing_run_duration_seconds";
/// Histogram (seconds): a dunning run, by `outcome` (`ok`, `failed`).
pub const DUNNING_RUN_DURATION: &str = "mtf_dunning_run_duration_seconds";
/// Counter: steps taken by dunning runs, by `step` (`case_opened`, `action_recorded`,
/// `contract_suspended`, `case_resolved`, `contract_reactivated`).
pub const DUNNING_STEPS: &str = "mtf_dunning_steps_total";
/// Gauge (Unix seconds): end of the last successful dunning run (alert when it is too old).
pub const DUNNING_LAST_SUCCESS: &str = "mtf_dunning_last_success_timestamp_seconds";

/// A committed batch of `count` invoices.
pub fn invoices_issued(count: i64) {
    metrics::counter!(INVOICES_ISSUED).increment(u64::try_from(count).unwrap_or(0));
}

/// A billing run's work took `elapsed`.
pub fn billing_run(elapsed: Duration, succeeded: bool) {
    metrics::histogram!(BILLING_RUN_DURATION, "outcome" => outcome(succeeded))
        .record(elapsed.as_secs_f64());
}

/// Steps of one dunning run, in the order of [`DUNNING_STEPS`]'s labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DunningSteps {
    /// Cases opened.
    pub cases_opened: usize,
    /// Ladder steps recorded.
    pub actions_recorded: usize,
    /// Contracts suspended.
    pub contracts_suspended: usize,
    /// Cases resolved.
    pub cases_resolved: usize,
    /// Contracts reactivated.
    pub contracts_reactivated: usize,
}

/// A dunning run took `elapsed` and ended at `finished_at` (the `Clock`'s time); `steps` when
/// it succeeded.
pub fn dunning_run(elapsed: Duration, finished_at: OffsetDateTime, steps: Option<DunningSteps>) {
    metrics::histogram!(DUNNING_RUN_DURATION, "outcome" => outcome(steps.is_some()))
        .record(elapsed.as_secs_f64());
    let Some(steps) = steps else { return };
    for (step, count) in [
        ("case_opened", steps.cases_opened),
        ("action_recorded", steps.actions_recorded),
        ("contract_suspended", steps.contracts_suspended),
        ("case_resolved", steps.cases_resolved),
        ("contract_reactivated", steps.contracts_reactivated),
    ] {
        metrics::counter!(DUNNING_STEPS, "step" => step)
            .increment(u64::try_from(count).unwrap_or(u64::MAX));
    }
    // Whole seconds are exact in an f64 for the next hundred million years.
    #[allow(clippy::cast_precision_loss)]
    metrics::gauge!(DUNNING_LAST_SUCCESS).set(finished_at.unix_timestamp() as f64);
}

fn outcome(succeeded: bool) -> &'static str {
    if succeeded {
        "ok"
    } else {
        "failed"
    }
}
