//! `ClientRepository` on PostgreSQL.

use diesel::dsl::{exists, sql};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use domain::clients::{Client, ClientAuditEntry, ClientFilter, ClientRepository};
use domain::error::{Conflict, Error, Resource, Result};
use domain::page::PageRequest;
use domain::typed_ids::ClientId;

use super::like;
use crate::errors::{is_foreign_key_violation, is_unique_violation, storage, unique_or_storage};
use crate::rows::client::{ClientAuditRow, ClientRow};
use crate::schema::{client_audit, clients, collection_cases, contracts, invoices, payments};
use crate::tx::PgTx;

/// The unique constraint on `clients.cin`.
const CIN_KEY: &str = "clients_cin_key";
/// The unique constraint on `clients.ice`.
const ICE_KEY: &str = "clients_ice_key";

/// The expression of the trigram index `clients_search_trgm`, character for character: the
/// planner uses an expression index only for the same expression, so `q` filters on exactly
/// this (see docs/decisions/0014-client-search-trigram-index.md).
pub(crate) const SEARCH_EXPRESSION: &str = "lower(coalesce(first_name, '') || ' ' || \
     coalesce(last_name, '') || ' ' || coalesce(cin, '') \
     || ' ' || coalesce(company_name, '') || ' ' || coalesce(ice, '') \
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
    if let Some(ice) = &filter.ice {
        query = query.filter(clients::ice.eq(ice.as_str().to_owned()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(clients::kind.eq(kind.as_str()));
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

/// A duplicate CIN or ICE as its conflict; anything else a storage fault.
fn identity_conflict(error: diesel::result::Error) -> Error {
    if is_unique_violation(&error, Some(ICE_KEY)) {
        return Error::Conflict(Conflict::IceAlreadyExists);
    }
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
        // A person's CIN or a company's ICE: each is unique among its kind, and the shapes
        // (letters and digits; 15 digits) never collide, so at most one client answers.
        clients::table
            .filter(clients::cin.eq(identifier).or(clients::ice.eq(identifier)))
            .select(ClientRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(ClientRow::into_domain)
            .transpose()
    }

    fn insert(&mut self, client: &Client) -> Result<()> {
        diesel::insert_into(clients::table)
            .values(ClientRow::from_domain(client))
            .execute(self.conn)
            .map_err(identity_conflict)?;
        Ok(())
    }

    fn update(&mut self, client: &Client) -> Result<()> {
        let changed = diesel::update(clients::table.find(client.id.as_str()))
            .set(ClientRow::from_domain(client))
            .execute(self.conn)
            .map_err(identity_conflict)?;
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

    fn append_audit(&mut self, entry: &ClientAuditEntry) -> Result<()> {
        diesel::insert_into(client_audit::table)
            .values(ClientAuditRow::from_domain(entry))
            .execute(self.conn)
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::NotFound(Resource::Client)
                } else {
                    storage(e)
                }
            })?;
        Ok(())
    }

    fn audit_trail(&mut self, id: &ClientId) -> Result<Vec<ClientAuditEntry>> {
        // Ids break ties between entries of one instant (they are monotonic in a process).
        let rows: Vec<ClientAuditRow> = client_audit::table
            .filter(client_audit::client_id.eq(id.as_str()))
            .order((client_audit::at, client_audit::id))
            .select(ClientAuditRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        rows.into_iter().map(ClientAuditRow::into_domain).collect()
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
