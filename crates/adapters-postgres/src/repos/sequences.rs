//! `SequenceRepository` on PostgreSQL: an upsert that locks the sequence row until commit, so
//! numbers are gapless and never duplicated.

use diesel::prelude::*;
use diesel::sql_types::{Int4, Int8, Text};
use domain::error::Result;
use domain::numbering::SequenceRepository;

use crate::errors::storage;
use crate::rows::scalar::LastValue;
use crate::tx::PgTx;

impl SequenceRepository for PgTx<'_> {
    fn reserve(&mut self, name: &str, year: i32, count: i64) -> Result<i64> {
        let row: LastValue = diesel::sql_query(
            "INSERT INTO number_sequences (name, year, last_value) VALUES ($1, $2, $3) \
             ON CONFLICT (name, year) DO UPDATE \
             SET last_value = number_sequences.last_value + EXCLUDED.last_value \
             RETURNING last_value",
        )
        .bind::<Text, _>(name)
        .bind::<Int4, _>(year)
        .bind::<Int8, _>(count)
        .get_result(self.conn)
        .map_err(storage)?;
        Ok(row.last_value - count + 1)
    }
}
