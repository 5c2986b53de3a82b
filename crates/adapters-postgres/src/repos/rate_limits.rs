//! `RateLimitRepository` on PostgreSQL: one counter row per bucket and window.

use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamptz};
use domain::error::Result;
use domain::rate_limit::RateLimitRepository;
use time::OffsetDateTime;

use crate::errors::storage;
use crate::rows::scalar::Hits;
use crate::tx::PgTx;

impl RateLimitRepository for PgTx<'_> {
    fn hit(&mut self, bucket: &str, window_start: OffsetDateTime) -> Result<i64> {
        let row: Hits = diesel::sql_query(
            "INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket, window_start) \
             DO UPDATE SET hits = rate_limit_windows.hits + 1 RETURNING hits",
        )
        .bind::<Text, _>(bucket)
        .bind::<Timestamptz, _>(window_start)
        .get_result(self.conn)
        .map_err(storage)?;
        Ok(i64::from(row.hits))
    }
}
