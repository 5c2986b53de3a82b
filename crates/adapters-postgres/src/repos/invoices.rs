//! `InvoiceRepository` on PostgreSQL: filtered reads with their lines in one extra query,
//! bulk writes through binary `COPY` (`invoice_writes`), and the documents stored once.

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::pg::{Pg, PgRowByRowLoadingMode};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Int4, Int8, Text, Timestamptz};
use domain::billing::{
    Invoice, InvoiceFilter, InvoiceIdList, InvoiceLine, InvoiceParties, InvoiceRepository,
    InvoiceUsage, ListedInvoice, Period,
};
use domain::clients::Invoicing;
use domain::documents::{ReplacedInvoice, SellerIdentity};
use domain::error::{Conflict, Error, Result};
use domain::page::PageRequest;
use domain::parties::SellerIdentityId;
use domain::typed_ids::{BillingRunId, ClientId, ContractId, CreditNoteId, InvoiceId};
use time::OffsetDateTime;

use super::invoice_writes::{insert_invoices, insert_lines, insert_usage};
use crate::any_of::any_of;
use crate::errors::{is_unique_violation, storage};
use crate::rows::billing::{InvoiceLineRow, InvoiceRow, InvoiceUsageRow};
use crate::rows::scalar::IdValue;
use crate::rows::seller_identity::{NewSellerIdentity, SellerIdentityRow};
use crate::schema::{
    contracts, credit_notes, invoice_documents, invoice_lines, invoice_usage, invoices,
    seller_identities, subscribers,
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

impl PgTx<'_> {
    /// The entities of `rows`, each with its lines (one query for all of them).
    fn with_lines(&mut self, rows: Vec<InvoiceRow>) -> Result<Vec<Invoice>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        // Each line with the service identifier of its contract (per-account invoices bill
        // several): two primary-key probes per line.
        let lines: Vec<(InvoiceLineRow, String)> = invoice_lines::table
            .inner_join(contracts::table.on(contracts::id.eq(invoice_lines::contract_id)))
            .inner_join(subscribers::table.on(subscribers::id.eq(contracts::subscriber_id)))
            .filter(any_of(invoice_lines::invoice_id, &ids))
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
        let notes: Vec<(String, String)> = credit_notes::table
            .filter(any_of(credit_notes::invoice_id, &ids))
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
        let usage: Vec<InvoiceUsageRow> = invoice_usage::table
            .filter(any_of(invoice_usage::invoice_id, &ids))
            .select(InvoiceUsageRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        let mut usage_by_invoice: HashMap<String, Vec<InvoiceUsage>> = HashMap::new();
        for row in usage {
            let invoice_id = row.invoice_id.clone();
            if let Some(usage) = row.into_domain() {
                usage_by_invoice.entry(invoice_id).or_default().push(usage);
            }
        }
        rows.into_iter()
            .map(|row| {
                let lines = by_invoice.remove(&row.id).unwrap_or_default();
                let notes = notes_by_invoice.remove(&row.id).unwrap_or_default();
                let mut usage = usage_by_invoice.remove(&row.id).unwrap_or_default();
                // Contract by contract, in the invoice's kind order (voice, SMS, data).
                usage.sort_by(|a, b| {
                    (a.contract_id.as_str(), a.kind.index())
                        .cmp(&(b.contract_id.as_str(), b.kind.index()))
                });
                let mut invoice = row.into_domain_with(lines, notes)?;
                invoice.usage = usage;
                Ok(invoice)
            })
            .collect()
    }
}

/// The client of a filter that names nothing else: the list's common case, answered by a
/// statement diesel keeps prepared (decision 0398).
fn client_only(filter: &InvoiceFilter) -> Option<&ClientId> {
    let InvoiceFilter {
        client_id,
        service_type: None,
        offer_id: None,
        contract_id: None,
        statuses,
        number: None,
        issued_from: None,
        issued_to: None,
        period: None,
        overdue: None,
        as_of: _,
    } = filter
    else {
        return None;
    };
    client_id.as_ref().filter(|_| statuses.is_empty())
}

impl PgTx<'_> {
    /// A page of one client's invoices: a static statement (`invoices_client` answers it),
    /// found in the prepared-statement cache by its type.
    fn client_page(&mut self, client: &ClientId, page: &PageRequest) -> Result<Vec<InvoiceRow>> {
        let query = invoices::table
            .select(InvoiceRow::as_select())
            .order(invoices::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX));
        let of_client = invoices::client_id.eq(client.as_str());
        match page.after() {
            None => query.filter(of_client).load(self.conn),
            Some(after) => query
                .filter(of_client.and(invoices::id.gt(after)))
                .load(self.conn),
        }
        .map_err(storage)
    }

    /// A page of the invoices that `filter` keeps: a statement built for the filter.
    fn filtered_page(
        &mut self,
        filter: &InvoiceFilter,
        page: &PageRequest,
    ) -> Result<Vec<InvoiceRow>> {
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
        if !filter.statuses.is_empty() {
            let statuses: Vec<&str> = filter.statuses.iter().map(|s| s.as_str()).collect();
            query = query.filter(invoices::status.eq_any(statuses));
        }
        if let Some(number) = &filter.number {
            query = query.filter(invoices::invoice_number.eq(number.clone()));
        }
        if let Some(from) = filter.issued_from {
            query = query.filter(invoices::issue_date.ge(from));
        }
        if let Some(to) = filter.issued_to {
            query = query.filter(invoices::issue_date.le(to));
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
        query.load(self.conn).map_err(storage)
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

    fn list(&mut self, filter: &InvoiceFilter, page: &PageRequest) -> Result<Vec<ListedInvoice>> {
        let rows = match client_only(filter) {
            Some(client) => self.client_page(client, page)?,
            None => self.filtered_page(filter, page)?,
        };
        // The buyer's name as issued (decision 0200), not the client's today.
        let names: Vec<String> = rows.iter().map(|row| row.buyer_name.clone()).collect();
        Ok(self
            .with_lines(rows)?
            .into_iter()
            .zip(names)
            .map(|(invoice, client_name)| ListedInvoice {
                invoice,
                client_name,
            })
            .collect())
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
