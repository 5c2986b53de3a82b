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
/// invoices, credit notes, payments or audit, which are never purged.
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
