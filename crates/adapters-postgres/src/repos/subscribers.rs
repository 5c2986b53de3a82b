//! `SubscriberRepository` on PostgreSQL.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use domain::clients::{Subscriber, SubscriberFilter, SubscriberRepository};
use domain::error::{Conflict, Error, Resource, Result};
use domain::page::PageRequest;
use domain::service_type::ServiceType;
use domain::typed_ids::{ClientId, SubscriberId};

use crate::errors::{is_foreign_key_violation, storage, unique_or_storage};
use crate::rows::subscriber::SubscriberRow;
use crate::schema::subscribers;
use crate::tx::PgTx;

/// The unique constraint on `(service_type, service_identifier)`.
const LINE_KEY: &str = "subscribers_service_type_service_identifier_key";

type Condition = Box<dyn BoxableExpression<subscribers::table, Pg, SqlType = Bool>>;

fn line_conflict(error: diesel::result::Error) -> Error {
    unique_or_storage(error, LINE_KEY, Conflict::ServiceIdentifierExists)
}

impl SubscriberRepository for PgTx<'_> {
    fn find(&mut self, id: &SubscriberId) -> Result<Option<Subscriber>> {
        let id = id.as_str();
        subscribers::table
            .find(id)
            .select(SubscriberRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(SubscriberRow::into_domain)
            .transpose()
    }

    fn find_many(&mut self, ids: &[SubscriberId]) -> Result<Vec<Subscriber>> {
        let ids: Vec<&str> = ids.iter().map(SubscriberId::as_str).collect();
        subscribers::table
            .filter(subscribers::id.eq_any(ids))
            .select(SubscriberRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(SubscriberRow::into_domain)
            .collect()
    }

    fn insert(&mut self, subscriber: &Subscriber) -> Result<()> {
        diesel::insert_into(subscribers::table)
            .values(SubscriberRow::from_domain(subscriber))
            .execute(self.conn)
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::NotFound(Resource::Client)
                } else {
                    line_conflict(e)
                }
            })?;
        Ok(())
    }

    fn update(&mut self, subscriber: &Subscriber) -> Result<()> {
        let changed = diesel::update(subscribers::table.find(subscriber.id.as_str()))
            .set(SubscriberRow::from_domain(subscriber))
            .execute(self.conn)
            .map_err(line_conflict)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Subscriber));
        }
        Ok(())
    }

    fn delete_for_client(&mut self, client_id: &ClientId) -> Result<()> {
        let client_id = client_id.as_str();
        diesel::delete(subscribers::table.filter(subscribers::client_id.eq(client_id)))
            .execute(self.conn)
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::Conflict(Conflict::ClientDeleteBlocked)
                } else {
                    storage(e)
                }
            })?;
        Ok(())
    }

    fn list(&mut self, filter: &SubscriberFilter, page: &PageRequest) -> Result<Vec<Subscriber>> {
        let mut query = subscribers::table.into_boxed();
        if let Some(client_id) = &filter.client_id {
            query = query.filter(subscribers::client_id.eq(client_id.as_str()));
        }
        if let Some(service_type) = filter.service_type {
            query = query.filter(subscribers::service_type.eq(service_type.as_str()));
        }
        if let Some(lines) = &filter.lines {
            // (type, identifier) pairs, so each one is a lookup in the unique index.
            let mut any: Condition = Box::new(diesel::dsl::sql::<Bool>("FALSE"));
            for (service_type, identifier) in lines {
                let line = subscribers::service_type
                    .eq(service_type.as_str())
                    .and(subscribers::service_identifier.eq(identifier.as_str().to_owned()));
                any = Box::new(any.or(line));
            }
            query = query.filter(any);
        }
        if let Some(after) = page.after() {
            query = query.filter(subscribers::id.gt(after.to_owned()));
        }
        query
            .order(subscribers::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .select(SubscriberRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(SubscriberRow::into_domain)
            .collect()
    }

    // --- Used by contract provisioning. ---

    fn find_by_line(
        &mut self,
        service_type: ServiceType,
        service_identifier: &str,
    ) -> Result<Option<Subscriber>> {
        subscribers::table
            .filter(subscribers::service_type.eq(service_type.as_str()))
            .filter(subscribers::service_identifier.eq(service_identifier))
            .select(SubscriberRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(SubscriberRow::into_domain)
            .transpose()
    }

    fn insert_or_get(&mut self, subscriber: &Subscriber) -> Result<Subscriber> {
        // ON CONFLICT DO NOTHING waits for a concurrent inserter of the same line and then
        // skips without an error, so the transaction stays usable; the next statement sees
        // the committed line (READ COMMITTED).
        diesel::insert_into(subscribers::table)
            .values(SubscriberRow::from_domain(subscriber))
            .on_conflict((subscribers::service_type, subscribers::service_identifier))
            .do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        self.find_by_line(
            subscriber.service_type,
            subscriber.service_identifier.as_str(),
        )?
        .ok_or(Error::NotFound(Resource::Subscriber))
    }
}
