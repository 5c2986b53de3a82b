//! `CreditNoteRepository` on PostgreSQL: the credited amounts per line summed from
//! `credit_note_lines` (no column on `invoice_lines`, decision 0170), notes with their lines,
//! and documents stored once. Audit entries go through the ledger repository.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::credit_notes::{
    CreditNote, CreditNoteFilter, CreditNoteLine, CreditNoteRepository, CreditedLine,
};
use domain::error::Result;
use domain::page::PageRequest;
use domain::typed_ids::{ClientId, CreditNoteId, InvoiceId};
use time::OffsetDateTime;

use crate::errors::storage;
use crate::rows::credit_note::{CreditNoteLineRow, CreditNoteRow, CreditedLineRow};
use crate::schema::{credit_note_documents, credit_note_lines, credit_notes};
use crate::tx::PgTx;

/// Sum of the invoice's credited lines per position.
const CREDITED_LINES: &str = "\
SELECT l.position, SUM(l.amount_excl_tax)::BIGINT AS amount_excl_tax, \
       SUM(l.tax_amount)::BIGINT AS tax_amount \
  FROM credit_note_lines l \
  JOIN credit_notes n ON n.id = l.credit_note_id \
 WHERE n.invoice_id = $1 \
 GROUP BY l.position \
 ORDER BY l.position";

impl PgTx<'_> {
    /// The notes of `rows`, each with its lines (one query for all of them).
    fn notes_with_lines(&mut self, rows: Vec<CreditNoteRow>) -> Result<Vec<CreditNote>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let lines: Vec<CreditNoteLineRow> = credit_note_lines::table
            .filter(credit_note_lines::credit_note_id.eq_any(ids))
            .order((
                credit_note_lines::credit_note_id,
                credit_note_lines::position,
            ))
            .select(CreditNoteLineRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        let mut by_note: HashMap<String, Vec<CreditNoteLine>> = HashMap::new();
        for line in lines {
            by_note
                .entry(line.credit_note_id.clone())
                .or_default()
                .push(line.into_domain());
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let lines = by_note.remove(&row.id).unwrap_or_default();
                row.into_domain(lines)
            })
            .collect())
    }
}

impl CreditNoteRepository for PgTx<'_> {
    fn credited_lines(&mut self, invoice_id: &InvoiceId) -> Result<Vec<CreditedLine>> {
        let rows: Vec<CreditedLineRow> = diesel::sql_query(CREDITED_LINES)
            .bind::<Text, _>(invoice_id.as_str())
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows.into_iter().map(CreditedLineRow::into_domain).collect())
    }

    fn insert(&mut self, note: &CreditNote) -> Result<()> {
        diesel::insert_into(credit_notes::table)
            .values(CreditNoteRow::of(note))
            .execute(self.conn)
            .map_err(storage)?;
        let lines: Vec<CreditNoteLineRow> = note
            .lines
            .iter()
            .map(|line| CreditNoteLineRow::of(&note.id, line))
            .collect();
        diesel::insert_into(credit_note_lines::table)
            .values(lines)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn find(&mut self, id: &CreditNoteId) -> Result<Option<CreditNote>> {
        let row = credit_notes::table
            .find(id.as_str())
            .select(CreditNoteRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        Ok(self.notes_with_lines(row.into_iter().collect())?.pop())
    }

    fn list(&mut self, filter: &CreditNoteFilter, page: &PageRequest) -> Result<Vec<CreditNote>> {
        let mut query = credit_notes::table
            .select(CreditNoteRow::as_select())
            .order(credit_notes::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(after) = page.after() {
            query = query.filter(credit_notes::id.gt(after.to_owned()));
        }
        if let Some(client_id) = &filter.client_id {
            query = query.filter(credit_notes::client_id.eq(client_id.as_str().to_owned()));
        }
        if let Some(invoice_id) = &filter.invoice_id {
            query = query.filter(credit_notes::invoice_id.eq(invoice_id.as_str().to_owned()));
        }
        if let Some(period) = filter.period {
            query = query.filter(
                credit_notes::issue_date
                    .ge(period.first_day())
                    .and(credit_notes::issue_date.le(period.last_day())),
            );
        }
        let rows = query.load(self.conn).map_err(storage)?;
        self.notes_with_lines(rows)
    }

    fn ids_for_invoice(&mut self, invoice_id: &InvoiceId) -> Result<Vec<CreditNoteId>> {
        // Ids are ULIDs: id order is creation order.
        let ids: Vec<String> = credit_notes::table
            .filter(credit_notes::invoice_id.eq(invoice_id.as_str()))
            .order(credit_notes::id)
            .select(credit_notes::id)
            .load(self.conn)
            .map_err(storage)?;
        Ok(ids.into_iter().map(CreditNoteId::from_stored).collect())
    }

    fn for_invoices(
        &mut self,
        client_id: &ClientId,
        invoices: &[InvoiceId],
    ) -> Result<Vec<CreditNote>> {
        if invoices.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = invoices.iter().map(InvoiceId::as_str).collect();
        let rows = credit_notes::table
            .filter(credit_notes::client_id.eq(client_id.as_str()))
            .filter(credit_notes::invoice_id.eq_any(ids))
            .order((credit_notes::issue_date.desc(), credit_notes::id.desc()))
            .select(CreditNoteRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        self.notes_with_lines(rows)
    }

    fn find_document(&mut self, id: &CreditNoteId) -> Result<Option<Vec<u8>>> {
        credit_note_documents::table
            .find(id.as_str())
            .select(credit_note_documents::pdf)
            .first(self.conn)
            .optional()
            .map_err(storage)
    }

    fn insert_document(&mut self, id: &CreditNoteId, pdf: &[u8], at: OffsetDateTime) -> Result<()> {
        diesel::insert_into(credit_note_documents::table)
            .values((
                credit_note_documents::credit_note_id.eq(id.as_str()),
                credit_note_documents::pdf.eq(pdf),
                credit_note_documents::created_at.eq(at),
            ))
            .on_conflict(credit_note_documents::credit_note_id)
            .do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }
}
