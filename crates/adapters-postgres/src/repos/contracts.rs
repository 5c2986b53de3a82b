//! `ContractRepository` on PostgreSQL.

use diesel::dsl::exists;
use diesel::prelude::*;
use domain::contracts::{Contract, ContractRepository};
use domain::error::Result;

use crate::errors::storage;
use crate::rows::contract::ContractRow;
use crate::schema::{contract_offer_periods, contracts};
use crate::tx::PgTx;

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
}
