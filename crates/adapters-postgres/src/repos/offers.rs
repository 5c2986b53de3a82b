//! `OfferRepository` on PostgreSQL.

use diesel::prelude::*;
use domain::catalog::{Offer, OfferRepository};
use domain::error::Result;

use crate::errors::storage;
use crate::rows::offer::OfferRow;
use crate::schema::offers;
use crate::tx::PgTx;

impl OfferRepository for PgTx<'_> {
    fn find(&mut self, id: &str) -> Result<Option<Offer>> {
        offers::table
            .find(id)
            .select(OfferRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(OfferRow::into_domain)
            .transpose()
    }

    fn list_active(&mut self) -> Result<Vec<Offer>> {
        offers::table
            .filter(offers::status.eq("active"))
            .order((offers::monthly_price.asc(), offers::id.asc()))
            .select(OfferRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(OfferRow::into_domain)
            .collect()
    }
}
