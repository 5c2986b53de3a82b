//! `PaymentImportRepository` on PostgreSQL: imports, their lines and unidentified receipts.

use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::error::{Error, Resource, Result};
use domain::money::Money;
use domain::page::PageRequest;
use domain::payment_imports::{
    PaymentImport, PaymentImportRepository, ReceiptFilter, RecordedAs, UnidentifiedReceipt,
};
use domain::typed_ids::{ClientId, InvoiceId, PaymentId, PaymentImportId, ReceiptId};
use time::Date;

use crate::errors::storage;
use crate::rows::payment_import::{ImportLineRow, PaymentImportRow, ReceiptRow};
use crate::schema::unidentified_receipts as receipts;
use crate::schema::{invoices, payment_import_lines, payment_imports, payments};
use crate::tx::PgTx;

/// Lines per `INSERT` of import lines: 9 parameters each stays far below PostgreSQL's 65,535.
const LINES_PER_INSERT: usize = 1_000;

impl PaymentImportRepository for PgTx<'_> {
    fn lock_bank_lines(&mut self) -> Result<()> {
        // Released at commit or rollback.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<Text, _>("payment-import-bank-lines")
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn recorded_as(
        &mut self,
        reference: &str,
        amount: Money,
        received_at: Date,
    ) -> Result<Option<RecordedAs>> {
        let payment: Option<(String, String)> = payments::table
            .filter(payments::reference.eq(reference))
            .filter(payments::received_at.eq(received_at))
            .filter(payments::amount.eq(amount.centimes()))
            .order(payments::id.asc())
            .select((payments::id, payments::client_id))
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        if let Some((id, client_id)) = payment {
            return Ok(Some(RecordedAs::Payment(
                PaymentId::from_stored(id),
                ClientId::from_stored(client_id),
            )));
        }
        let receipt: Option<String> = receipts::table
            .filter(receipts::reference.eq(reference))
            .filter(receipts::received_at.eq(received_at))
            .filter(receipts::amount.eq(amount.centimes()))
            .order(receipts::id.asc())
            .select(receipts::id)
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        Ok(receipt.map(|id| RecordedAs::Receipt(ReceiptId::from_stored(id))))
    }

    fn invoice_by_number(&mut self, number: &str) -> Result<Option<InvoiceId>> {
        invoices::table
            .filter(invoices::invoice_number.eq(number))
            .select(invoices::id)
            .first::<String>(self.conn)
            .optional()
            .map_err(storage)
            .map(|id| id.map(InvoiceId::from_stored))
    }

    fn insert_receipt(&mut self, receipt: &UnidentifiedReceipt) -> Result<()> {
        diesel::insert_into(receipts::table)
            .values(ReceiptRow::from_domain(receipt))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn insert_import(&mut self, import: &PaymentImport) -> Result<()> {
        diesel::insert_into(payment_imports::table)
            .values(PaymentImportRow::from_domain(import))
            .execute(self.conn)
            .map_err(storage)?;
        let rows: Vec<ImportLineRow> = import
            .lines
            .iter()
            .map(|line| ImportLineRow::from_domain(&import.id, line))
            .collect();
        for chunk in rows.chunks(LINES_PER_INSERT) {
            diesel::insert_into(payment_import_lines::table)
                .values(chunk)
                .execute(self.conn)
                .map_err(storage)?;
        }
        Ok(())
    }

    fn find_import(&mut self, id: &PaymentImportId) -> Result<Option<PaymentImport>> {
        let Some(row) = payment_imports::table
            .find(id.as_str())
            .select(PaymentImportRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
        else {
            return Ok(None);
        };
        let lines = payment_import_lines::table
            .filter(payment_import_lines::import_id.eq(id.as_str()))
            .order(payment_import_lines::line.asc())
            .select(ImportLineRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        row.into_domain(lines).map(Some)
    }

    fn find_receipt(&mut self, id: &ReceiptId) -> Result<Option<UnidentifiedReceipt>> {
        receipts::table
            .find(id.as_str())
            .select(ReceiptRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ReceiptRow::into_domain)
            .transpose()
    }

    fn lock_receipt(&mut self, id: &ReceiptId) -> Result<Option<UnidentifiedReceipt>> {
        receipts::table
            .find(id.as_str())
            .select(ReceiptRow::as_select())
            .for_update()
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ReceiptRow::into_domain)
            .transpose()
    }

    fn save_assignment(&mut self, receipt: &UnidentifiedReceipt) -> Result<()> {
        let row = ReceiptRow::from_domain(receipt);
        let changed = diesel::update(receipts::table.find(receipt.id.as_str()))
            .set((
                receipts::status.eq(row.status),
                receipts::client_id.eq(row.client_id),
                receipts::payment_id.eq(row.payment_id),
                receipts::assigned_by.eq(row.assigned_by),
                receipts::assigned_at.eq(row.assigned_at),
                receipts::updated_at.eq(row.updated_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::UnidentifiedReceipt));
        }
        Ok(())
    }

    fn list_receipts(
        &mut self,
        filter: &ReceiptFilter,
        page: &PageRequest,
    ) -> Result<Vec<UnidentifiedReceipt>> {
        let mut query = receipts::table.select(ReceiptRow::as_select()).into_boxed();
        if let Some(status) = filter.status {
            query = query.filter(receipts::status.eq(status.as_str()));
        }
        if let Some(after) = page.after() {
            query = query.filter(receipts::id.gt(after));
        }
        query
            .order(receipts::id.asc())
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ReceiptRow::into_domain)
            .collect()
    }
}
