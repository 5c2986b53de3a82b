//! `ClientRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::clients::{Client, ClientRepository};
use domain::error::Result;

use crate::errors::storage;
use crate::rows::client::ClientRow;
use crate::schema::clients;
use crate::tx::PgTx;

impl ClientRepository for PgTx<'_> {
    fn find(&mut self, id: &str) -> Result<Option<Client>> {
        clients::table
            .find(id)
            .select(ClientRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ClientRow::into_domain)
            .transpose()
    }

    fn find_by_cin(&mut self, cin: &str) -> Result<Option<Client>> {
        clients::table
            .filter(clients::cin.eq(cin))
            .select(ClientRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ClientRow::into_domain)
            .transpose()
    }
}
