//! The archive's in-process sealer, on every server instance: seals issued documents after
//! their issue, one series per transaction. A series another instance is sealing is skipped
//! (its head row is locked `SKIP LOCKED`), so instances never seal the same document twice
//! nor out of order (decision 0322).

use std::time::Duration;

use domain::archive::ArchiveService;
use tokio::task::JoinHandle;

/// How the sealer runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealerSettings {
    /// `MTF_ARCHIVE_SEALER` (`on`/`off`, default on).
    pub enabled: bool,
    /// Documents of a series sealed per transaction (`MTF_ARCHIVE_BATCH`, default 100).
    pub batch: usize,
    /// Pause when there is nothing to seal (`MTF_ARCHIVE_POLL_MS`, default 1000).
    pub poll: Duration,
}

impl Default for SealerSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            batch: 100,
            poll: Duration::from_millis(1_000),
        }
    }
}

/// Starts the sealer on the current actix runtime. Abort the handle to stop it.
pub fn spawn(service: ArchiveService, settings: SealerSettings) -> JoinHandle<()> {
    actix_web::rt::spawn(async move {
        loop {
            if seal_round(&service, settings.batch).await == 0 {
                tokio::time::sleep(settings.poll).await;
            }
        }
    })
}

/// One round over every series; the number of documents sealed (0 on error, logged: the
/// round is retried after the pause, and nothing of a failed transaction was kept).
pub async fn seal_round(service: &ArchiveService, batch: usize) -> usize {
    let service = service.clone();
    match tokio::task::spawn_blocking(move || service.seal(batch)).await {
        Ok(Ok(n)) => n,
        Ok(Err(error)) => {
            tracing::error!(%error, "archive sealing failed");
            0
        }
        Err(error) => {
            tracing::error!(%error, "archive sealing task failed");
            0
        }
    }
}
