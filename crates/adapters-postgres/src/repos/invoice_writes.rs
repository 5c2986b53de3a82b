//! Bulk writes of invoices and their lines: one binary `COPY … FROM STDIN` per table, so a
//! batch of thousands is one statement, streamed without text parsing and written by
//! PostgreSQL with multi-row heap inserts (decision 0094). Rows borrow from the domain
//! invoices; nothing is copied into intermediate columns.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use domain::billing::{Invoice, InvoiceLine, Period};
use time::{Date, OffsetDateTime};

use crate::schema::{invoice_lines, invoices};

#[derive(Insertable)]
#[diesel(table_name = invoices, treat_none_as_default_value = false)]
struct NewInvoice<'a> {
    id: &'a str,
    invoice_number: &'a str,
    billing_run_id: &'a str,
    client_id: &'a str,
    contract_id: &'a str,
    offer_id: &'a str,
    service_type: &'a str,
    period: &'a str,
    issue_date: Date,
    due_date: Date,
    status: &'a str,
    total_excl_tax: i64,
    total_tax: i64,
    total_incl_tax: i64,
    amount_paid: i64,
    currency: &'a str,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl<'a> NewInvoice<'a> {
    fn of(invoice: &'a Invoice, period: &'a str) -> Self {
        Self {
            id: invoice.id.as_str(),
            invoice_number: &invoice.invoice_number,
            billing_run_id: invoice.billing_run_id.as_str(),
            client_id: invoice.client_id.as_str(),
            contract_id: invoice.contract_id.as_str(),
            offer_id: invoice.offer_id.as_str(),
            service_type: invoice.service_type.as_str(),
            period,
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            status: invoice.status.as_str(),
            total_excl_tax: invoice.total_excl_tax.centimes(),
            total_tax: invoice.total_tax.centimes(),
            total_incl_tax: invoice.total_incl_tax.centimes(),
            amount_paid: invoice.amount_paid.centimes(),
            currency: &invoice.currency,
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
        }
    }
}

/// A line without its `id`, which the table's sequence gives.
#[derive(Insertable)]
#[diesel(table_name = invoice_lines, treat_none_as_default_value = false)]
struct NewLine<'a> {
    invoice_id: &'a str,
    position: i32,
    description: &'a str,
    offer_id: &'a str,
    start_date: Date,
    end_date: Date,
    days: i32,
    monthly_price: i64,
    amount_excl_tax: i64,
    tax_rate_bp: i32,
    tax_amount: i64,
    amount_incl_tax: i64,
}

impl<'a> NewLine<'a> {
    fn of(invoice_id: &'a str, line: &'a InvoiceLine) -> Self {
        Self {
            invoice_id,
            position: line.position,
            description: &line.description,
            offer_id: line.offer_id.as_str(),
            start_date: line.start_date,
            end_date: line.end_date,
            days: line.days,
            monthly_price: line.monthly_price.centimes(),
            amount_excl_tax: line.amount_excl_tax.centimes(),
            tax_rate_bp: line.tax_rate_bp,
            tax_amount: line.tax_amount.centimes(),
            amount_incl_tax: line.amount_incl_tax.centimes(),
        }
    }
}

/// Inserts the invoices (without lines).
pub(crate) fn insert_invoices(
    conn: &mut PgConnection,
    batch: &[Invoice],
) -> Result<usize, DieselError> {
    // A batch bills one month: its `YYYY-MM` text is made once, not once per invoice.
    let mut periods: Vec<(Period, String)> = Vec::with_capacity(1);
    for invoice in batch {
        if !periods.iter().any(|(p, _)| *p == invoice.period) {
            periods.push((invoice.period, invoice.period.to_string()));
        }
    }
    let rows: Vec<NewInvoice<'_>> = batch
        .iter()
        .map(|invoice| {
            let period = periods
                .iter()
                .find(|(p, _)| *p == invoice.period)
                .map_or("", |(_, text)| text.as_str());
            NewInvoice::of(invoice, period)
        })
        .collect();
    diesel::copy_from(invoices::table)
        .from_insertable(rows)
        .execute(conn)
}

/// Inserts every line of the invoices.
pub(crate) fn insert_lines(
    conn: &mut PgConnection,
    batch: &[Invoice],
) -> Result<usize, DieselError> {
    let rows: Vec<NewLine<'_>> = batch
        .iter()
        .flat_map(|i| i.lines.iter().map(|l| NewLine::of(i.id.as_str(), l)))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(invoice_lines::table)
        .from_insertable(rows)
        .execute(conn)
}
