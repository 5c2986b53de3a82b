//! `SubscriberRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::clients::{Subscriber, SubscriberRepository};
use domain::error::Result;

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
}
