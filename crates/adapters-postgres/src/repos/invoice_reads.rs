//! Reads of invoices: a page of the list (the client-only page kept prepared, any other filter
//! built for it), and the invoices of some rows with their lines, credit notes and usage in
//! one statement each (decision 0398).

use std::collections::HashMap;

use diesel::prelude::*;
use domain::billing::{Invoice, InvoiceFilter, InvoiceLine, InvoiceUsage};
use domain::clients::Invoicing;
use domain::error::Result;
use domain::page::PageRequest;
use domain::typed_ids::{ClientId, CreditNoteId};

use crate::any_of::any_of;
use crate::errors::storage;
use crate::rows::billing::{InvoiceLineRow, InvoiceRow, InvoiceUsageRow};
use crate::schema::{contracts, credit_notes, invoice_lines, invoice_usage, invoices, subscribers};
use crate::tx::PgTx;

impl PgTx<'_> {
    /// The entities of `rows`, each with its lines (one query for all of them).
    pub(super) fn with_lines(&mut self, rows: Vec<InvoiceRow>) -> Result<Vec<Invoice>> {
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
pub(super) fn client_only(filter: &InvoiceFilter) -> Option<&ClientId> {
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
    pub(super) fn client_page(
        &mut self,
        client: &ClientId,
        page: &PageRequest,
    ) -> Result<Vec<InvoiceRow>> {
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
    pub(super) fn filtered_page(
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
