//! `LedgerRepository` on PostgreSQL: credit sources, their applications, the ledger audit.

use diesel::prelude::*;
use diesel::sql_types::{Array, Int8, Text, Timestamptz};
use domain::billing::Invoice;
use domain::error::{Conflict, Error, Result};
use domain::ledger::{
    Balance, CreditApplication, CreditSource, LedgerAuditEntry, LedgerRepository, LockedPayment,
    Movement, PaymentReversal, Refund, SourceRef,
};
use domain::money::Money;
use domain::typed_ids::{ClientId, InvoiceId, PaymentId};
use time::OffsetDateTime;

use super::invoices::OPEN_STATUSES;
use super::ledger_sql as sql;
use crate::errors::{is_unique_violation, storage};
use crate::prepared::{constant_sql, keep_prepared};
use crate::rows::billing::InvoiceRow;
use crate::rows::ledger::{
    AllocatedRow, AmountRow, BalanceRow, ClientIdRow, CreditSourceRow, LedgerAuditRow,
    LockedPaymentRow, MovementRow, PaymentReversalRow, RefundRow,
};
use crate::schema::{invoices, ledger_audit, payment_reversals, payments, refund_sources, refunds};
use crate::tx::PgTx;

fn id_strings(clients: &[ClientId]) -> Vec<String> {
    clients.iter().map(ToString::to_string).collect()
}

impl PgTx<'_> {
    fn lock_sources(&mut self, statement: &str, clients: &[String]) -> Result<Vec<CreditSource>> {
        diesel::sql_query(statement)
            .bind::<Array<Text>, _>(clients)
            .load::<CreditSourceRow>(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(CreditSourceRow::into_domain)
            .collect()
    }

    /// Inserts the allocations of one kind of source and takes them off the sources.
    fn apply_from(
        &mut self,
        insert: &str,
        take: &str,
        dated_take: bool,
        applied: &[&CreditApplication],
        at: OffsetDateTime,
    ) -> Result<()> {
        if applied.is_empty() {
            return Ok(());
        }
        let sources: Vec<String> = applied.iter().map(|a| a.source.id().to_owned()).collect();
        let invoices: Vec<String> = applied.iter().map(|a| a.invoice_id.to_string()).collect();
        let amounts: Vec<i64> = applied.iter().map(|a| a.amount.centimes()).collect();
        diesel::sql_query(insert)
            .bind::<Array<Text>, _>(&sources)
            .bind::<Array<Text>, _>(&invoices)
            .bind::<Array<Int8>, _>(&amounts)
            .bind::<Timestamptz, _>(at)
            .execute(self.conn)
            .map_err(storage)?;
        let query = diesel::sql_query(take)
            .bind::<Array<Text>, _>(&sources)
            .bind::<Array<Int8>, _>(&amounts);
        if dated_take {
            query.bind::<Timestamptz, _>(at).execute(self.conn)
        } else {
            query.execute(self.conn)
        }
        .map_err(storage)?;
        Ok(())
    }
}

impl LedgerRepository for PgTx<'_> {
    fn clients_with_credit(&mut self, clients: &[ClientId]) -> Result<Vec<ClientId>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<ClientIdRow> = diesel::sql_query(sql::CLIENTS_WITH_CREDIT)
            .bind::<Array<Text>, _>(id_strings(clients))
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|r| ClientId::from_stored(r.client_id))
            .collect())
    }

    fn lock_credit_sources(&mut self, clients: &[ClientId]) -> Result<Vec<CreditSource>> {
        let ids = id_strings(clients);
        let mut sources = self.lock_sources(sql::LOCK_PAYMENT_SOURCES, &ids)?;
        sources.extend(self.lock_sources(sql::LOCK_CREDIT_NOTE_SOURCES, &ids)?);
        sources.sort_by(|a, b| (a.created_at, a.source.id()).cmp(&(b.created_at, b.source.id())));
        Ok(sources)
    }

    fn record_applications(
        &mut self,
        applications: &[CreditApplication],
        at: OffsetDateTime,
    ) -> Result<()> {
        let (payments, notes): (Vec<&CreditApplication>, Vec<&CreditApplication>) = applications
            .iter()
            .partition(|a| matches!(a.source, SourceRef::Payment(_)));
        self.apply_from(
            sql::INSERT_PAYMENT_APPLICATIONS,
            sql::TAKE_PAYMENT_CREDIT,
            true,
            &payments,
            at,
        )?;
        self.apply_from(
            sql::INSERT_CREDIT_NOTE_APPLICATIONS,
            sql::TAKE_CREDIT_NOTE_CREDIT,
            false,
            &notes,
            at,
        )
    }

    fn insert_audit(&mut self, entries: &[LedgerAuditEntry]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let rows: Vec<LedgerAuditRow> = entries.iter().map(LedgerAuditRow::from_domain).collect();
        diesel::insert_into(ledger_audit::table)
            .values(rows)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn credit_available(&mut self, client: &ClientId) -> Result<Money> {
        let row: AmountRow =
            keep_prepared(constant_sql(sql::CREDIT_AVAILABLE).bind::<Text, _>(client.as_str()))
                .get_result(self.conn)
                .map_err(storage)?;
        Ok(Money::from_stored(row.amount))
    }

    fn balance(&mut self, client: &ClientId) -> Result<Balance> {
        let row: BalanceRow =
            keep_prepared(constant_sql(sql::BALANCE).bind::<Text, _>(client.as_str()))
                .get_result(self.conn)
                .map_err(storage)?;
        Ok(row.into_domain())
    }

    fn movements(&mut self, client: &ClientId) -> Result<Vec<Movement>> {
        // Kept prepared: its seven branches cost more to plan than to run for most clients
        // (decision 0390).
        keep_prepared(constant_sql(sql::MOVEMENTS).bind::<Text, _>(client.as_str()))
            .load::<MovementRow>(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(MovementRow::into_domain)
            .collect()
    }

    fn insert_refund(&mut self, refund: &Refund) -> Result<()> {
        diesel::insert_into(refunds::table)
            .values(RefundRow::from_domain(refund))
            .execute(self.conn)
            .map_err(storage)?;
        let rows: Vec<_> = refund
            .sources
            .iter()
            .map(|(source, amount)| {
                let (payment, note) = match source {
                    SourceRef::Payment(id) => (Some(id.to_string()), None),
                    SourceRef::CreditNote(id) => (None, Some(id.to_string())),
                };
                (
                    refund_sources::refund_id.eq(refund.id.to_string()),
                    refund_sources::payment_id.eq(payment),
                    refund_sources::credit_note_id.eq(note),
                    refund_sources::amount.eq(amount.centimes()),
                )
            })
            .collect();
        diesel::insert_into(refund_sources::table)
            .values(rows)
            .execute(self.conn)
            .map_err(storage)?;
        for (take, dated, kind) in [
            (sql::TAKE_PAYMENT_CREDIT, true, "payment"),
            (sql::TAKE_CREDIT_NOTE_CREDIT, false, "credit_note"),
        ] {
            let (ids, amounts): (Vec<String>, Vec<i64>) = refund
                .sources
                .iter()
                .filter(|(source, _)| source.kind() == kind)
                .map(|(source, amount)| (source.id().to_owned(), amount.centimes()))
                .unzip();
            if ids.is_empty() {
                continue;
            }
            let query = diesel::sql_query(take)
                .bind::<Array<Text>, _>(&ids)
                .bind::<Array<Int8>, _>(&amounts);
            if dated {
                query
                    .bind::<Timestamptz, _>(refund.created_at)
                    .execute(self.conn)
            } else {
                query.execute(self.conn)
            }
            .map_err(storage)?;
        }
        Ok(())
    }

    fn lock_payment(&mut self, id: &PaymentId) -> Result<Option<LockedPayment>> {
        Ok(payments::table
            .find(id.as_str())
            .for_update()
            .select(LockedPaymentRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(LockedPaymentRow::into_domain))
    }

    fn is_reversed(&mut self, id: &PaymentId) -> Result<bool> {
        diesel::select(diesel::dsl::exists(
            payment_reversals::table.filter(payment_reversals::payment_id.eq(id.as_str())),
        ))
        .get_result(self.conn)
        .map_err(storage)
    }

    fn refunded_from_payment(&mut self, id: &PaymentId) -> Result<Money> {
        let row: AmountRow = diesel::sql_query(
            "SELECT COALESCE(sum(amount), 0)::int8 AS amount FROM refund_sources              WHERE payment_id = $1",
        )
        .bind::<Text, _>(id.as_str())
        .get_result(self.conn)
        .map_err(storage)?;
        Ok(Money::from_stored(row.amount))
    }

    fn allocated_by_payment(&mut self, id: &PaymentId) -> Result<Vec<(InvoiceId, Money)>> {
        let rows: Vec<AllocatedRow> = diesel::sql_query(
            "SELECT invoice_id, sum(amount)::int8 AS amount FROM payment_allocations              WHERE payment_id = $1 GROUP BY invoice_id ORDER BY invoice_id",
        )
        .bind::<Text, _>(id.as_str())
        .load(self.conn)
        .map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    InvoiceId::from_stored(r.invoice_id),
                    Money::from_stored(r.amount),
                )
            })
            .collect())
    }

    fn lock_invoices(&mut self, ids: &[InvoiceId], open_of: &ClientId) -> Result<Vec<Invoice>> {
        let ids: Vec<&str> = ids.iter().map(InvoiceId::as_str).collect();
        invoices::table
            .filter(
                invoices::id.eq_any(ids).or(invoices::client_id
                    .eq(open_of.as_str())
                    .and(invoices::status.eq_any(OPEN_STATUSES))),
            )
            .order((invoices::due_date.asc(), invoices::id.asc()))
            .for_update()
            .select(InvoiceRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(|row| row.into_domain(Vec::new()))
            .collect()
    }

    fn insert_reversal(&mut self, reversal: &PaymentReversal) -> Result<()> {
        diesel::insert_into(payment_reversals::table)
            .values(PaymentReversalRow::from_domain(reversal))
            .execute(self.conn)
            .map_err(|e| {
                if is_unique_violation(&e, None) {
                    Error::Conflict(Conflict::PaymentAlreadyReversed)
                } else {
                    storage(e)
                }
            })?;
        diesel::update(payments::table.find(reversal.payment_id.as_str()))
            .set((
                payments::unallocated_amount.eq(0),
                payments::updated_at.eq(reversal.created_at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }
}
