//! `ClearanceRepository` on PostgreSQL.

use diesel::prelude::*;
use diesel::sql_types::{Array, Int8, Text, Timestamptz};
use domain::einvoicing::{
    ClaimedClearance, Clearance, ClearanceOutcome, ClearanceRepository, ClearanceStatus,
    ClearanceSummary, LastError, OldestPending, PendingClearance,
};
use domain::error::Result;
use time::OffsetDateTime;

use crate::errors::storage;
use crate::rows::clearance::{
    document_of, ClaimedClearanceRow, ClearanceRow, StatusCountRow, WatchRow,
};
use crate::schema::clearances;
use crate::tx::PgTx;

/// A whole billing batch's clearances in one statement: three arrays unnested.
const INSERT_SQL: &str = "
INSERT INTO clearances (document_id, document_kind, document_number, status, attempts,
                        next_attempt_at, created_at, updated_at)
SELECT d.id, d.kind, d.number, 'pending', 0, $4, $4, $4
FROM unnest($1::text[], $2::text[], $3::text[]) AS d (id, kind, number)";

/// Due documents, oldest due first, locked without waiting for those another worker holds;
/// marked `submitted` with the attempt counted and the lease as due time, in one statement,
/// so a claim commits as one step. A `submitted` document whose lease ended lost its worker.
const CLAIM_SQL: &str = "
WITH due AS (
    SELECT document_id
    FROM clearances
    WHERE status IN ('pending', 'submitted') AND next_attempt_at <= $1
    ORDER BY next_attempt_at
    LIMIT $3
    FOR UPDATE SKIP LOCKED
)
UPDATE clearances c
SET status = 'submitted', attempts = c.attempts + 1, next_attempt_at = $2, updated_at = $1
FROM due
WHERE c.document_id = due.document_id
RETURNING c.document_id, c.document_kind, c.document_number, c.attempts";

const COUNTS_SQL: &str = "SELECT status, count(*) AS count FROM clearances GROUP BY status";

impl ClearanceRepository for PgTx<'_> {
    fn insert_pending(
        &mut self,
        documents: &[PendingClearance],
        now: OffsetDateTime,
    ) -> Result<()> {
        if documents.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = documents.iter().map(|d| d.document.id()).collect();
        let kinds: Vec<&str> = documents
            .iter()
            .map(|d| d.document.kind().as_str())
            .collect();
        let numbers: Vec<&str> = documents.iter().map(|d| d.number.as_str()).collect();
        diesel::sql_query(INSERT_SQL)
            .bind::<Array<Text>, _>(ids)
            .bind::<Array<Text>, _>(kinds)
            .bind::<Array<Text>, _>(numbers)
            .bind::<Timestamptz, _>(now)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn find(&mut self, document_id: &str) -> Result<Option<Clearance>> {
        clearances::table
            .find(document_id)
            .select(ClearanceRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ClearanceRow::into_domain)
            .transpose()
    }

    fn find_many(&mut self, document_ids: &[String]) -> Result<Vec<Clearance>> {
        clearances::table
            .filter(clearances::document_id.eq_any(document_ids))
            .select(ClearanceRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ClearanceRow::into_domain)
            .collect()
    }

    fn claim_due(
        &mut self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<ClaimedClearance>> {
        let rows: Vec<ClaimedClearanceRow> = diesel::sql_query(CLAIM_SQL)
            .bind::<Timestamptz, _>(now)
            .bind::<Timestamptz, _>(lease_until)
            .bind::<Int8, _>(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(self.conn)
            .map_err(storage)?;
        rows.into_iter()
            .map(ClaimedClearanceRow::into_domain)
            .collect()
    }

    fn record(
        &mut self,
        claimed: &ClaimedClearance,
        outcome: &ClearanceOutcome,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let target = clearances::table
            .find(claimed.document.id())
            .filter(clearances::status.eq(ClearanceStatus::Submitted.as_str()))
            .filter(clearances::attempts.eq(claimed.attempt));
        let updated = match outcome {
            ClearanceOutcome::Cleared {
                reference,
                cleared_at,
                verification_code,
            } => diesel::update(target)
                .set((
                    clearances::status.eq(ClearanceStatus::Cleared.as_str()),
                    clearances::reference.eq(reference),
                    clearances::cleared_at.eq(cleared_at),
                    clearances::verification_code.eq(verification_code),
                    clearances::next_attempt_at.eq(None::<OffsetDateTime>),
                    clearances::updated_at.eq(now),
                ))
                .execute(self.conn),
            ClearanceOutcome::Rejected { reasons } => diesel::update(target)
                .set((
                    clearances::status.eq(ClearanceStatus::Rejected.as_str()),
                    clearances::reasons.eq(reasons),
                    clearances::next_attempt_at.eq(None::<OffsetDateTime>),
                    clearances::updated_at.eq(now),
                ))
                .execute(self.conn),
            ClearanceOutcome::Retry { error, retry_at } => diesel::update(target)
                .set((
                    clearances::status.eq(ClearanceStatus::Pending.as_str()),
                    clearances::next_attempt_at.eq(retry_at),
                    clearances::last_error.eq(error),
                    clearances::last_error_at.eq(now),
                    clearances::updated_at.eq(now),
                ))
                .execute(self.conn),
        }
        .map_err(storage)?;
        Ok(updated > 0)
    }

    fn summary(&mut self) -> Result<ClearanceSummary> {
        let rows: Vec<StatusCountRow> = diesel::sql_query(COUNTS_SQL)
            .load(self.conn)
            .map_err(storage)?;
        let counts = ClearanceStatus::ALL
            .iter()
            .map(|status| {
                let count = rows
                    .iter()
                    .find(|r| r.status == status.as_str())
                    .map_or(0, |r| r.count);
                (*status, count)
            })
            .collect();
        let columns = (
            clearances::document_id,
            clearances::document_kind,
            clearances::document_number,
            clearances::created_at.nullable(),
            clearances::attempts,
            clearances::last_error,
        );
        let oldest: Option<WatchRow> = clearances::table
            .filter(clearances::status.eq_any(["pending", "submitted"]))
            .order((clearances::created_at, clearances::document_id))
            .select(columns)
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        let latest: Option<WatchRow> = clearances::table
            .filter(clearances::last_error_at.is_not_null())
            .order((
                clearances::last_error_at.desc(),
                clearances::document_id.desc(),
            ))
            .select((
                clearances::document_id,
                clearances::document_kind,
                clearances::document_number,
                clearances::last_error_at,
                clearances::attempts,
                clearances::last_error,
            ))
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        let oldest_pending = oldest
            .map(|row| -> Result<OldestPending> {
                Ok(OldestPending {
                    document: document_of(&row.document_kind, row.document_id)?,
                    number: row.document_number,
                    since: row.at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
                    attempts: row.attempts,
                })
            })
            .transpose()?;
        let last_error = latest
            .map(|row| -> Result<LastError> {
                Ok(LastError {
                    document: document_of(&row.document_kind, row.document_id)?,
                    number: row.document_number,
                    error: row.last_error.unwrap_or_default(),
                    at: row.at.unwrap_or(OffsetDateTime::UNIX_EPOCH),
                })
            })
            .transpose()?;
        Ok(ClearanceSummary {
            counts,
            oldest_pending,
            last_error,
        })
    }
}
