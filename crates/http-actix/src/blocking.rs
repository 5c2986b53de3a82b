//! Runs blocking use cases (diesel) off the async executor, admitted in arrival order.
//!
//! Every request's database work goes through [`blocking`]. Without a limit, each waiting
//! request takes a thread of the blocking pool that then queues for a pooled connection, and
//! the connection pool hands a freed connection to whichever thread asks first, not to the
//! one that waited longest: under load a few requests wait many times longer than the rest
//! (decision 0095). With [`admit_at_most`], at most that many run at once and the others
//! wait, in order, in a fair async semaphore, holding no thread.

use std::future::Future;
use std::sync::OnceLock;

use actix_web::web;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::problem::ApiError;

/// First come, first served admission of at most a number of tasks at once.
#[derive(Debug)]
pub struct Gate {
    permits: Semaphore,
}

impl Gate {
    /// A gate letting `permits` (at least 1) tasks in at once.
    pub fn new(permits: usize) -> Self {
        Gate {
            permits: Semaphore::new(permits.max(1)),
        }
    }

    /// Waits for this task's turn (tokio's semaphore queues waiters in order), runs `task`,
    /// then lets the next one in.
    pub async fn run<T>(&self, task: impl Future<Output = T>) -> T {
        let waiting = Waiting::arrive();
        let _turn: Option<SemaphorePermit<'_>> = self.permits.acquire().await.ok();
        drop(waiting);
        task.await
    }
}

/// One request counted in the admission gauge while it waits; leaves it when dropped, also
/// when the client goes away and the waiting future is dropped.
struct Waiting;

impl Waiting {
    fn arrive() -> Self {
        metrics::gauge!(crate::metrics::ADMISSION_WAITING).increment(1.0);
        Waiting
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        metrics::gauge!(crate::metrics::ADMISSION_WAITING).decrement(1.0);
    }
}

/// The process-wide gate, like the connection pool it stands in front of.
static GATE: OnceLock<Gate> = OnceLock::new();

/// Lets at most `permits` (at least 1) blocking use cases run at once, first come first
/// served. Call once, before serving; later calls change nothing and return `false`.
pub fn admit_at_most(permits: usize) -> bool {
    GATE.set(Gate::new(permits)).is_ok()
}

/// Runs `work` on the blocking thread pool (through the gate, when there is one) and maps
/// its error.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> domain::Result<T> + Send + 'static,
{
    let outcome = match GATE.get() {
        Some(gate) => gate.run(web::block(work)).await,
        None => web::block(work).await,
    };
    match outcome {
        Ok(result) => result.map_err(ApiError::Domain),
        Err(error) => Err(ApiError::Internal(error.to_string())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::Gate;

    // One thread and a paused clock: each task reaches the gate before the next is spawned,
    // so the arrival order is known whatever the machine's load (on several threads a busy
    // machine could poll two arrivals out of order and fail the test, not the gate).
    #[tokio::test(start_paused = true)]
    async fn tasks_run_at_most_permits_at_once_and_in_arrival_order() {
        let gate = Arc::new(Gate::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for n in 0..8 {
            let (gate, running, most, started) =
                (gate.clone(), running.clone(), most.clone(), started.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(async {
                    started.lock().unwrap().push(n);
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await;
            }));
            // Arrivals a little apart, so that their order is known.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(*started.lock().unwrap(), (0..8).collect::<Vec<_>>());
    }
}
