//! The contract document: what a version states, its rendering and immutable storage.

use time::Date;

use super::audit::{fields, AuditAction};
use super::service::ContractService;
use super::Contract;
use crate::catalog::Offer;
use crate::clients::{Client, Subscriber};
use crate::documents::ContractDocument;
use crate::error::{Error, Resource, Result};
use crate::money::incl_tax;
use crate::parties::BuyerIdentity;
use crate::tx::UnitOfWork;

/// The parties and line a document names, loaded once per use case.
pub(super) struct Parties {
    pub client: Client,
    pub subscriber: Subscriber,
}

impl Parties {
    /// Loads the contract's client and line (a contract always has both).
    pub fn load(uow: &mut dyn UnitOfWork, contract: &Contract) -> Result<Parties> {
        let client = uow
            .clients()
            .find(&contract.client_id)?
            .ok_or(Error::NotFound(Resource::Client))?;
        let subscriber = uow
            .subscribers()
            .find(&contract.subscriber_id)?
            .ok_or(Error::NotFound(Resource::Subscriber))?;
        Ok(Parties { client, subscriber })
    }
}

impl ContractService {
    /// What version `contract.document_version` of the contract states; `effective_date` is
    /// the first day of this version (the start date, or the day of an offer change).
    pub(super) fn document_facts(
        &self,
        contract: &Contract,
        parties: &Parties,
        offer: &Offer,
        effective_date: Date,
    ) -> ContractDocument {
        let buyer = BuyerIdentity::of(&parties.client);
        ContractDocument {
            seller: self.settings.seller.clone(),
            contract_number: contract.contract_number.clone(),
            version: contract.document_version,
            issued_on: self.clock.today(),
            client_address: buyer.postal_address(),
            cin: buyer.cin.clone().unwrap_or_default(),
            buyer_ice: buyer.ice.clone(),
            client_name: buyer.name,
            service_type: contract.service_type.as_str().to_owned(),
            service_identifier: parties.subscriber.service_identifier.as_str().to_owned(),
            offer_code: offer.code.as_str().to_owned(),
            offer_name: offer.name.clone(),
            monthly_price_excl_tax: contract.monthly_price.centimes(),
            tax_rate_bp: contract.tax_rate_bp,
            monthly_price_incl_tax: incl_tax(
                contract.monthly_price.centimes(),
                contract.tax_rate_bp,
            ),
            currency: contract.currency.clone(),
            start_date: effective_date,
            commitment_months: contract.commitment_months,
            commitment_end_date: contract.commitment_end_date,
        }
    }

    /// Renders version `contract.document_version`, stores it (never to change again) and
    /// audits it, all inside the caller's transaction: a failed rendering or storage rolls the
    /// whole change back, so no contract version exists without its document.
    pub(super) fn issue_document(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        contract: &Contract,
        parties: &Parties,
        offer: &Offer,
        effective_date: Date,
    ) -> Result<()> {
        let facts = self.document_facts(contract, parties, offer, effective_date);
        let pdf = self.renderer.contract(&facts)?;
        uow.contracts()
            .insert_document(&contract.id, facts.version, &pdf, self.clock.now())?;
        self.audit(
            uow,
            actor_id,
            &contract.id,
            AuditAction::DocumentGenerated,
            None,
            Some(fields([
                ("version", Some(facts.version.to_string())),
                ("effective_date", Some(effective_date.to_string())),
                ("offer_id", Some(offer.id.to_string())),
            ])),
        )
    }
}
