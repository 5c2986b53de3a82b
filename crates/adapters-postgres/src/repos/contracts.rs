//! `ContractRepository` on PostgreSQL.

use diesel::dsl::exists;
use diesel::prelude::*;
use domain::billing::PendingCharge;
use domain::contracts::{AuditEntry, Contract, ContractFilter, ContractRepository, OfferPeriod};
use domain::error::{Conflict, Error, Resource, Result};
use domain::page::PageRequest;
use domain::typed_ids::{ClientId, ContractId, OfferId, SubscriberId};
use time::{Date, OffsetDateTime};

use super::contract_history as history;
use crate::errors::{storage, unique_or_storage};
use crate::rows::contract::{fields_json, ContractRow};
use crate::rows::pending_charge::PendingChargeRow;
use crate::schema::{contract_audit, contract_offer_periods, contracts, pending_charges};
use crate::tx::PgTx;

/// The one-live-contract-per-line index violation as the domain's conflict.
fn live_line_conflict(error: diesel::result::Error) -> Error {
    unique_or_storage(
        error,
        LIVE_SUBSCRIBER_INDEX,
        Conflict::ServiceIdentifierInUse,
    )
}

/// Name of the partial unique index that keeps one live contract per line.
pub(crate) const LIVE_SUBSCRIBER_INDEX: &str = "contracts_live_subscriber";

impl ContractRepository for PgTx<'_> {
    fn find(&mut self, id: &ContractId) -> Result<Option<Contract>> {
        let id = id.as_str();
        contracts::table
            .find(id)
            .select(ContractRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ContractRow::into_domain)
            .transpose()
    }

    fn any_for_offer(&mut self, offer_id: &OfferId) -> Result<bool> {
        let offer_id = offer_id.as_str();
        let current = diesel::select(exists(
            contracts::table.filter(contracts::offer_id.eq(offer_id)),
        ));
        let past = diesel::select(exists(
            contract_offer_periods::table.filter(contract_offer_periods::offer_id.eq(offer_id)),
        ));
        Ok(current.get_result::<bool>(self.conn).map_err(storage)?
            || past.get_result::<bool>(self.conn).map_err(storage)?)
    }

    fn find_for_update(&mut self, id: &ContractId) -> Result<Option<Contract>> {
        let id = id.as_str();
        contracts::table
            .find(id)
            .for_update()
            .select(ContractRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ContractRow::into_domain)
            .transpose()
    }

    fn update(&mut self, contract: &Contract) -> Result<()> {
        let row = ContractRow::from_domain(contract);
        let changed = diesel::update(contracts::table.find(contract.id.as_str()))
            .set(&row)
            .execute(self.conn)
            .map_err(live_line_conflict)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Contract));
        }
        Ok(())
    }

    fn append_audit(&mut self, entry: &AuditEntry) -> Result<()> {
        diesel::insert_into(contract_audit::table)
            .values((
                contract_audit::id.eq(entry.id.as_str()),
                contract_audit::contract_id.eq(entry.contract_id.as_str()),
                contract_audit::at.eq(entry.at),
                contract_audit::actor_id.eq(&entry.actor_id),
                contract_audit::action.eq(entry.action.as_str()),
                contract_audit::before.eq(entry.before.as_ref().map(fields_json)),
                contract_audit::after.eq(entry.after.as_ref().map(fields_json)),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }
    fn append_audits(&mut self, entries: &[AuditEntry]) -> Result<()> {
        let rows: Vec<_> = entries
            .iter()
            .map(|entry| {
                (
                    contract_audit::id.eq(entry.id.as_str()),
                    contract_audit::contract_id.eq(entry.contract_id.as_str()),
                    contract_audit::at.eq(entry.at),
                    contract_audit::actor_id.eq(&entry.actor_id),
                    contract_audit::action.eq(entry.action.as_str()),
                    contract_audit::before.eq(entry.before.as_ref().map(fields_json)),
                    contract_audit::after.eq(entry.after.as_ref().map(fields_json)),
                )
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        diesel::insert_into(contract_audit::table)
            .values(rows)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn suspend_active_for_dunning(
        &mut self,
        clients: &[ClientId],
        at: OffsetDateTime,
    ) -> Result<Vec<Contract>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        // The row lock of UPDATE re-checks `status = 'active'` on the latest version, as the
        // per-contract `find_for_update` did.
        let mut rows: Vec<ContractRow> = diesel::update(
            contracts::table
                .filter(contracts::client_id.eq_any(ids))
                .filter(contracts::status.eq("active")),
        )
        .set((
            contracts::status.eq("suspended"),
            contracts::suspended_by_dunning.eq(true),
            contracts::updated_at.eq(at),
        ))
        .returning(ContractRow::as_returning())
        .get_results(self.conn)
        .map_err(storage)?;
        rows.sort_by(|a, b| (&a.client_id, &a.id).cmp(&(&b.client_id, &b.id)));
        rows.into_iter().map(ContractRow::into_domain).collect()
    }

    fn insert(&mut self, contract: &Contract) -> Result<()> {
        diesel::insert_into(contracts::table)
            .values(ContractRow::from_domain(contract))
            .execute(self.conn)
            .map_err(live_line_conflict)?;
        Ok(())
    }

    fn live_for_subscriber(&mut self, subscriber_id: &SubscriberId) -> Result<Option<Contract>> {
        let subscriber_id = subscriber_id.as_str();
        contracts::table
            .filter(contracts::subscriber_id.eq(subscriber_id))
            .filter(contracts::status.eq_any(["pending", "active", "suspended"]))
            .select(ContractRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ContractRow::into_domain)
            .transpose()
    }

    fn list(&mut self, filter: &ContractFilter, page: &PageRequest) -> Result<Vec<Contract>> {
        let mut query = contracts::table
            .select(ContractRow::as_select())
            .order(contracts::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(client_id) = &filter.client_id {
            query = query.filter(contracts::client_id.eq(client_id.as_str()));
        }
        if let Some(status) = filter.status {
            query = query.filter(contracts::status.eq(status.as_str()));
        }
        if let Some(offer_id) = &filter.offer_id {
            query = query.filter(contracts::offer_id.eq(offer_id.as_str()));
        }
        if let Some(service_type) = filter.service_type {
            query = query.filter(contracts::service_type.eq(service_type.as_str()));
        }
        if let Some(subscriber_id) = &filter.subscriber_id {
            query = query.filter(contracts::subscriber_id.eq(subscriber_id.as_str()));
        }
        if let Some(after) = page.after() {
            query = query.filter(contracts::id.gt(after.to_owned()));
        }
        query
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ContractRow::into_domain)
            .collect()
    }

    fn audit_trail(&mut self, contract_id: &ContractId) -> Result<Vec<AuditEntry>> {
        history::audit_trail(self.conn, contract_id.as_str())
    }

    fn insert_offer_period(
        &mut self,
        contract_id: &ContractId,
        period: &OfferPeriod,
        at: OffsetDateTime,
    ) -> Result<()> {
        history::insert_offer_period(self.conn, contract_id.as_str(), period, at)
    }

    fn open_offer_period(&mut self, contract_id: &ContractId) -> Result<Option<OfferPeriod>> {
        history::open_offer_period(self.conn, contract_id.as_str())
    }

    fn close_offer_period(&mut self, contract_id: &ContractId, end_date: Date) -> Result<()> {
        history::close_offer_period(self.conn, contract_id.as_str(), end_date)
    }

    fn replace_open_offer_period(
        &mut self,
        contract_id: &ContractId,
        period: &OfferPeriod,
    ) -> Result<()> {
        history::replace_open_offer_period(self.conn, contract_id.as_str(), period)
    }

    fn insert_pending_charges(&mut self, charges: &[PendingCharge]) -> Result<()> {
        let rows: Vec<PendingChargeRow> =
            charges.iter().map(PendingChargeRow::from_domain).collect();
        diesel::insert_into(pending_charges::table)
            .values(&rows)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn offer_periods(&mut self, contract_id: &ContractId) -> Result<Vec<OfferPeriod>> {
        history::offer_periods(self.conn, contract_id.as_str())
    }

    fn insert_document(
        &mut self,
        contract_id: &ContractId,
        version: i32,
        pdf: &[u8],
        at: OffsetDateTime,
    ) -> Result<()> {
        history::insert_document(self.conn, contract_id.as_str(), version, pdf, at)
    }

    fn document(&mut self, contract_id: &ContractId, version: i32) -> Result<Option<Vec<u8>>> {
        history::document(self.conn, contract_id.as_str(), version)
    }
}
