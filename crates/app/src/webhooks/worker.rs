//! The in-process delivery worker, on every server instance: a dispatcher that follows the
//! events feed and makes deliveries, and a sender that claims due deliveries (`SKIP
//! LOCKED`), posts them concurrently and records each outcome. A process that dies between
//! the post and the record leaves the claim's lease to expire: the delivery is claimed and
//! sent again (at least once, decision 0273).

use std::time::Duration;

use domain::webhooks::{DueDelivery, WebhookService};
use futures_util::future::join_all;
use tokio::task::JoinHandle;

use super::sender::{self, SenderSettings};

/// How the worker runs.
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// Deliveries claimed per round, all sent concurrently (`MTF_WEBHOOK_BATCH`, default 64).
    pub batch: usize,
    /// Pause when there is nothing to do (`MTF_WEBHOOK_POLL_MS`, default 250).
    pub poll: Duration,
    /// Events read per dispatcher transaction.
    pub dispatch_batch: usize,
    /// The sender's settings.
    pub sender: SenderSettings,
}

/// Starts the dispatcher and the sender on the current actix runtime. Abort the handles to
/// stop them.
pub fn spawn(service: WebhookService, settings: WorkerSettings) -> Vec<JoinHandle<()>> {
    let dispatcher = {
        let service = service.clone();
        actix_web::rt::spawn(async move {
            loop {
                if dispatch_round(&service, settings.dispatch_batch).await == 0 {
                    tokio::time::sleep(settings.poll).await;
                }
            }
        })
    };
    let sender = actix_web::rt::spawn(async move {
        let client = sender::client(&settings.sender);
        loop {
            if send_round(&service, &client, &settings).await == 0 {
                tokio::time::sleep(settings.poll).await;
            }
        }
    });
    vec![dispatcher, sender]
}

/// One dispatcher transaction; the number of events read (0 on error, logged).
pub async fn dispatch_round(service: &WebhookService, limit: usize) -> usize {
    let service = service.clone();
    match tokio::task::spawn_blocking(move || service.dispatch(limit)).await {
        Ok(Ok(n)) => n,
        Ok(Err(error)) => {
            tracing::error!(%error, "webhook dispatch failed");
            0
        }
        Err(error) => {
            tracing::error!(%error, "webhook dispatch task failed");
            0
        }
    }
}

/// Claims due deliveries, sends them concurrently, records each; the number claimed.
pub async fn send_round(
    service: &WebhookService,
    client: &awc::Client,
    settings: &WorkerSettings,
) -> usize {
    let claiming = service.clone();
    let batch = settings.batch;
    let due = match tokio::task::spawn_blocking(move || claiming.claim_due(batch)).await {
        Ok(Ok(due)) => due,
        Ok(Err(error)) => {
            tracing::error!(%error, "webhook claim failed");
            return 0;
        }
        Err(error) => {
            tracing::error!(%error, "webhook claim task failed");
            return 0;
        }
    };
    let claimed = due.len();
    join_all(
        due.into_iter()
            .map(|delivery| deliver(service, client, &settings.sender, delivery)),
    )
    .await;
    claimed
}

async fn deliver(
    service: &WebhookService,
    client: &awc::Client,
    settings: &SenderSettings,
    delivery: DueDelivery,
) {
    let attempted_at = service.clock().now();
    let outcome = sender::send(client, settings, &delivery, attempted_at.unix_timestamp()).await;
    let service = service.clone();
    let recorded =
        tokio::task::spawn_blocking(move || service.record(&delivery, attempted_at, &outcome))
            .await;
    match recorded {
        Ok(Ok(_)) => {}
        // The lease expires and the delivery is sent again: at least once.
        Ok(Err(error)) => tracing::error!(%error, "webhook attempt could not be recorded"),
        Err(error) => tracing::error!(%error, "webhook record task failed"),
    }
}
