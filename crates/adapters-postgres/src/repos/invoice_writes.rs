//! Bulk writes of invoices and their lines: one binary `COPY … FROM STDIN` per table, so a
//! batch of thousands is one statement, streamed without text parsing and written by
//! PostgreSQL with multi-row heap inserts (decision 0094). Rows borrow from the domain
//! invoices; nothing is copied into intermediate columns.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use domain::billing::{Invoice, Period};

use crate::rows::invoice_copy::{NewInvoice, NewInvoiceUsage, NewLine};
use crate::schema::{invoice_lines, invoice_usage, invoices};

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

/// Inserts the used / included rows of the invoices (issue #21); none for invoices whose
/// plans rate no usage.
pub(crate) fn insert_usage(
    conn: &mut PgConnection,
    batch: &[Invoice],
) -> Result<usize, DieselError> {
    let rows: Vec<NewInvoiceUsage<'_>> = batch
        .iter()
        .flat_map(|i| {
            i.usage
                .iter()
                .map(|u| NewInvoiceUsage::of(i.id.as_str(), u))
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(invoice_usage::table)
        .from_insertable(rows)
        .execute(conn)
}
