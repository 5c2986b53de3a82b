//! `LedgerRepository` on PostgreSQL: credit sources, their applications, the ledger audit.

use diesel::prelude::*;
use diesel::sql_types::{Array, Int8, Text, Timestamptz};
use domain::billing::Invoice;
use domain::error::{Error, Result};
use domain::ledger::{
    CreditApplication, CreditSource, LedgerAuditEntry, LedgerRepository, SourceRef,
};
use domain::money::Money;
use domain::typed_ids::ClientId;
use time::OffsetDateTime;

use super::invoices::OPEN_STATUSES;
use super::ledger_sql as sql;
use crate::errors::storage;
use crate::rows::billing::InvoiceRow;
use crate::rows::ledger::{AmountRow, ClientIdRow, CreditSourceRow, LedgerAuditRow};
use crate::schema::{invoices, ledger_audit};
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

    fn lock_open_invoices(&mut self, clients: &[ClientId]) -> Result<Vec<Invoice>> {
        invoices::table
            .filter(invoices::client_id.eq_any(id_strings(clients)))
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

    fn lock_credit_sources(&mut self, clients: &[ClientId]) -> Result<Vec<CreditSource>> {
        let ids = id_strings(clients);
        let mut sources = self.lock_sources(sql::LOCK_PAYMENT_SOURCES, &ids)?;
        sources.extend(self.lock_sources(sql::LOCK_CREDIT_NOTE_SOURCES, &ids)?);
        sources.sort_by(|a, b| (a.created_at, a.source.id()).cmp(&(b.created_at, b.source.id())));
        Ok(sources)
    }

    fn save_settlements(&mut self, invoices: &[Invoice]) -> Result<()> {
        let Some(at) = invoices.iter().map(|i| i.updated_at).max() else {
            return Ok(());
        };
        let ids: Vec<String> = invoices.iter().map(|i| i.id.to_string()).collect();
        let paid: Vec<i64> = invoices.iter().map(|i| i.amount_paid.centimes()).collect();
        let statuses: Vec<&str> = invoices.iter().map(|i| i.status.as_str()).collect();
        let changed = diesel::sql_query(sql::SAVE_SETTLEMENTS)
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
        let row: AmountRow = diesel::sql_query(sql::CREDIT_AVAILABLE)
            .bind::<Text, _>(client.as_str())
            .get_result(self.conn)
            .map_err(storage)?;
        Ok(Money::from_stored(row.amount))
    }
}
