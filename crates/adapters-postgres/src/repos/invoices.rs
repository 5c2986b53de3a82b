//! `InvoiceRepository` on PostgreSQL: filtered reads with their lines, credit notes and usage
//! (`invoice_reads`), bulk writes through binary `COPY` (`invoice_writes`), and the documents
//! stored once.

use diesel::dsl::sql;
use diesel::pg::{Pg, PgRowByRowLoadingMode};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Int4, Int8, Text, Timestamptz};
use domain::billing::{
    Invoice, InvoiceFilter, InvoiceIdList, InvoiceParties, InvoiceRepository, Period,
};
use domain::documents::{ReplacedInvoice, SellerIdentity};
use domain::error::{Conflict, Error, Result};
use domain::page::PageRequest;
use domain::parties::SellerIdentityId;
use domain::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId};
use time::OffsetDateTime;

use super::invoice_reads::client_only;
use super::invoice_writes::{insert_invoices, insert_lines, insert_usage};
use crate::errors::{is_unique_violation, storage};
use crate::rows::billing::InvoiceRow;
use crate::rows::scalar::IdValue;
use crate::rows::seller_identity::{NewSellerIdentity, SellerIdentityRow};
use crate::schema::{contracts, invoice_documents, invoices, seller_identities};
use crate::tx::PgTx;

/// New settlement of invoices: (id, amount_paid, status) arrays, `$4` the time.
const SAVE_SETTLEMENTS: &str = "\
UPDATE invoices AS i
SET amount_paid = u.amount_paid, status = u.status, updated_at = $4
FROM unnest($1::text[], $2::int8[], $3::text[]) AS u (id, amount_paid, status)
WHERE i.id = u.id";

/// Invoice statuses that still expect money.
pub(crate) const OPEN_STATUSES: [&str; 2] = ["issued", "partially_paid"];

/// The constraint that keeps one invoice per contract and period.
const ONE_PER_PERIOD: &str = "invoices_contract_id_period_key";
/// The index that keeps one per-account invoice per client and period.
const ONE_PER_ACCOUNT_PERIOD: &str = "invoices_one_per_account_period";
/// The index that lets an invoice be replaced once (decision 0315).
const REPLACED_ONCE: &str = "invoices_replaces_once";

/// The live invoices of contract `$1` for month `$2` and later: each month's original
/// (through the partial unique index) and, where it was replaced after a rejection, the last
/// invoice of its chain of replacements (decision 0315).
const LIVE_FOR_CONTRACT: &str = "\
    WITH RECURSIVE chain AS ( \
        SELECT i.id FROM invoices i \
         WHERE i.contract_id = $1 AND i.period >= $2 AND i.replaces_invoice_id IS NULL \
        UNION ALL \
        SELECT r.id FROM invoices r JOIN chain c ON r.replaces_invoice_id = c.id) \
    SELECT c.id FROM chain c \
     WHERE NOT EXISTS (SELECT 1 FROM invoices r WHERE r.replaces_invoice_id = c.id)";

impl InvoiceRepository for PgTx<'_> {
    fn find(&mut self, id: &InvoiceId) -> Result<Option<Invoice>> {
        let row = invoices::table
            .find(id.as_str())
            .select(InvoiceRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        Ok(self.with_lines(row.into_iter().collect())?.pop())
    }

    fn list(&mut self, filter: &InvoiceFilter, page: &PageRequest) -> Result<Vec<Invoice>> {
        let rows = match client_only(filter) {
            Some(client) => self.client_page(client, page)?,
            None => self.filtered_page(filter, page)?,
        };
        self.with_lines(rows)
    }

    fn insert_batch(&mut self, batch: &[Invoice]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        insert_invoices(self.conn, batch).map_err(|e| {
            if is_unique_violation(&e, Some(ONE_PER_PERIOD))
                || is_unique_violation(&e, Some(ONE_PER_ACCOUNT_PERIOD))
            {
                Error::Conflict(Conflict::InvoiceAlreadyIssued)
            } else if is_unique_violation(&e, Some(REPLACED_ONCE)) {
                Error::Conflict(Conflict::InvoiceAlreadyReissued)
            } else {
                storage(e)
            }
        })?;
        insert_lines(self.conn, batch).map_err(storage)?;
        insert_usage(self.conn, batch).map_err(storage)?;
        Ok(())
    }

    fn ids_for_run(&mut self, run_id: &BillingRunId) -> Result<InvoiceIdList> {
        // Row by row: a million-invoice run would otherwise sit in libpq's result and in a
        // vector of strings before reaching the list (decision 0350).
        let rows = invoices::table
            .filter(invoices::billing_run_id.eq(run_id.as_str()))
            // Shorter numbers first: past 999,999 a year's numbers take a seventh digit, and
            // `FAC-2026-1000000` sorts before `FAC-2026-999999` as text.
            .order((
                sql::<Int4>("char_length(invoices.invoice_number)"),
                invoices::invoice_number,
            ))
            .select(invoices::id)
            .load_iter::<String, PgRowByRowLoadingMode>(self.conn)
            .map_err(storage)?;
        let mut ids = InvoiceIdList::default();
        for id in rows {
            ids.push(&id.map_err(storage)?);
        }
        Ok(ids)
    }

    fn recent_for_client(
        &mut self,
        client_id: &ClientId,
        page: &PageRequest,
    ) -> Result<Vec<(Invoice, String)>> {
        // The line as billed, from the invoice's snapshot (decision 0200).
        let mut query = invoices::table
            .filter(invoices::client_id.eq(client_id.as_str()))
            .order((invoices::period.desc(), invoices::id.desc()))
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .select((InvoiceRow::as_select(), invoices::service_identifier))
            .into_boxed();
        if let Some(after) = page.after() {
            // Keyset on (period, id) descending; the cursor is an invoice id, its period is
            // read here. An unknown cursor compares with NULL and ends the list.
            query = query.filter(
                sql::<Bool>(
                    "(invoices.period, invoices.id) < \
                     (SELECT c.period, c.id FROM invoices c WHERE c.id = ",
                )
                .bind::<Text, _>(after.to_owned())
                .sql(")"),
            );
        }
        let rows: Vec<(InvoiceRow, String)> = query.load(self.conn).map_err(storage)?;
        let (rows, lines): (Vec<InvoiceRow>, Vec<String>) = rows.into_iter().unzip();
        Ok(self.with_lines(rows)?.into_iter().zip(lines).collect())
    }

    fn parties(&mut self, invoice_id: &InvoiceId) -> Result<Option<InvoiceParties>> {
        let found: Option<(SellerIdentityRow, String, Option<String>)> = invoices::table
            .inner_join(
                seller_identities::table.on(seller_identities::id.eq(invoices::seller_identity_id)),
            )
            .inner_join(contracts::table.on(contracts::id.eq(invoices::contract_id)))
            .filter(invoices::id.eq(invoice_id.as_str()))
            .select((
                SellerIdentityRow::as_select(),
                contracts::contract_number,
                invoices::replaces_invoice_id,
            ))
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        let Some((seller, contract_number, replaces)) = found else {
            return Ok(None);
        };
        // Only replacements (decision 0315) pay this second primary-key read.
        let replaces = match replaces {
            None => None,
            Some(id) => Some(
                invoices::table
                    .find(id)
                    .select((invoices::invoice_number, invoices::issue_date))
                    .first::<(String, time::Date)>(self.conn)
                    .map(|(number, issue_date)| ReplacedInvoice { number, issue_date })
                    .map_err(storage)?,
            ),
        };
        if seller.pending {
            // Only until the first start after the migration fills it in.
            return Err(Error::Storage(format!(
                "invoice {invoice_id}: its seller identity awaits the server's first start"
            )));
        }
        Ok(Some(InvoiceParties {
            seller: seller.into_domain(),
            contract_number,
            replaces,
        }))
    }

    fn seller_identity(&mut self, seller: &SellerIdentity) -> Result<SellerIdentityId> {
        let find = |conn: &mut diesel::PgConnection| {
            seller_identities::table
                .filter(seller_identities::pending.eq(false))
                .filter(seller_identities::name.eq(&seller.name))
                .filter(seller_identities::address.eq(&seller.address))
                .filter(seller_identities::ice.eq(&seller.ice))
                .filter(seller_identities::if_number.eq(&seller.if_number))
                .filter(seller_identities::rc.eq(&seller.rc))
                .filter(seller_identities::tva_number.eq(&seller.tva_number))
                .filter(seller_identities::tp.eq(&seller.tp))
                .select(seller_identities::id)
                .first::<i64>(conn)
                .optional()
                .map_err(storage)
        };
        if let Some(id) = find(self.conn)? {
            return Ok(SellerIdentityId::from_stored(id));
        }
        // A concurrent first use inserts the same value: the unique index makes one of them
        // wait and do nothing, and the read after it sees the other's row.
        diesel::insert_into(seller_identities::table)
            .values(NewSellerIdentity::of(seller))
            .on_conflict_do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        find(self.conn)?
            .map(SellerIdentityId::from_stored)
            .ok_or_else(|| Error::Storage("seller identity vanished after insert".into()))
    }

    fn adopt_pending_seller(&mut self, seller: &SellerIdentity) -> Result<bool> {
        let changed =
            diesel::update(seller_identities::table.filter(seller_identities::pending.eq(true)))
                .set(NewSellerIdentity::of(seller))
                .execute(self.conn)
                .map_err(storage)?;
        Ok(changed > 0)
    }

    fn lock_open_invoices(&mut self, clients: &[ClientId]) -> Result<Vec<Invoice>> {
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        // A payment locks one client's invoices: `client_id = $1` lets PostgreSQL keep one
        // generic plan for the prepared statement, where `= ANY($1)` of an array of unknown
        // length is estimated apart from each call's and planned again every time (0342).
        let of_clients: Box<dyn BoxableExpression<invoices::table, Pg, SqlType = Bool>> =
            match ids.as_slice() {
                [one] => Box::new(invoices::client_id.eq(*one)),
                _ => Box::new(invoices::client_id.eq_any(ids)),
            };
        invoices::table
            .filter(of_clients)
            .filter(invoices::status.eq_any(OPEN_STATUSES))
            .order((invoices::due_date.asc(), invoices::id.asc()))
            .for_update()
            .select(InvoiceRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(|row| row.into_domain(Vec::new()))
            .collect()
    }

    fn save_settlements(&mut self, invoices: &[Invoice]) -> Result<()> {
        let Some(at) = invoices.iter().map(|i| i.updated_at).max() else {
            return Ok(());
        };
        let ids: Vec<String> = invoices.iter().map(|i| i.id.to_string()).collect();
        let paid: Vec<i64> = invoices.iter().map(|i| i.amount_paid.centimes()).collect();
        let statuses: Vec<&str> = invoices.iter().map(|i| i.status.as_str()).collect();
        let changed = diesel::sql_query(SAVE_SETTLEMENTS)
            .bind::<Array<Text>, _>(&ids)
            .bind::<Array<Int8>, _>(&paid)
            .bind::<Array<Text>, _>(&statuses)
            .bind::<Timestamptz, _>(at)
            .execute(self.conn)
            .map_err(storage)?;
        if changed != invoices.len() {
            return Err(Error::Storage(format!(
                "{} of {} settled invoices vanished",
                invoices.len() - changed.min(invoices.len()),
                invoices.len()
            )));
        }
        Ok(())
    }

    fn lock(&mut self, id: &InvoiceId) -> Result<Option<Invoice>> {
        let row: Option<InvoiceRow> = invoices::table
            .find(id.as_str())
            .for_update()
            .select(InvoiceRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        // Locked, and no writer changes a locked invoice: its lines and notes read as of now.
        self.with_lines(row.into_iter().collect())
            .map(|mut invoices| invoices.pop())
    }

    fn save_credit(&mut self, invoice: &Invoice) -> Result<()> {
        let changed = diesel::update(invoices::table.find(invoice.id.as_str()))
            .set((
                invoices::credited_amount.eq(invoice.credited_amount.centimes()),
                invoices::status.eq(invoice.status.as_str()),
                invoices::updated_at.eq(invoice.updated_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::Storage(format!("invoice {} vanished", invoice.id)));
        }
        Ok(())
    }

    fn billed_for_contract(
        &mut self,
        contract_id: &ContractId,
        from: Period,
    ) -> Result<Vec<Invoice>> {
        // `YYYY-MM` sorts as the months do; the (contract_id, period) unique index answers
        // for the originals, the replacements' index for the rest.
        let live: Vec<IdValue> = diesel::sql_query(LIVE_FOR_CONTRACT)
            .bind::<Text, _>(contract_id.as_str())
            .bind::<Text, _>(from.to_string())
            .load(self.conn)
            .map_err(storage)?;
        let live: Vec<String> = live.into_iter().map(|r| r.id).collect();
        let rows = invoices::table
            .filter(invoices::id.eq_any(&live))
            .order(invoices::period)
            .select(InvoiceRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        self.with_lines(rows)
    }

    fn replacement_of(&mut self, invoice_id: &InvoiceId) -> Result<Option<InvoiceId>> {
        invoices::table
            .filter(invoices::replaces_invoice_id.eq(invoice_id.as_str()))
            .select(invoices::id)
            .first::<String>(self.conn)
            .optional()
            .map(|id| id.map(InvoiceId::from_stored))
            .map_err(storage)
    }

    fn find_document(&mut self, invoice_id: &InvoiceId) -> Result<Option<Vec<u8>>> {
        invoice_documents::table
            .find(invoice_id.as_str())
            .select(invoice_documents::pdf)
            .first(self.conn)
            .optional()
            .map_err(storage)
    }

    fn insert_document(
        &mut self,
        invoice_id: &InvoiceId,
        pdf: &[u8],
        at: OffsetDateTime,
    ) -> Result<()> {
        diesel::insert_into(invoice_documents::table)
            .values((
                invoice_documents::invoice_id.eq(invoice_id.as_str()),
                invoice_documents::pdf.eq(pdf),
                invoice_documents::created_at.eq(at),
            ))
            .on_conflict(invoice_documents::invoice_id)
            .do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }
}
