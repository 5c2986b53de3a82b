//! `OfferRepository` on PostgreSQL.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use domain::catalog::{Offer, OfferFilter, OfferRepository};
use domain::error::{Conflict, Error, Resource, Result};
use domain::page::PageRequest;
use domain::typed_ids::OfferId;

use super::like;
use crate::errors::{is_foreign_key_violation, storage, unique_or_storage};
use crate::rows::offer::OfferRow;
use crate::schema::offers;
use crate::tx::PgTx;

/// The unique constraint on `offers.code`.
const CODE_KEY: &str = "offers_code_key";

type OfferQuery<'a> = offers::BoxedQuery<'a, diesel::pg::Pg, offers::SqlType>;

fn code_conflict(error: diesel::result::Error) -> Error {
    unique_or_storage(error, CODE_KEY, Conflict::OfferCodeExists)
}

/// `offers` restricted by `filter`.
fn filtered(filter: &OfferFilter) -> OfferQuery<'static> {
    let mut query = offers::table.into_boxed();
    if let Some(service_type) = filter.service_type {
        query = query.filter(offers::service_type.eq(service_type.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(offers::status.eq(status.as_str()));
    }
    if let Some(q) = &filter.q {
        // The catalog is small (hundreds of rows): a scan is cheaper than an index here.
        query = query.filter(
            sql::<Bool>("lower(code || ' ' || name) LIKE '%' || lower(")
                .bind::<Text, _>(like::escape(q))
                .sql(") || '%'"),
        );
    }
    query
}

impl OfferRepository for PgTx<'_> {
    fn find(&mut self, id: &OfferId) -> Result<Option<Offer>> {
        offers::table
            .find(id.as_str())
            .select(OfferRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(OfferRow::into_domain)
            .transpose()
    }

    fn insert(&mut self, offer: &Offer) -> Result<()> {
        diesel::insert_into(offers::table)
            .values(OfferRow::from_domain(offer))
            .execute(self.conn)
            .map_err(code_conflict)?;
        Ok(())
    }

    fn update(&mut self, offer: &Offer) -> Result<()> {
        let changed = diesel::update(offers::table.find(offer.id.as_str()))
            .set(OfferRow::from_domain(offer))
            .execute(self.conn)
            .map_err(code_conflict)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::Offer));
        }
        Ok(())
    }

    fn delete(&mut self, id: &OfferId) -> Result<()> {
        let deleted = diesel::delete(offers::table.find(id.as_str()))
            .execute(self.conn)
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    Error::Conflict(Conflict::OfferDeleteBlocked)
                } else {
                    storage(e)
                }
            })?;
        if deleted == 0 {
            return Err(Error::NotFound(Resource::Offer));
        }
        Ok(())
    }

    fn list(&mut self, filter: &OfferFilter, page: &PageRequest) -> Result<Vec<Offer>> {
        let mut query = filtered(filter);
        if let Some(after) = page.after() {
            query = query.filter(offers::id.gt(after.to_owned()));
        }
        query
            .order(offers::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .select(OfferRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(OfferRow::into_domain)
            .collect()
    }

    fn all(&mut self, filter: &OfferFilter) -> Result<Vec<Offer>> {
        filtered(filter)
            .order((offers::code, offers::id))
            .select(OfferRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(OfferRow::into_domain)
            .collect()
    }
}
