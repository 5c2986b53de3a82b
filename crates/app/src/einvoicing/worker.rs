//! The in-process clearance worker, on every instance that has not turned it off: claims
//! due documents (`SKIP LOCKED`, with a lease), submits them and records the verdicts;
//! sleeps when nothing is due. Unavailability backs off per document (decision 0312).

use std::time::Duration;

use domain::einvoicing::ClearanceWorker;
use tokio::task::JoinHandle;

/// Starts the worker on the current actix runtime. Abort the handle to stop it.
pub fn spawn(worker: ClearanceWorker, poll: Duration) -> JoinHandle<()> {
    actix_web::rt::spawn(async move {
        loop {
            if round(&worker).await == 0 {
                tokio::time::sleep(poll).await;
            }
        }
    })
}

/// One round on the blocking pool; the number of documents claimed (0 on error, logged).
pub async fn round(worker: &ClearanceWorker) -> usize {
    let worker = worker.clone();
    match tokio::task::spawn_blocking(move || worker.run_round()).await {
        Ok(Ok(claimed)) => claimed,
        Ok(Err(error)) => {
            tracing::error!(%error, "clearance round failed");
            0
        }
        Err(error) => {
            tracing::error!(%error, "clearance task failed");
            0
        }
    }
}
