//! `ClientRepository` on PostgreSQL.

use diesel::dsl::{exists, sql};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use domain::clients::{Client, ClientFilter, ClientRepository};
use domain::error::{Conflict, Error, Resource, Result};
use domain::page::PageRequest;
use domain::typed_ids::ClientId;

use super::like;
use crate::errors::{is_foreign_key_violation, storage, unique_or_storage};
use crate::rows::client::ClientRow;
use crate::schema::{clients, collection_cases, contracts, invoices, payments};
use crate::tx::PgTx;

/// The unique constraint on `clients.cin`.
const CIN_KEY: &str = "clients_cin_key";

/// The expression of the trigram index `clients_search_trgm`, character for character: the
/// planner uses an expression index only for the same expression, so `q` filters on exactly
/// this (see docs/decisions/0014-client-search-trigram-index.md).
pub(crate) const SEARCH_EXPRESSION: &str = "lower(first_name || ' ' || last_name || ' ' || cin \
     || ' ' || coalesce(phone, '') || ' ' || coalesce(email, ''))";

/// The query behind `ClientRepository::list`: `filter`, keyset page, ordered by id. Shared
/// with [`super::explain`], so the plan checked there is the plan of the real query.
pub(crate) fn list_query(
    filter: &ClientFilter,
    page: &PageRequest,
) -> clients::BoxedQuery<'static, Pg> {
    let mut query = clients::table.into_boxed();
    if let Some(q) = &filter.q {
        let matches = format!("{SEARCH_EXPRESSION} LIKE '%' || lower(");
        query = query.filter(
            sql::<Bool>(&matches)
                .bind::<Text, _>(like::escape(q))
                .sql(") || '%'"),
        );
    }
    if let Some(cin) = &filter.cin {
        query = query.filter(clients::cin.eq(cin.as_str().to_owned()));
    }
    if let Some(status) = filter.status {
        query = query.filter(clients::status.eq(status.as_str()));
    }
    if let Some(after) = page.after() {
        query = query.filter(clients::id.gt(after.to_owned()));
    }
    query
        .order(clients::id)
        .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
}

fn cin_conflict(error: diesel::result::Error) -> Error {
    unique_or_storage(error, CIN_KEY, Conflict::CinAlreadyExists)
}

impl ClientRepository for PgTx<'_> {
    fn find(&mut self, id: &ClientId) -> Result<Option<Client>> {
        let id = id.as_str();
        clients::table
            .find(id)
            .select(ClientRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ClientRow::into_domain)
            .transpose()
    }

    fn find_many(&mut self, ids: &[ClientId]) -> Result<Vec<Client>> {
        let ids: Vec<&str> = ids.iter().map(ClientId::as_str).collect();
        clients::table
            .filter(clients::id.eq_any(ids))
            .select(ClientRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ClientRow::into_domain)
            .collect()
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

    fn find_by_identity(&mut self, identifier: &str) -> Result<Option<Client>> {
        // Company clients (ICE) are not stored yet: a CIN is the only identity to match.
        self.find_by_cin(identifier)
    }

    fn insert(&mut self, client: &Client) -> Result<()> {
        diesel::insert_into(clients::table)
            .values(ClientRow::from_domain(client))
            .execute(self.conn)
            .map_err(cin_conflict)?;
        Ok(())
    }

    fn update(&mut self, client: &Client) -> Result<()> {
        let changed = diesel::update(clients::table.find(client.id.as_str()))
            .set(ClientRow::from_domain(client))
            .execute(self.conn)
            .map_err(cin_conflict)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Client));
        }
        Ok(())
    }

    fn delete(&mut self, id: &ClientId) -> Result<()> {
        let id = id.as_str();
        let deleted = diesel::delete(clients::table.find(id))
            .execute(self.conn)
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::Conflict(Conflict::ClientDeleteBlocked)
                } else {
                    storage(e)
                }
            })?;
        if deleted == 0 {
            return Err(Error::NotFound(Resource::Client));
        }
        Ok(())
    }

    fn has_history(&mut self, id: &ClientId) -> Result<bool> {
        let id = id.as_str();
        let history = diesel::select(
            exists(contracts::table.filter(contracts::client_id.eq(id)))
                .or(exists(invoices::table.filter(invoices::client_id.eq(id))))
                .or(exists(payments::table.filter(payments::client_id.eq(id))))
                .or(exists(
                    collection_cases::table.filter(collection_cases::client_id.eq(id)),
                )),
        );
        history.get_result(self.conn).map_err(storage)
    }

    fn list(&mut self, filter: &ClientFilter, page: &PageRequest) -> Result<Vec<Client>> {
        list_query(filter, page)
            .select(ClientRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(ClientRow::into_domain)
            .collect()
    }
}
