//! The in-process dunning schedule: once shortly after start, then once a day. Safe with any
//! number of server instances, because every dunning step is enforced in the database (one
//! live case per client, each ladder step once per case, row locks on cases and contracts).

use std::time::Duration;

use domain::collections::DunningService;
use tokio::task::JoinHandle;

/// Delay before the first run, so start-up finishes first.
pub const FIRST_RUN_DELAY: Duration = Duration::from_secs(30);
/// Time between runs.
pub const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// Starts the schedule on the current runtime: a first run after `first_delay`, then one
/// every `period`. Abort the handle to stop it.
pub fn spawn(dunning: DunningService, first_delay: Duration, period: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(first_delay).await;
        let mut ticker = tokio::time::interval(period);
        // A run that overruns must not be followed by a burst of catch-up runs.
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            run_once(dunning.clone()).await;
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
