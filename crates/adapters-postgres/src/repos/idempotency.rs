//! `IdempotencyRepository` on PostgreSQL: a transaction-scoped advisory lock per key, and the
//! stored response under the (scope, key) primary key.

use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::error::{Conflict, Error, Result};
use domain::idempotency::{Claim, IdempotencyRecord, IdempotencyRepository, StoredResponse};
use time::OffsetDateTime;

use crate::errors::{is_unique_violation, storage};
use crate::prepared::{constant_sql, keep_prepared};
use crate::rows::idempotency::ClaimRow;
use crate::rows::scalar::Locked;
use crate::schema::idempotency_records as rec;
use crate::tx::PgTx;

/// The key's lock and its stored record in one statement. The lock is taken once per
/// statement (the left join yields exactly one row).
const CLAIM: &str = "\
SELECT pg_try_advisory_xact_lock(hashtextextended($1 || '\u{1f}' || $2, 0)) AS locked,
       r.request_hash, r.response_status, r.response_body
FROM (VALUES (1)) AS one (x)
LEFT JOIN idempotency_records r ON r.scope = $1 AND r.idempotency_key = $2";

impl IdempotencyRepository for PgTx<'_> {
    fn claim(&mut self, scope: &str, key: &str) -> Result<Claim> {
        let row: ClaimRow = keep_prepared(
            constant_sql(CLAIM)
                .bind::<Text, _>(scope)
                .bind::<Text, _>(key),
        )
        .get_result(self.conn)
        .map_err(storage)?;
        if !row.locked {
            return Ok(Claim::InUse);
        }
        Ok(
            match (row.request_hash, row.response_status, row.response_body) {
                (Some(fingerprint), Some(status), Some(body)) => Claim::Stored(IdempotencyRecord {
                    fingerprint,
                    response: StoredResponse {
                        status: u16::try_from(status).unwrap_or(500),
                        body,
                    },
                }),
                _ => Claim::Free,
            },
        )
    }

    fn try_lock(&mut self, scope: &str, key: &str) -> Result<bool> {
        // hashtextextended gives a 64-bit lock id; a rare collision only yields a false 409.
        let row: Locked = diesel::sql_query(
            "SELECT pg_try_advisory_xact_lock(hashtextextended($1 || '\u{1f}' || $2, 0)) AS locked",
        )
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key)
        .get_result(self.conn)
        .map_err(storage)?;
        Ok(row.locked)
    }

    fn find(&mut self, scope: &str, key: &str) -> Result<Option<IdempotencyRecord>> {
        let row: Option<(String, i16, Vec<u8>)> = rec::table
            .find((scope, key))
            .select((rec::request_hash, rec::response_status, rec::response_body))
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        Ok(row.map(|(fingerprint, status, body)| IdempotencyRecord {
            fingerprint,
            response: StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                body,
            },
        }))
    }

    fn save(
        &mut self,
        scope: &str,
        key: &str,
        record: &IdempotencyRecord,
        at: OffsetDateTime,
    ) -> Result<()> {
        let status = i16::try_from(record.response.status)
            .map_err(|_| Error::Storage("response status out of range".into()))?;
        diesel::insert_into(rec::table)
            .values((
                rec::scope.eq(scope),
                rec::idempotency_key.eq(key),
                rec::request_hash.eq(&record.fingerprint),
                rec::response_status.eq(status),
                rec::response_body.eq(&record.response.body),
                rec::created_at.eq(at),
            ))
            .execute(self.conn)
            .map_err(|e| {
                if is_unique_violation(&e, None) {
                    Error::Conflict(Conflict::IdempotencyKeyInUse)
                } else {
                    storage(e)
                }
            })?;
        Ok(())
    }
}
