//! The in-process daily schedule. Dunning runs each day when the local time in Morocco reads
//! `MTF_DUNNING_AT`, and once at start when the last completed run is more than a day old
//! (decision 0195). The purge of expired working data runs shortly after start, then every
//! 24 h. Safe with any number of server instances: every dunning step is enforced in the
//! database (one live case per client, each ladder step once per case, row locks on cases
//! and contracts; decision 0043), and the purge deletes in `SKIP LOCKED` batches (decision
//! 0167).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use domain::clock::Clock;
use domain::collections::schedule::DailyAt;
use domain::collections::DunningService;
use domain::retention::{PurgeKind, PurgeReport, RetentionService};
use time::OffsetDateTime;
use tokio::task::JoinHandle;

/// Delay before the first run, so start-up finishes first.
pub const FIRST_RUN_DELAY: Duration = Duration::from_secs(30);
/// Time between runs.
pub const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// Longest single sleep while waiting for the next run: the wait is re-read from the clock
/// after each, so a clock that was set meanwhile delays the run by at most this.
pub const WAIT_SLICE: Duration = Duration::from_secs(5 * 60);
/// Pause before asking again when the next run time cannot be computed (database down).
pub const RETRY_AFTER: Duration = Duration::from_secs(60);

/// Starts the dunning schedule on the current runtime: after `first_delay`, a catch-up run if
/// the last completed one is more than a day old, then a run each day at `at`, local time in
/// Morocco. Abort the handle to stop it.
pub fn spawn(
    dunning: DunningService,
    clock: Arc<dyn Clock>,
    at: DailyAt,
    first_delay: Duration,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(first_delay).await;
        catch_up(dunning.clone()).await;
        loop {
            let service = dunning.clone();
            match tokio::task::spawn_blocking(move || service.next_scheduled_run(at)).await {
                Ok(Ok(next)) => {
                    tracing::info!(next = %next, "next scheduled dunning run");
                    wait_until(clock.as_ref(), next).await;
                    run_once(dunning.clone()).await;
                }
                Ok(Err(error)) => {
                    tracing::error!(%error, "the next dunning run time could not be computed");
                    tokio::time::sleep(RETRY_AFTER).await;
                }
                Err(error) => {
                    tracing::error!(%error, "the next dunning run time task failed");
                    tokio::time::sleep(RETRY_AFTER).await;
                }
            }
        }
    })
}

/// Runs dunning now when the last completed run is more than a day old (or there was none):
/// a server that was down at the scheduled time catches up at start. Whether it ran.
pub async fn catch_up(dunning: DunningService) -> bool {
    let service = dunning.clone();
    match tokio::task::spawn_blocking(move || service.catch_up_due()).await {
        Ok(Ok(true)) => {
            tracing::info!("last dunning run more than a day ago: catching up");
            run_once(dunning).await;
            true
        }
        Ok(Ok(false)) => false,
        Ok(Err(error)) => {
            tracing::error!(%error, "could not read the last dunning run");
            false
        }
        Err(error) => {
            tracing::error!(%error, "the dunning catch-up check failed");
            false
        }
    }
}

/// Sleeps until `clock` reads `target` or later, in slices of at most [`WAIT_SLICE`].
async fn wait_until(clock: &dyn Clock, target: OffsetDateTime) {
    loop {
        let left = target - clock.now();
        if !left.is_positive() {
            return;
        }
        let left = Duration::try_from(left).unwrap_or(WAIT_SLICE);
        tokio::time::sleep(left.min(WAIT_SLICE)).await;
    }
}

/// Starts the purge schedule, like [`spawn`].
pub fn spawn_purge(
    retention: RetentionService,
    first_delay: Duration,
    period: Duration,
) -> JoinHandle<()> {
    every(first_delay, period, move || purge_once(retention.clone()))
}

fn every<F, Fut>(first_delay: Duration, period: Duration, mut job: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        tokio::time::sleep(first_delay).await;
        let mut ticker = tokio::time::interval(period);
        // A run that overruns must not be followed by a burst of catch-up runs.
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            job().await;
        }
    })
}

/// One dunning run for today, off the async executor; the outcome is logged.
pub async fn run_once(dunning: DunningService) {
    match tokio::task::spawn_blocking(move || dunning.run(None)).await {
        Ok(Ok(report)) => tracing::info!(
            as_of = %report.as_of,
            cases_opened = report.cases_opened,
            actions_recorded = report.actions_recorded,
            contracts_suspended = report.contracts_suspended,
            cases_resolved = report.cases_resolved,
            contracts_reactivated = report.contracts_reactivated,
            "scheduled dunning run finished"
        ),
        Ok(Err(error)) => tracing::error!(%error, "scheduled dunning run failed"),
        Err(error) => tracing::error!(%error, "scheduled dunning run panicked or was cancelled"),
    }
}

/// One purge, off the async executor; the counts are logged and added to
/// `mtf_purged_rows_total{kind}`.
pub async fn purge_once(retention: RetentionService) {
    match tokio::task::spawn_blocking(move || retention.purge()).await {
        Ok(Ok(report)) => record_purge(&report),
        Ok(Err(error)) => tracing::error!(%error, "scheduled purge failed"),
        Err(error) => tracing::error!(%error, "scheduled purge panicked or was cancelled"),
    }
}

/// Logs a purge's counts and adds them to the metrics.
pub fn record_purge(report: &PurgeReport) {
    for kind in PurgeKind::ALL {
        metrics::counter!("mtf_purged_rows_total", "kind" => kind.as_str())
            .increment(report.removed(kind));
    }
    tracing::info!(
        drafts = report.drafts,
        rate_limit_windows = report.rate_limit_windows,
        idempotency_records = report.idempotency_records,
        events = report.events,
        webhook_deliveries = report.webhook_deliveries,
        "scheduled purge finished"
    );
}
