//! `SubscriberRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::clients::{Subscriber, SubscriberRepository};
use domain::error::{Error, Resource, Result};
use domain::service_type::ServiceType;

use crate::errors::storage;
use crate::rows::subscriber::SubscriberRow;
use crate::schema::subscribers;
use crate::tx::PgTx;

impl SubscriberRepository for PgTx<'_> {
    fn find(&mut self, id: &str) -> Result<Option<Subscriber>> {
        subscribers::table
            .find(id)
            .select(SubscriberRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(SubscriberRow::into_domain)
            .transpose()
    }

    // --- Used by contract provisioning (feat/contracts). ---

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
