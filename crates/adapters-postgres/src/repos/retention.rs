//! `RetentionRepository` on PostgreSQL: batched deletes of expired working data.
//!
//! Each batch picks its rows with `FOR UPDATE SKIP LOCKED`, so two purges running at once
//! (one per instance) take disjoint rows and never wait for each other, and a row a request
//! holds locked (a draft being submitted) is left for the next run.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use domain::error::Result;
use domain::retention::{PurgeKind, RetentionRepository};
use time::OffsetDateTime;

use crate::errors::storage;
use crate::tx::PgTx;

/// One statement per kind: the table, its key and its age column. There is no statement for
/// invoices, credit notes, payments or audit, which are never purged. Purging old events
/// never disturbs the feed: it only removes the oldest, which every cursor kept within the
/// retention period is already past.
fn statement(kind: PurgeKind) -> &'static str {
    match kind {
        PurgeKind::ExpiredDrafts => {
            "DELETE FROM drafts WHERE id IN (SELECT id FROM drafts WHERE expires_at <= $1 \
             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
        }
        PurgeKind::RateLimitWindows => {
            "DELETE FROM rate_limit_windows WHERE (bucket, window_start) IN \
             (SELECT bucket, window_start FROM rate_limit_windows WHERE window_start < $1 \
             ORDER BY window_start LIMIT $2 FOR UPDATE SKIP LOCKED)"
        }
        PurgeKind::IdempotencyRecords => {
            "DELETE FROM idempotency_records WHERE (scope, idempotency_key) IN \
             (SELECT scope, idempotency_key FROM idempotency_records WHERE created_at < $1 \
             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
        }
        PurgeKind::Events => {
            "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE occurred_at < $1 \
             ORDER BY occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
        }
        // Attempts go with their delivery (ON DELETE CASCADE); a pending delivery, due or in
        // flight, is never picked.
        PurgeKind::WebhookDeliveries => {
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries \
             WHERE status IN ('succeeded', 'failed') AND updated_at < $1 \
             ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
        }
    }
}

impl RetentionRepository for PgTx<'_> {
    fn purge_batch(&mut self, kind: PurgeKind, cutoff: OffsetDateTime, limit: i64) -> Result<u64> {
        let removed = diesel::sql_query(statement(kind))
            .bind::<Timestamptz, _>(cutoff)
            .bind::<BigInt, _>(limit)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(u64::try_from(removed).unwrap_or(0))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use diesel::connection::SimpleConnection;
    use time::macros::datetime;

    use super::*;
    use crate::rows::scalar::TextValue;
    use crate::testing::fresh_database;

    const NOW: OffsetDateTime = datetime!(2026-06-10 03:00 UTC);

    const SEED: &str = "
        INSERT INTO drafts (id, payload, status, expires_at, created_at, updated_at) VALUES
          ('drf_old1', '{}', 'open', '2026-06-01', '2026-05-01', '2026-05-01'),
          ('drf_old2', '{}', 'submitted', '2026-06-10 03:00+00', '2026-05-01', '2026-05-01'),
          ('drf_held', '{}', 'open', '2026-06-01', '2026-05-01', '2026-05-01'),
          ('drf_live', '{}', 'open', '2026-06-10 03:00:01+00', '2026-05-01', '2026-05-01');
        INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES
          ('a', '2026-06-01', 3), ('a', '2026-06-09 02:59+00', 1), ('a', '2026-06-10', 1);
        INSERT INTO idempotency_records (scope, idempotency_key, request_hash, response_status,
            response_body, created_at) VALUES
          ('s', 'old', 'h', 201, '\\x7b7d', '2026-06-01'),
          ('s', 'new', 'h', 201, '\\x7b7d', '2026-06-09 12:00+00');";

    fn purge(conn: &mut PgConnection, kind: PurgeKind, cutoff: OffsetDateTime, limit: i64) -> u64 {
        PgTx::new(conn)
            .purge_batch(kind, cutoff, limit)
            .expect("purge")
    }

    /// The one text column of `query`, named `value`.
    fn ids(conn: &mut PgConnection, query: &str) -> Vec<String> {
        diesel::sql_query(query)
            .load::<TextValue>(conn)
            .expect("read")
            .into_iter()
            .map(|row| row.value)
            .collect()
    }

    #[test]
    fn each_kind_deletes_only_rows_past_its_cutoff_and_at_most_the_limit() {
        let db = fresh_database();
        let mut conn = db.connect();
        conn.batch_execute(SEED).expect("seed");
        assert_eq!(purge(&mut conn, PurgeKind::ExpiredDrafts, NOW, 2), 2);
        assert_eq!(purge(&mut conn, PurgeKind::ExpiredDrafts, NOW, 2), 1);
        assert_eq!(
            ids(&mut conn, "SELECT id AS value FROM drafts ORDER BY id"),
            ["drf_live"]
        );
        let day_ago = datetime!(2026-06-09 03:00 UTC);
        assert_eq!(
            purge(&mut conn, PurgeKind::RateLimitWindows, day_ago, 10),
            2
        );
        assert_eq!(
            purge(&mut conn, PurgeKind::IdempotencyRecords, day_ago, 10),
            1
        );
        assert_eq!(
            ids(
                &mut conn,
                "SELECT idempotency_key AS value FROM idempotency_records"
            ),
            ["new"]
        );
    }

    #[test]
    fn finished_webhook_deliveries_go_with_their_attempts_and_pending_ones_stay() {
        let db = fresh_database();
        let mut conn = db.connect();
        conn.batch_execute(
            "INSERT INTO webhook_endpoints (id, url, event_types, secret_sealed, created_at, \
                 updated_at) VALUES ('whe_1', 'https://h.example/', '{*}', '\\x00', \
                 '2026-04-01', '2026-04-01');
             INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, \
                 status, created_at, updated_at) VALUES
               ('whd_ok', 'whe_1', 'evt_1', 't', '{}', 'succeeded', '2026-04-01', '2026-04-02'),
               ('whd_failed', 'whe_1', 'evt_2', 't', '{}', 'failed', '2026-04-01', '2026-04-05'),
               ('whd_pending', 'whe_1', 'evt_3', 't', '{}', 'pending', '2026-04-01', '2026-04-01'),
               ('whd_recent', 'whe_1', 'evt_4', 't', '{}', 'succeeded', '2026-06-01', '2026-06-01');
             INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, \
                 latency_ms) VALUES
               ('whd_ok', 1, '2026-04-02', 200, 12), ('whd_failed', 1, '2026-04-05', 500, 9),
               ('whd_pending', 1, '2026-04-01', 503, 7);",
        )
        .expect("seed");
        let cutoff = datetime!(2026-05-11 03:00 UTC);
        assert_eq!(purge(&mut conn, PurgeKind::WebhookDeliveries, cutoff, 1), 1);
        assert_eq!(
            purge(&mut conn, PurgeKind::WebhookDeliveries, cutoff, 10),
            1
        );
        assert_eq!(
            ids(
                &mut conn,
                "SELECT id AS value FROM webhook_deliveries ORDER BY id"
            ),
            ["whd_pending", "whd_recent"]
        );
        assert_eq!(
            ids(
                &mut conn,
                "SELECT delivery_id AS value FROM webhook_attempts"
            ),
            ["whd_pending"]
        );
    }

    #[test]
    fn rows_locked_by_another_transaction_are_skipped_without_waiting() {
        let db = fresh_database();
        let mut conn = db.connect();
        conn.batch_execute(SEED).expect("seed");
        let mut holder = db.connect();
        holder
            .batch_execute("BEGIN; SELECT 1 FROM drafts WHERE id = 'drf_held' FOR UPDATE;")
            .expect("hold a draft");
        // Without SKIP LOCKED the purge would wait for the holder; the time-out turns that
        // wait into a failure instead of a hang.
        conn.batch_execute("SET lock_timeout = '2s'")
            .expect("time-out");
        assert_eq!(purge(&mut conn, PurgeKind::ExpiredDrafts, NOW, 10), 2);
        holder.batch_execute("COMMIT").expect("release");
        assert_eq!(purge(&mut conn, PurgeKind::ExpiredDrafts, NOW, 10), 1);
    }
}
