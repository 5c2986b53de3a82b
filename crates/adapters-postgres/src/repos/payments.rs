//! `PaymentRepository` on PostgreSQL: payments and their allocations.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Nullable, Text, Timestamptz};
use domain::billing::Invoice;
use domain::collections::{Allocation, Payment, PaymentFilter, PaymentRepository};
use domain::error::{Error, Result};
use domain::money::Money;
use domain::page::PageRequest;
use domain::typed_ids::{InvoiceId, PaymentId};

use crate::errors::storage;
use crate::prepared::{constant_sql, keep_prepared};
use crate::repos::ledger_sql::credit_available_of;
use crate::rows::payment::{AllocationRow, PaymentRow, Posted};
use crate::schema::{payment_allocations, payments};
use crate::tx::PgTx;

/// A posting in one statement and one round trip (decision 0340): the invoices it settles
/// (as `InvoiceRepository::save_settlements`), the payment, and its allocations in their
/// order (their ids, which order them when read, follow the arrays'). The foreign keys and
/// the invoices' checks run at the end of the statement, on the rows it wrote. Answers how
/// many invoices were settled, and the client's credit as the statement's snapshot sees it:
/// without this payment, whose rows the same statement cannot see (decision 0396).
/// `$settled` and `$allocations` are the row sources: arrays in general, one row of scalars in
/// the common case of a payment to one invoice.
macro_rules! insert_settling {
    ($settled:literal, $allocations:literal) => {
        concat!(
            "WITH settled AS (
  UPDATE invoices AS i
  SET amount_paid = u.amount_paid, status = u.status, updated_at = $10
  FROM ",
            $settled,
            " AS u (id, amount_paid, status)
  WHERE i.id = u.id
  RETURNING i.id
), payment AS (
  INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at,
                        unallocated_amount, actor_id, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
), allocations AS (
  INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at)
  SELECT $1, a.invoice_id, a.amount, $10
  FROM ",
            $allocations,
            " AS a (invoice_id, amount, n)
  ORDER BY a.n
)
SELECT (SELECT count(*) FROM settled) AS n, ",
            credit_available_of!("$2"),
            " AS credit_before"
        )
    };
}

/// Any number of allocations and settled invoices, bound as arrays.
const INSERT_SETTLING: &str = insert_settling!(
    "unnest($13::text[], $14::int8[], $15::text[])",
    "unnest($11::text[], $12::int8[]) WITH ORDINALITY"
);

/// One allocation settling one invoice, bound as scalars. Kept apart from the array form
/// (decision 0342): PostgreSQL estimates an `unnest` of a bound array at 100 rows in a
/// generic plan and at its true length in a custom one, so it would plan the array form
/// again on every call; with scalars the generic plan costs the same and is kept.
const INSERT_SETTLING_ONE: &str = insert_settling!(
    "(VALUES ($13::text, $14::int8, $15::text))",
    "(VALUES ($11::text, $12::int8, 1))"
);

impl PgTx<'_> {
    /// Allocations of these payments, grouped by payment, in insertion order.
    fn allocations_of(&mut self, ids: &[String]) -> Result<HashMap<String, Vec<Allocation>>> {
        let rows: Vec<AllocationRow> = payment_allocations::table
            .filter(payment_allocations::payment_id.eq_any(ids))
            .order(payment_allocations::id.asc())
            .select(AllocationRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        let mut grouped: HashMap<String, Vec<Allocation>> = HashMap::new();
        for row in rows {
            grouped.entry(row.payment_id).or_default().push(Allocation {
                invoice_id: InvoiceId::from_stored(row.invoice_id),
                amount: Money::from_stored(row.amount),
            });
        }
        Ok(grouped)
    }

    fn with_allocations(&mut self, rows: Vec<PaymentRow>) -> Result<Vec<Payment>> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut allocations = self.allocations_of(&ids)?;
        rows.into_iter()
            .map(|row| {
                let own = allocations.remove(&row.id).unwrap_or_default();
                row.into_domain(own)
            })
            .collect()
    }
}

impl PaymentRepository for PgTx<'_> {
    fn find(&mut self, id: &PaymentId) -> Result<Option<Payment>> {
        let row = payments::table
            .find(id.as_str())
            .select(PaymentRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        Ok(self
            .with_allocations(row.into_iter().collect())?
            .into_iter()
            .next())
    }

    fn insert(&mut self, payment: &Payment, settled: &[Invoice]) -> Result<Money> {
        let row = PaymentRow::from_domain(payment);
        let (invoices, amounts): (Vec<&str>, Vec<i64>) = payment
            .allocations
            .iter()
            .map(|a| (a.invoice_id.as_str(), a.amount.centimes()))
            .unzip();
        let settled_ids: Vec<&str> = settled.iter().map(|i| i.id.as_str()).collect();
        let paid: Vec<i64> = settled.iter().map(|i| i.amount_paid.centimes()).collect();
        let statuses: Vec<&str> = settled.iter().map(|i| i.status.as_str()).collect();
        let posting = constant_sql(if invoices.len() == 1 && settled.len() == 1 {
            INSERT_SETTLING_ONE
        } else {
            INSERT_SETTLING
        })
        .bind::<Text, _>(&row.id)
        .bind::<Text, _>(&row.client_id)
        .bind::<BigInt, _>(row.amount)
        .bind::<Text, _>(&row.currency)
        .bind::<Text, _>(&row.method)
        .bind::<Nullable<Text>, _>(row.reference.as_deref())
        .bind::<SqlDate, _>(row.received_at)
        .bind::<BigInt, _>(row.unallocated_amount)
        .bind::<Text, _>(&row.actor_id)
        .bind::<Timestamptz, _>(row.created_at);
        let done: Posted = match (
            invoices.as_slice(),
            amounts.as_slice(),
            settled_ids.as_slice(),
            paid.as_slice(),
            statuses.as_slice(),
        ) {
            ([invoice], [amount], [settled_id], [paid], [status]) => keep_prepared(
                posting
                    .bind::<Text, _>(*invoice)
                    .bind::<BigInt, _>(*amount)
                    .bind::<Text, _>(*settled_id)
                    .bind::<BigInt, _>(*paid)
                    .bind::<Text, _>(*status),
            )
            .get_result(self.conn),
            _ => keep_prepared(
                posting
                    .bind::<Array<Text>, _>(&invoices)
                    .bind::<Array<BigInt>, _>(&amounts)
                    .bind::<Array<Text>, _>(&settled_ids)
                    .bind::<Array<BigInt>, _>(&paid)
                    .bind::<Array<Text>, _>(&statuses),
            )
            .get_result(self.conn),
        }
        .map_err(storage)?;
        let missing = settled
            .len()
            .saturating_sub(usize::try_from(done.n).unwrap_or(0));
        if missing > 0 {
            return Err(Error::Storage(format!(
                "{missing} of {} settled invoices vanished",
                settled.len()
            )));
        }
        Ok(Money::from_stored(done.credit_before))
    }

    fn list(&mut self, filter: &PaymentFilter, page: &PageRequest) -> Result<Vec<Payment>> {
        let mut query = payments::table.select(PaymentRow::as_select()).into_boxed();
        if let Some(client_id) = &filter.client_id {
            query = query.filter(payments::client_id.eq(client_id.as_str()));
        }
        if let Some(invoice_id) = &filter.invoice_id {
            let paying = payment_allocations::table
                .filter(payment_allocations::invoice_id.eq(invoice_id.as_str()))
                .select(payment_allocations::payment_id);
            query = query.filter(payments::id.eq_any(paying));
        }
        if let Some(method) = filter.method {
            query = query.filter(payments::method.eq(method.as_str()));
        }
        if let Some(from) = filter.from {
            query = query.filter(payments::received_at.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(payments::received_at.le(to));
        }
        if let Some(reference) = &filter.reference {
            query = query.filter(payments::reference.eq(reference.as_str()));
        }
        if let Some(after) = page.after() {
            query = query.filter(payments::id.gt(after));
        }
        let rows = query
            .order(payments::id.asc())
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .load(self.conn)
            .map_err(storage)?;
        self.with_allocations(rows)
    }
}
