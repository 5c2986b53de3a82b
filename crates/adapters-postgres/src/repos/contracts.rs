//! `ContractRepository` on PostgreSQL.

use diesel::dsl::exists;
use diesel::prelude::*;
use domain::contracts::{AuditEntry, Contract, ContractRepository, Fields};
use domain::error::{Conflict, Error, Resource, Result};

use crate::errors::{is_unique_violation, storage};
use crate::rows::contract::ContractRow;
use crate::schema::{contract_audit, contract_offer_periods, contracts};
use crate::tx::PgTx;

/// Name of the partial unique index that keeps one live contract per line.
pub(crate) const LIVE_SUBSCRIBER_INDEX: &str = "contracts_live_subscriber";

/// A snapshot as a JSON object of strings.
pub(crate) fn fields_json(fields: &Fields) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect(),
    )
}

/// A stored JSON object back into a snapshot (read back by the audit listing) (non-string values are kept as JSON text).
#[allow(dead_code)]
pub(crate) fn json_fields(value: serde_json::Value) -> Fields {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => (k, s),
                other => (k, other.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl ContractRepository for PgTx<'_> {
    fn find(&mut self, id: &str) -> Result<Option<Contract>> {
        contracts::table
            .find(id)
            .select(ContractRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ContractRow::into_domain)
            .transpose()
    }

    fn any_for_offer(&mut self, offer_id: &str) -> Result<bool> {
        let current = diesel::select(exists(
            contracts::table.filter(contracts::offer_id.eq(offer_id)),
        ));
        let past = diesel::select(exists(
            contract_offer_periods::table.filter(contract_offer_periods::offer_id.eq(offer_id)),
        ));
        Ok(current.get_result::<bool>(self.conn).map_err(storage)?
            || past.get_result::<bool>(self.conn).map_err(storage)?)
    }

    fn find_for_update(&mut self, id: &str) -> Result<Option<Contract>> {
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
        let changed = diesel::update(contracts::table.find(&contract.id))
            .set(&row)
            .execute(self.conn)
            .map_err(|e| {
                if is_unique_violation(&e, Some(LIVE_SUBSCRIBER_INDEX)) {
                    Error::Conflict(Conflict::ServiceIdentifierInUse)
                } else {
                    storage(e)
                }
            })?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Contract));
        }
        Ok(())
    }

    fn append_audit(&mut self, entry: &AuditEntry) -> Result<()> {
        diesel::insert_into(contract_audit::table)
            .values((
                contract_audit::id.eq(&entry.id),
                contract_audit::contract_id.eq(&entry.contract_id),
                contract_audit::at.eq(entry.at),
                contract_audit::actor_id.eq(&entry.actor_id),
                contract_audit::action.eq(&entry.action),
                contract_audit::before.eq(entry.before.as_ref().map(fields_json)),
                contract_audit::after.eq(entry.after.as_ref().map(fields_json)),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn list_by_client(&mut self, client_id: &str) -> Result<Vec<Contract>> {
        contracts::table
            .filter(contracts::client_id.eq(client_id))
            .order(contracts::id.asc())
            .select(ContractRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ContractRow::into_domain)
            .collect()
    }
}
