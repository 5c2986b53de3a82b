//! Retention: what the database may forget, and the purge that forgets it (decision 0167).
//!
//! Only working data is purged: expired landing drafts, rate-limit windows that can no longer
//! count, idempotency records past `idempotency_retention_hours`, and events and finished
//! webhook deliveries past `event_retention_days`. Legal records
//! (invoices, credit notes, payments, audit) have no purge kind, so no code path can delete
//! them.

use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use crate::clock::Clock;
use crate::error::Result;
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tx::{transaction, TransactionRunner};

/// Rows deleted per transaction: short transactions, short locks, bounded WAL per commit.
pub const BATCH_SIZE: i64 = 1000;
/// Rate-limit windows are kept this long after they start; the longest window is an hour.
pub const RATE_LIMIT_KEEP: Duration = Duration::days(1);
/// The floor of `idempotency_retention_hours`: a client retrying within a day always gets
/// its stored answer back.
pub const MIN_IDEMPOTENCY_RETENTION_HOURS: i64 = 24;
/// The floor of `event_retention_days`: feed consumers and webhook replays get a month.
pub const MIN_EVENT_RETENTION_DAYS: i64 = 30;

/// The kinds of working data the purge removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeKind {
    /// Landing drafts whose `expires_at` has passed (they already answer 404).
    ExpiredDrafts,
    /// Rate-limit counters of windows started before the cut-off.
    RateLimitWindows,
    /// Stored answers of idempotent writes created before the cut-off.
    IdempotencyRecords,
    /// Published events (issue #16) that occurred before the cut-off.
    Events,
    /// Webhook deliveries that ended (delivered, or failed after their last retry) before
    /// the events' cut-off, with their attempts (decision 0387). Pending ones are kept.
    WebhookDeliveries,
}

impl PurgeKind {
    /// Every kind, in the order a run purges them.
    pub const ALL: [PurgeKind; 5] = [
        PurgeKind::ExpiredDrafts,
        PurgeKind::RateLimitWindows,
        PurgeKind::IdempotencyRecords,
        PurgeKind::Events,
        PurgeKind::WebhookDeliveries,
    ];

    /// Label for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            PurgeKind::ExpiredDrafts => "drafts",
            PurgeKind::RateLimitWindows => "rate_limit_windows",
            PurgeKind::IdempotencyRecords => "idempotency_records",
            PurgeKind::Events => "events",
            PurgeKind::WebhookDeliveries => "webhook_deliveries",
        }
    }
}

/// Deletion of expired working data.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait RetentionRepository {
    /// Deletes at most `limit` rows of `kind` older than `cutoff` and returns how many went.
    /// Rows locked by another transaction (a concurrent purge, a request using them) are
    /// skipped, so purges running at once on several instances never wait on each other nor
    /// delete the same row.
    fn purge_batch(&mut self, kind: PurgeKind, cutoff: OffsetDateTime, limit: i64) -> Result<u64>;
}

/// Rows removed by one purge run, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Expired landing drafts.
    pub drafts: u64,
    /// Rate-limit windows.
    pub rate_limit_windows: u64,
    /// Idempotency records.
    pub idempotency_records: u64,
    /// Events.
    pub events: u64,
    /// Finished webhook deliveries.
    pub webhook_deliveries: u64,
}

impl PurgeReport {
    /// The count of one kind.
    pub fn removed(&self, kind: PurgeKind) -> u64 {
        match kind {
            PurgeKind::ExpiredDrafts => self.drafts,
            PurgeKind::RateLimitWindows => self.rate_limit_windows,
            PurgeKind::IdempotencyRecords => self.idempotency_records,
            PurgeKind::Events => self.events,
            PurgeKind::WebhookDeliveries => self.webhook_deliveries,
        }
    }

    fn add(&mut self, kind: PurgeKind, n: u64) {
        match kind {
            PurgeKind::ExpiredDrafts => self.drafts += n,
            PurgeKind::RateLimitWindows => self.rate_limit_windows += n,
            PurgeKind::IdempotencyRecords => self.idempotency_records += n,
            PurgeKind::Events => self.events += n,
            PurgeKind::WebhookDeliveries => self.webhook_deliveries += n,
        }
    }
}

/// The purge use case.
#[derive(Clone)]
pub struct RetentionService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    settings: Arc<Settings>,
}

impl RetentionService {
    /// Builds the service over the ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            settings: ports.settings.clone(),
        }
    }

    /// The cut-off of `kind` as seen at `now`: rows older than it may go.
    pub fn cutoff(&self, kind: PurgeKind, now: OffsetDateTime) -> OffsetDateTime {
        match kind {
            PurgeKind::ExpiredDrafts => now,
            PurgeKind::RateLimitWindows => now - RATE_LIMIT_KEEP,
            PurgeKind::IdempotencyRecords => {
                let hours = self
                    .settings
                    .idempotency_retention_hours
                    .max(MIN_IDEMPOTENCY_RETENTION_HOURS);
                now - Duration::hours(hours)
            }
            // A delivery is kept as long as its event: replaying it needs both.
            PurgeKind::Events | PurgeKind::WebhookDeliveries => {
                let days = self
                    .settings
                    .event_retention_days
                    .max(MIN_EVENT_RETENTION_DAYS);
                now - Duration::days(days)
            }
        }
    }

    /// Purges every kind in batches of [`BATCH_SIZE`], one transaction per batch, until a
    /// batch comes back short. The cut-offs are fixed at the start, so a run ends even while
    /// new rows expire. A failed batch stops the run; the batches before it stay committed
    /// and the next run carries on.
    pub fn purge(&self) -> Result<PurgeReport> {
        let now = self.clock.now();
        let mut report = PurgeReport::default();
        for kind in PurgeKind::ALL {
            let cutoff = self.cutoff(kind, now);
            loop {
                let removed = transaction(self.tx.as_ref(), |uow| {
                    uow.retention().purge_batch(kind, cutoff, BATCH_SIZE)
                })?;
                report.add(kind, removed);
                if removed < u64::try_from(BATCH_SIZE).unwrap_or(u64::MAX) {
                    break;
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use std::sync::Mutex;

    use mockall::predicate::{always, eq};
    use time::macros::datetime;

    use super::*;
    use crate::clock::MockClock;
    use crate::testing::{ports, MockTransactions, MockUnitOfWork};

    const NOW: OffsetDateTime = datetime!(2026-06-10 03:00 UTC);

    fn service(uow: MockUnitOfWork, hours: i64) -> (RetentionService, Arc<MockTransactions>) {
        let tx = MockTransactions::new(uow);
        let mut clock = MockClock::new();
        clock.expect_now().return_const(NOW);
        let mut ports = ports(tx.clone(), clock);
        ports.settings = Arc::new(Settings {
            idempotency_retention_hours: hours,
            ..Settings::default()
        });
        (RetentionService::new(&ports), tx)
    }

    #[test]
    fn each_kind_is_purged_up_to_its_own_cutoff() {
        let mut uow = MockUnitOfWork::default();
        uow.retention
            .expect_purge_batch()
            .with(eq(PurgeKind::ExpiredDrafts), eq(NOW), eq(BATCH_SIZE))
            .times(1)
            .returning(|_, _, _| Ok(3));
        uow.retention
            .expect_purge_batch()
            .with(
                eq(PurgeKind::RateLimitWindows),
                eq(datetime!(2026-06-09 03:00 UTC)),
                eq(BATCH_SIZE),
            )
            .times(1)
            .returning(|_, _, _| Ok(2));
        uow.retention
            .expect_purge_batch()
            .with(
                eq(PurgeKind::IdempotencyRecords),
                eq(datetime!(2026-06-03 03:00 UTC)),
                eq(BATCH_SIZE),
            )
            .times(1)
            .returning(|_, _, _| Ok(1));
        uow.retention
            .expect_purge_batch()
            .with(
                eq(PurgeKind::Events),
                eq(datetime!(2026-05-11 03:00 UTC)),
                eq(BATCH_SIZE),
            )
            .times(1)
            .returning(|_, _, _| Ok(4));
        uow.retention
            .expect_purge_batch()
            .with(
                eq(PurgeKind::WebhookDeliveries),
                eq(datetime!(2026-05-11 03:00 UTC)),
                eq(BATCH_SIZE),
            )
            .times(1)
            .returning(|_, _, _| Ok(5));
        let (service, tx) = service(uow, 168);
        let report = service.purge().expect("purge");
        assert_eq!(
            report,
            PurgeReport {
                drafts: 3,
                rate_limit_windows: 2,
                idempotency_records: 1,
                events: 4,
                webhook_deliveries: 5,
            }
        );
        assert_eq!(tx.commit_count(), 5, "one transaction per batch");
    }

    #[test]
    fn full_batches_are_followed_by_another_until_one_comes_back_short() {
        let mut uow = MockUnitOfWork::default();
        let drafts = Mutex::new(vec![7, BATCH_SIZE as u64, BATCH_SIZE as u64]);
        uow.retention
            .expect_purge_batch()
            .with(eq(PurgeKind::ExpiredDrafts), always(), always())
            .times(3)
            .returning(move |_, _, _| Ok(drafts.lock().expect("lock").pop().unwrap_or(0)));
        uow.retention
            .expect_purge_batch()
            .returning(|_, _, _| Ok(0));
        let (service, tx) = service(uow, 168);
        assert_eq!(
            service.purge().expect("purge").drafts,
            2 * BATCH_SIZE as u64 + 7
        );
        assert_eq!(tx.commit_count(), 7);
    }

    #[test]
    fn idempotency_retention_never_drops_below_a_day() {
        let (service, _) = service(MockUnitOfWork::default(), 1);
        assert_eq!(
            service.cutoff(PurgeKind::IdempotencyRecords, NOW),
            datetime!(2026-06-09 03:00 UTC)
        );
    }

    #[test]
    fn events_are_kept_at_least_thirty_days_whatever_the_setting() {
        let (service, _) = service(MockUnitOfWork::default(), 168);
        let with_days = |days: i64| RetentionService {
            settings: Arc::new(Settings {
                event_retention_days: days,
                ..Settings::default()
            }),
            ..service.clone()
        };
        assert_eq!(
            with_days(7).cutoff(PurgeKind::Events, NOW),
            datetime!(2026-05-11 03:00 UTC)
        );
        assert_eq!(
            with_days(90).cutoff(PurgeKind::Events, NOW),
            datetime!(2026-03-12 03:00 UTC)
        );
    }

    #[test]
    fn a_failed_batch_stops_the_run_and_rolls_back_only_itself() {
        let mut uow = MockUnitOfWork::default();
        uow.retention
            .expect_purge_batch()
            .with(eq(PurgeKind::ExpiredDrafts), always(), always())
            .times(1)
            .returning(|_, _, _| Err(crate::Error::Unavailable("gone".into())));
        let (service, tx) = service(uow, 168);
        assert!(service.purge().is_err());
        assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
    }
}
