//! The in-process daily schedule: dunning, and the purge of expired working data. Each runs
//! once shortly after start, then once a day. Safe with any number of server instances:
//! every dunning step is enforced in the database (one live case per client, each ladder step
//! once per case, row locks on cases and contracts), and the purge deletes in `SKIP LOCKED`
//! batches (decision 0167).

use std::future::Future;
use std::time::Duration;

use domain::collections::DunningService;
use domain::retention::{PurgeKind, PurgeReport, RetentionService};
use tokio::task::JoinHandle;

/// Delay before the first run, so start-up finishes first.
pub const FIRST_RUN_DELAY: Duration = Duration::from_secs(30);
/// Time between runs.
pub const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// Starts the dunning schedule on the current runtime: a first run after `first_delay`, then
/// one every `period`. Abort the handle to stop it.
pub fn spawn(dunning: DunningService, first_delay: Duration, period: Duration) -> JoinHandle<()> {
    every(first_delay, period, move || run_once(dunning.clone()))
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
        "scheduled purge finished"
    );
}
