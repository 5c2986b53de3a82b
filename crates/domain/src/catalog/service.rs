//! Use cases of the catalog (P1, P2): create, read, list, update, delete offers, and the
//! catalog grouped by service family.

use std::sync::Arc;

use super::{Offer, OfferCategory, OfferFields, OfferFilter, OfferInput, OfferStatus};
use crate::clock::Clock;
use crate::error::{Conflict, Error, Resource, Result, RuleViolation};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::OfferId;

/// Offer management.
#[derive(Clone)]
pub struct CatalogService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl CatalogService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
        }
    }

    /// Creates an offer. `Validation` naming each bad field; `Conflict::OfferCodeExists`.
    pub fn create_offer(&self, input: &OfferInput) -> Result<Offer> {
        let fields = input.validate()?;
        transaction(self.tx.as_ref(), |uow| {
            self.create_offer_in(uow, fields.clone())
        })
    }

    /// `create_offer` with already validated fields, inside an existing unit of work.
    pub fn create_offer_in(&self, uow: &mut dyn UnitOfWork, fields: OfferFields) -> Result<Offer> {
        let now = self.clock.now();
        let offer = build(OfferId::generate(self.ids.as_ref()), fields, now, now);
        uow.offers().insert(&offer)?;
        Ok(offer)
    }

    /// The offer with this id; `NotFound(Offer)` when unknown.
    pub fn get_offer(&self, id: &OfferId) -> Result<Offer> {
        read(self.tx.as_ref(), |uow| get_offer_in(uow, id))
    }

    /// One page of the offers matching `filter`, ordered by id.
    pub fn list_offers(&self, filter: &OfferFilter, page: &PageRequest) -> Result<Page<Offer>> {
        let rows = read(self.tx.as_ref(), |uow| uow.offers().list(filter, page))?;
        Ok(Page::from_fetched(rows, page, |o| o.id.as_str()))
    }

    /// Replaces every field of an offer (omitted optional fields take their defaults).
    /// Contracts keep the price they were signed at: nothing but the offer row changes, so a
    /// new price applies to contracts signed afterwards only. Once any contract referenced
    /// the offer its service type is fixed (`Rule(ServiceTypeMismatch)`), since contracts and
    /// their lines belong to that family.
    pub fn update_offer(&self, id: &OfferId, input: &OfferInput) -> Result<Offer> {
        let fields = input.validate()?;
        transaction(self.tx.as_ref(), |uow| {
            let current = get_offer_in(uow, id)?;
            if fields.service_type != current.service_type && uow.contracts().any_for_offer(id)? {
                return Err(RuleViolation::ServiceTypeMismatch.into());
            }
            let offer = build(
                current.id,
                fields.clone(),
                current.created_at,
                self.clock.now(),
            );
            uow.offers().update(&offer)?;
            Ok(offer)
        })
    }

    /// Deletes an offer no contract ever referenced; otherwise
    /// `Conflict::OfferDeleteBlocked` (retire it instead). `NotFound(Offer)` when unknown.
    pub fn delete_offer(&self, id: &OfferId) -> Result<()> {
        transaction(self.tx.as_ref(), |uow| {
            get_offer_in(uow, id)?;
            if uow.contracts().any_for_offer(id)? {
                return Err(Conflict::OfferDeleteBlocked.into());
            }
            uow.offers().delete(id)
        })
    }

    /// The catalog grouped by service type: every type, with its offers (all of them, or only
    /// those in `status`) ordered by code.
    pub fn categories(&self, status: Option<OfferStatus>) -> Result<Vec<OfferCategory>> {
        let filter = OfferFilter {
            status,
            ..OfferFilter::default()
        };
        let offers = read(self.tx.as_ref(), |uow| uow.offers().all(&filter))?;
        Ok(OfferCategory::group(offers))
    }
}

/// The offer with this id inside an existing unit of work; `NotFound(Offer)` when unknown.
pub fn get_offer_in(uow: &mut dyn UnitOfWork, id: &OfferId) -> Result<Offer> {
    uow.offers()
        .find(id)?
        .ok_or(Error::NotFound(Resource::Offer))
}

fn build(
    id: OfferId,
    fields: OfferFields,
    created_at: time::OffsetDateTime,
    updated_at: time::OffsetDateTime,
) -> Offer {
    Offer {
        id,
        code: fields.code,
        name: fields.name,
        description: fields.description,
        service_type: fields.service_type,
        monthly_price: fields.monthly_price,
        currency: fields.currency,
        tax_rate_bp: fields.tax_rate_bp,
        commitment_months: fields.commitment_months,
        status: fields.status,
        usage: fields.usage,
        created_at,
        updated_at,
    }
}
