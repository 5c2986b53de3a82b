//! `InvoiceRepository` on PostgreSQL: filtered reads with their lines in one extra query,
//! bulk writes through binary `COPY` (`invoice_writes`), and the documents stored once.

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Int8, Text, Timestamptz};
use domain::billing::{Invoice, InvoiceFilter, InvoiceLine, InvoiceParties, InvoiceRepository};
use domain::clients::Invoicing;
use domain::error::{Conflict, Error, Result};
use domain::page::PageRequest;
use domain::typed_ids::{BillingRunId, ClientId, CreditNoteId, InvoiceId};
use time::OffsetDateTime;

use super::invoice_writes::{insert_invoices, insert_lines};
use crate::errors::{is_unique_violation, storage};
use crate::rows::billing::{InvoiceLineRow, InvoiceRow};
use crate::rows::invoice_parties::PartiesRow;
use crate::schema::{
    contracts, credit_notes, invoice_documents, invoice_lines, invoices, subscribers,
};
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

impl PgTx<'_> {
    /// The entities of `rows`, each with its lines (one query for all of them).
    fn with_lines(&mut self, rows: Vec<InvoiceRow>) -> Result<Vec<Invoice>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        // Each line with the service identifier of its contract (per-account invoices bill
        // several): two primary-key probes per line.
        let lines: Vec<(InvoiceLineRow, String)> = invoice_lines::table
            .inner_join(contracts::table.on(contracts::id.eq(invoice_lines::contract_id)))
            .inner_join(subscribers::table.on(subscribers::id.eq(contracts::subscriber_id)))
            .filter(invoice_lines::invoice_id.eq_any(ids))
            .order((invoice_lines::invoice_id, invoice_lines::position))
            .select((InvoiceLineRow::as_select(), subscribers::service_identifier))
            .load(self.conn)
            .map_err(storage)?;
        let mut by_invoice: HashMap<String, Vec<InvoiceLine>> = HashMap::new();
        for (line, service_identifier) in lines {
            let invoice_id = line.invoice_id.clone();
            by_invoice
                .entry(invoice_id)
                .or_default()
                .push(line.into_domain(Some(service_identifier)));
        }
        // Their credit notes, oldest (smallest ULID) first; most invoices have none, and the
        // `credit_notes_invoice` index answers for all of them at once.
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let notes: Vec<(String, String)> = credit_notes::table
            .filter(credit_notes::invoice_id.eq_any(ids))
            .order((credit_notes::invoice_id, credit_notes::id))
            .select((credit_notes::invoice_id, credit_notes::id))
            .load(self.conn)
            .map_err(storage)?;
        let mut notes_by_invoice: HashMap<String, Vec<CreditNoteId>> = HashMap::new();
        for (invoice_id, note_id) in notes {
            notes_by_invoice
                .entry(invoice_id)
                .or_default()
                .push(CreditNoteId::from_stored(note_id));
        }
        rows.into_iter()
            .map(|row| {
                let lines = by_invoice.remove(&row.id).unwrap_or_default();
                let notes = notes_by_invoice.remove(&row.id).unwrap_or_default();
                row.into_domain_with(lines, notes)
            })
            .collect()
    }
}

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
        let mut query = invoices::table
            .select(InvoiceRow::as_select())
            .order(invoices::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(after) = page.after() {
            query = query.filter(invoices::id.gt(after.to_owned()));
        }
        if let Some(client_id) = &filter.client_id {
            query = query.filter(invoices::client_id.eq(client_id.as_str()));
        }
        if let Some(service) = filter.service_type {
            // A per-account invoice may bill several families: any of its lines' contracts
            // counts. Only those invoices pay for the subquery.
            let billed_for_service = invoice_lines::table
                .inner_join(contracts::table.on(contracts::id.eq(invoice_lines::contract_id)))
                .filter(contracts::service_type.eq(service.as_str()))
                .select(invoice_lines::invoice_id);
            query = query.filter(
                invoices::service_type
                    .eq(service.as_str())
                    .or(invoices::invoicing
                        .eq(Invoicing::PerAccount.as_str())
                        .and(invoices::id.eq_any(billed_for_service))),
            );
        }
        if let Some(contract_id) = &filter.contract_id {
            // Any line, as for the offer: `invoice_lines_contract` answers the subquery.
            let mut billed = invoice_lines::table
                .filter(invoice_lines::contract_id.eq(contract_id.as_str()))
                .select(invoice_lines::invoice_id)
                .into_boxed();
            if let Some(after) = page.after() {
                billed = billed.filter(invoice_lines::invoice_id.gt(after.to_owned()));
            }
            query = query.filter(invoices::id.eq_any(billed));
        }
        if let Some(offer_id) = &filter.offer_id {
            // Any line, not the invoice's last offer: a mid-month plan change bills both
            // (decision 0190). `invoice_lines_offer` answers the subquery.
            let mut billed = invoice_lines::table
                .filter(invoice_lines::offer_id.eq(offer_id.as_str()))
                .select(invoice_lines::invoice_id)
                .into_boxed();
            if let Some(after) = page.after() {
                // The cursor inside too, so the index seeks to the page instead of reading
                // the offer's lines from the start.
                billed = billed.filter(invoice_lines::invoice_id.gt(after.to_owned()));
            }
            query = query.filter(invoices::id.eq_any(billed));
        }
        if let Some(status) = filter.status {
            query = query.filter(invoices::status.eq(status.as_str()));
        }
        if let Some(period) = filter.period {
            query = query.filter(invoices::period.eq(period.to_string()));
        }
        // Overdue as `Invoice::is_overdue` says: not void, past due, something outstanding.
        let overdue = invoices::status
            .ne("void")
            .and(invoices::due_date.lt(filter.as_of))
            .and(invoices::total_incl_tax.gt(invoices::amount_paid + invoices::credited_amount));
        match filter.overdue {
            Some(true) => query = query.filter(overdue),
            Some(false) => query = query.filter(diesel::dsl::not(overdue)),
            None => {}
        }
        let rows = query.load(self.conn).map_err(storage)?;
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
            } else {
                storage(e)
            }
        })?;
        insert_lines(self.conn, batch).map_err(storage)?;
        Ok(())
    }

    fn ids_for_run(&mut self, run_id: &BillingRunId) -> Result<Vec<InvoiceId>> {
        let ids: Vec<String> = invoices::table
            .filter(invoices::billing_run_id.eq(run_id.as_str()))
            .order(invoices::invoice_number)
            .select(invoices::id)
            .load(self.conn)
            .map_err(storage)?;
        Ok(ids.into_iter().map(InvoiceId::from_stored).collect())
    }

    fn recent_for_client(
        &mut self,
        client_id: &ClientId,
        page: &PageRequest,
    ) -> Result<Vec<(Invoice, String)>> {
        let mut query = invoices::table
            .inner_join(contracts::table.inner_join(subscribers::table))
            .filter(invoices::client_id.eq(client_id.as_str()))
            .order((invoices::period.desc(), invoices::id.desc()))
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .select((InvoiceRow::as_select(), subscribers::service_identifier))
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
        let row: Option<PartiesRow> = diesel::sql_query(
            "SELECT cl.first_name, cl.last_name, cl.cin, cl.company_name, cl.ice, \
                    cl.address, cl.city, \
                    c.contract_number, s.service_identifier \
               FROM invoices i \
               JOIN clients cl ON cl.id = i.client_id \
               JOIN contracts c ON c.id = i.contract_id \
               JOIN subscribers s ON s.id = c.subscriber_id \
              WHERE i.id = $1",
        )
        .bind::<Text, _>(invoice_id.as_str())
        .get_result(self.conn)
        .optional()
        .map_err(storage)?;
        Ok(row.map(|r| {
            let address = [r.address, r.city]
                .into_iter()
                .flatten()
                .filter(|part| !part.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let person = [r.first_name, r.last_name].into_iter().flatten();
            InvoiceParties {
                // A company is named by its company name (the check constraint gives a
                // company that name and a person both names).
                client_name: match r.company_name {
                    Some(company) => company,
                    None => person.collect::<Vec<_>>().join(" "),
                },
                cin: r.cin.unwrap_or_default(),
                ice: r.ice,
                client_address: (!address.is_empty()).then_some(address),
                contract_number: r.contract_number,
                service_identifier: r.service_identifier,
            }
        }))
    }

    fn lock_open_invoices(&mut self, clients: &[ClientId]) -> Result<Vec<Invoice>> {
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        invoices::table
            .filter(invoices::client_id.eq_any(ids))
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
