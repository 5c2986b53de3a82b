//! `ArchiveRepository` on PostgreSQL: the head row of a series is the sealer's lock
//! (`FOR UPDATE SKIP LOCKED`, decision 0322), entries are append-only.

use diesel::prelude::*;
use diesel::sql_types::{Array, Int4, Int8, Text};
use domain::archive::{
    ArchiveEntry, ArchiveRepository, ChainHead, DocumentRef, PendingDocument, Series,
};
use domain::error::{Error, Result};
use time::Date;

use crate::errors::storage;
use crate::key_locks::BILLING_RUN_LOCK;
use crate::rows::archive::{EntryRow, HeadRow, PendingRow, SequenceValueRow, YearRow};
use crate::rows::scalar::Locked;
use crate::schema::{
    archive_entries, archive_heads, contract_documents, contracts, credit_notes, invoices,
};
use crate::tx::PgTx;

// A document becomes sealable once committed. When clearance is on, this is where a
// document waits for its final clearance status, so that the PDF sealed is the cleared one.
const NUMBERED_INVOICES: &str =
    "SELECT id AS document_id, 1 AS version, invoice_number AS number, \
     issue_date AS issued_on FROM invoices WHERE invoice_number = ANY($1)";
const NUMBERED_CREDIT_NOTES: &str = "SELECT id AS document_id, 1 AS version, \
     credit_note_number AS number, issue_date AS issued_on FROM credit_notes \
     WHERE credit_note_number = ANY($1)";
// Contract documents have no number of their own: they are sealed in the order they were
// produced. Their date is the UTC day they were produced, as `Clock::today` dates documents.
const UNSEALED_CONTRACT_DOCUMENTS: &str = "SELECT d.contract_id AS document_id, d.version, \
     c.contract_number AS number, \
     (d.created_at AT TIME ZONE 'UTC')::date AS issued_on \
     FROM contract_documents d JOIN contracts c ON c.id = d.contract_id \
     WHERE NOT EXISTS (SELECT 1 FROM archive_entries a \
         WHERE a.series = 'contract_documents' AND a.document_id = d.contract_id \
         AND a.version = d.version) \
     ORDER BY d.created_at, c.contract_number, d.version LIMIT $1";

impl ArchiveRepository for PgTx<'_> {
    fn billing_run_in_progress(&mut self) -> Result<bool> {
        // Exclusive and transaction-scoped: taken only when no run holds the shared lock,
        // and given back when the check's transaction ends.
        let row: Locked = diesel::sql_query(
            "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked",
        )
        .bind::<Text, _>(BILLING_RUN_LOCK)
        .get_result(self.conn)
        .map_err(storage)?;
        Ok(!row.locked)
    }

    fn lock_head(&mut self, series: Series) -> Result<Option<ChainHead>> {
        archive_heads::table
            .find(series.as_str())
            .select(HeadRow::as_select())
            .for_update()
            .skip_locked()
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(HeadRow::into_domain)
            .transpose()
    }

    fn append(&mut self, head: &ChainHead, entries: &[ArchiveEntry]) -> Result<()> {
        let rows: Vec<EntryRow> = entries.iter().map(EntryRow::from_domain).collect();
        // Bind parameters are limited per statement; 10 columns a row.
        for chunk in rows.chunks(5_000) {
            diesel::insert_into(archive_entries::table)
                .values(chunk)
                .execute(self.conn)
                .map_err(storage)?;
        }
        let now = entries.last().map(|e| e.sealed_at);
        diesel::update(archive_heads::table.find(head.series.as_str()))
            .set((
                archive_heads::position.eq(head.position),
                archive_heads::last_number.eq(head.last_number.as_deref()),
                archive_heads::chain_sha256.eq(head.chain.map(|d| d.to_vec())),
                archive_heads::updated_at.eq(now),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn numbered(&mut self, series: Series, numbers: &[String]) -> Result<Vec<PendingDocument>> {
        let sql = match series {
            Series::Invoices => NUMBERED_INVOICES,
            Series::CreditNotes => NUMBERED_CREDIT_NOTES,
            Series::ContractDocuments => {
                return Err(Error::Storage(
                    "contract documents have no number sequence".into(),
                ))
            }
        };
        let rows: Vec<PendingRow> = diesel::sql_query(sql)
            .bind::<Array<Text>, _>(numbers)
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows.into_iter().map(|r| r.into_domain(series)).collect())
    }

    fn sequence_value(&mut self, name: &str, year: i32) -> Result<Option<i64>> {
        // FOR SHARE waits for a transaction that is reserving numbers of this year, so a
        // year is never taken as complete while a number of it is still being issued.
        let row: Option<SequenceValueRow> = diesel::sql_query(
            "SELECT last_value FROM number_sequences WHERE name = $1 AND year = $2 FOR SHARE",
        )
        .bind::<Text, _>(name)
        .bind::<Int4, _>(year)
        .get_result(self.conn)
        .optional()
        .map_err(storage)?;
        Ok(row.map(|r| r.last_value))
    }

    fn next_sequence_year(&mut self, name: &str, after: Option<i32>) -> Result<Option<i32>> {
        let row: Option<YearRow> = diesel::sql_query(
            "SELECT year FROM number_sequences WHERE name = $1 AND year > $2 \
             ORDER BY year LIMIT 1",
        )
        .bind::<Text, _>(name)
        .bind::<Int4, _>(after.unwrap_or(i32::MIN))
        .get_result(self.conn)
        .optional()
        .map_err(storage)?;
        Ok(row.map(|r| r.year))
    }

    fn unsealed_contract_documents(&mut self, limit: usize) -> Result<Vec<PendingDocument>> {
        let rows: Vec<PendingRow> = diesel::sql_query(UNSEALED_CONTRACT_DOCUMENTS)
            .bind::<Int8, _>(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_domain(Series::ContractDocuments))
            .collect())
    }

    fn contract_document_pdf(
        &mut self,
        contract_id: &str,
        version: i32,
    ) -> Result<Option<Vec<u8>>> {
        contract_documents::table
            .find((contract_id, version))
            .select(contract_documents::pdf)
            .first(self.conn)
            .optional()
            .map_err(storage)
    }

    fn entries(
        &mut self,
        series: Series,
        from: Date,
        to: Date,
        after: i64,
        limit: usize,
    ) -> Result<Vec<ArchiveEntry>> {
        archive_entries::table
            .filter(archive_entries::series.eq(series.as_str()))
            .filter(archive_entries::issued_on.between(from, to))
            .filter(archive_entries::position.gt(after))
            .order(archive_entries::position)
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .select(EntryRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(EntryRow::into_domain)
            .collect()
    }

    fn entry_at(&mut self, series: Series, position: i64) -> Result<Option<ArchiveEntry>> {
        archive_entries::table
            .find((series.as_str(), position))
            .select(EntryRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(EntryRow::into_domain)
            .transpose()
    }

    fn current_number(&mut self, document: &DocumentRef) -> Result<Option<String>> {
        let id = document.document_id.as_str();
        match document.series {
            Series::Invoices => invoices::table
                .find(id)
                .select(invoices::invoice_number)
                .first(self.conn),
            Series::CreditNotes => credit_notes::table
                .find(id)
                .select(credit_notes::credit_note_number)
                .first(self.conn),
            // The document must still exist, not only its contract.
            Series::ContractDocuments => contract_documents::table
                .inner_join(contracts::table)
                .filter(contract_documents::contract_id.eq(id))
                .filter(contract_documents::version.eq(document.version))
                .select(contracts::contract_number)
                .first(self.conn),
        }
        .optional()
        .map_err(storage)
    }
}
