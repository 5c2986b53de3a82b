//! Bulk writes of invoices and their lines: one `INSERT … SELECT FROM unnest(arrays)` per
//! table, so a batch of thousands is one round trip and one statement to plan, whatever its
//! size (and far from the 65 535 bind-parameter limit of multi-row `VALUES`).

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Int4, Text, Timestamptz};
use domain::billing::Invoice;
use time::{Date, OffsetDateTime};

const INSERT_INVOICES: &str = "\
    INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, offer_id, \
        service_type, period, issue_date, due_date, status, total_excl_tax, total_tax, \
        total_incl_tax, amount_paid, currency, created_at, updated_at) \
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
        $6::text[], $7::text[], $8::text[], $9::date[], $10::date[], $11::text[], \
        $12::int8[], $13::int8[], $14::int8[], $15::int8[], $16::text[], \
        $17::timestamptz[], $18::timestamptz[])";

const INSERT_LINES: &str = "\
    INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date, \
        end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount, \
        amount_incl_tax) \
    SELECT * FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[], $5::date[], \
        $6::date[], $7::int4[], $8::int8[], $9::int8[], $10::int4[], $11::int8[], \
        $12::int8[])";

fn column<T, U>(items: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
    items.iter().map(f).collect()
}

/// Inserts the invoices (without lines).
pub(crate) fn insert_invoices(
    conn: &mut PgConnection,
    batch: &[Invoice],
) -> Result<usize, DieselError> {
    let text = |f: fn(&Invoice) -> &str| -> Vec<String> { column(batch, |i| f(i).to_owned()) };
    let dates = |f: fn(&Invoice) -> Date| -> Vec<Date> { column(batch, f) };
    let money = |f: fn(&Invoice) -> i64| -> Vec<i64> { column(batch, f) };
    let instants = |f: fn(&Invoice) -> OffsetDateTime| -> Vec<OffsetDateTime> { column(batch, f) };
    diesel::sql_query(INSERT_INVOICES)
        .bind::<Array<Text>, _>(text(|i| &i.id))
        .bind::<Array<Text>, _>(text(|i| &i.invoice_number))
        .bind::<Array<Text>, _>(text(|i| &i.billing_run_id))
        .bind::<Array<Text>, _>(text(|i| &i.client_id))
        .bind::<Array<Text>, _>(text(|i| &i.contract_id))
        .bind::<Array<Text>, _>(text(|i| &i.offer_id))
        .bind::<Array<Text>, _>(text(|i| i.service_type.as_str()))
        .bind::<Array<Text>, _>(text(|i| &i.period))
        .bind::<Array<SqlDate>, _>(dates(|i| i.issue_date))
        .bind::<Array<SqlDate>, _>(dates(|i| i.due_date))
        .bind::<Array<Text>, _>(text(|i| i.status.as_str()))
        .bind::<Array<BigInt>, _>(money(|i| i.total_excl_tax))
        .bind::<Array<BigInt>, _>(money(|i| i.total_tax))
        .bind::<Array<BigInt>, _>(money(|i| i.total_incl_tax))
        .bind::<Array<BigInt>, _>(money(|i| i.amount_paid))
        .bind::<Array<Text>, _>(text(|i| &i.currency))
        .bind::<Array<Timestamptz>, _>(instants(|i| i.created_at))
        .bind::<Array<Timestamptz>, _>(instants(|i| i.updated_at))
        .execute(conn)
}

/// Inserts every line of the invoices.
pub(crate) fn insert_lines(
    conn: &mut PgConnection,
    batch: &[Invoice],
) -> Result<usize, DieselError> {
    let lines: Vec<(&str, &domain::billing::InvoiceLine)> = batch
        .iter()
        .flat_map(|i| i.lines.iter().map(move |l| (i.id.as_str(), l)))
        .collect();
    if lines.is_empty() {
        return Ok(0);
    }
    diesel::sql_query(INSERT_LINES)
        .bind::<Array<Text>, _>(column(&lines, |(id, _)| (*id).to_owned()))
        .bind::<Array<Int4>, _>(column(&lines, |(_, l)| l.position))
        .bind::<Array<Text>, _>(column(&lines, |(_, l)| l.description.clone()))
        .bind::<Array<Text>, _>(column(&lines, |(_, l)| l.offer_id.clone()))
        .bind::<Array<SqlDate>, _>(column(&lines, |(_, l)| l.start_date))
        .bind::<Array<SqlDate>, _>(column(&lines, |(_, l)| l.end_date))
        .bind::<Array<Int4>, _>(column(&lines, |(_, l)| l.days))
        .bind::<Array<BigInt>, _>(column(&lines, |(_, l)| l.monthly_price))
        .bind::<Array<BigInt>, _>(column(&lines, |(_, l)| l.amount_excl_tax))
        .bind::<Array<Int4>, _>(column(&lines, |(_, l)| l.tax_rate_bp))
        .bind::<Array<BigInt>, _>(column(&lines, |(_, l)| l.tax_amount))
        .bind::<Array<BigInt>, _>(column(&lines, |(_, l)| l.amount_incl_tax))
        .execute(conn)
}
