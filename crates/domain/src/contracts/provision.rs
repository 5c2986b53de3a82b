//! Contract creation: provisioning with automatic line management (P4) and the manual path
//! from explicit ids (P5). Both end in `open_contract`.

use time::Date;

use super::audit::{contract_snapshot, AuditAction};
use super::commands::parse_date;
use super::paperwork::Parties;
use super::service::ContractService;
use super::{
    commitment_end_date, Contract, ContractStatus, NewContract, OfferPeriod, ProvisionContract,
    ProvisionedContract, ProvisioningIntent,
};
use crate::catalog::{Offer, OfferStatus};
use crate::clients::{Client, ClientStatus, ServiceIdentifier, Subscriber};
use crate::error::{Conflict, Error, Resource, Result, RuleViolation, Validator};
use crate::events::{record_all, EventPayload};
use crate::numbering::format_number;
use crate::tx::UnitOfWork;
use crate::typed_ids::{ClientId, ContractId, OfferId, SubscriberId};

/// Prefix and sequence name of contract numbers (`CTR-2026-000001`).
pub const CONTRACT_NUMBER_PREFIX: &str = "CTR";

/// Longest commitment (months), as the schema allows.
const MAX_COMMITMENT_MONTHS: i32 = 120;

impl ContractService {
    /// P4 inside the caller's transaction (the landing's P8 subscription calls it inside its
    /// idempotent transaction). The line is found or created here, so a failure leaves
    /// neither line nor contract behind.
    ///
    /// Errors: `NotFound(Offer | Client)`; `Validation` on `contract_start_date`,
    /// `commitment_months`, `provisioning_intent`, `subscriber.service_identifier`;
    /// `Rule(OfferRetired | ClientInactive | SubscriberNotFoundForClient)`;
    /// `Conflict(ServiceIdentifierExists | ServiceIdentifierInUse)`.
    pub fn provision_in(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        command: &ProvisionContract,
    ) -> Result<ProvisionedContract> {
        let offer = find_offer(uow, &command.offer_id)?;
        let client = find_client(uow, &command.client_id)?;
        let mut v = Validator::new();
        let start = v.check(
            "contract_start_date",
            self.start_date(&command.contract_start_date),
        );
        let months = v.check(
            "commitment_months",
            commitment_months(command.commitment_months, &offer),
        );
        let intent = v.check(
            "provisioning_intent",
            command
                .provisioning_intent
                .as_deref()
                .map_or(Ok(ProvisioningIntent::Auto), ProvisioningIntent::parse),
        );
        let identifier = v.check(
            "subscriber.service_identifier",
            ServiceIdentifier::parse(offer.service_type, &command.service_identifier),
        );
        let (((start, months), intent), identifier) =
            v.finish_with(start.zip(months).zip(intent).zip(identifier))?;
        ensure_sellable(&offer)?;
        ensure_active(&client)?;
        let (subscriber, subscriber_created) =
            self.resolve_line(uow, &client, &offer, identifier, intent)?;
        let parties = Parties { client, subscriber };
        let contract = self.open_contract(
            uow,
            actor_id,
            &parties,
            &offer,
            (start, months),
            ContractStatus::Active,
        )?;
        Ok(ProvisionedContract {
            contract,
            subscriber: parties.subscriber,
            subscriber_created,
        })
    }

    /// P5 inside the caller's transaction.
    ///
    /// Errors: `NotFound(Offer | Client | Subscriber)`; `Validation` on
    /// `contract_start_date`, `commitment_months`, `status`;
    /// `Rule(OfferRetired | ClientInactive | SubscriberNotOwned | ServiceTypeMismatch)`;
    /// `Conflict(ServiceIdentifierInUse)`.
    pub fn create_in(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        command: &NewContract,
    ) -> Result<Contract> {
        let offer = find_offer(uow, &command.offer_id)?;
        let client = find_client(uow, &command.client_id)?;
        let subscriber = find_subscriber(uow, &command.subscriber_id)?;
        let mut v = Validator::new();
        let start = v.check(
            "contract_start_date",
            self.start_date(&command.contract_start_date),
        );
        let months = v.check(
            "commitment_months",
            commitment_months(command.commitment_months, &offer),
        );
        let status = v.check(
            "status",
            command
                .status
                .as_deref()
                .map_or(Ok(ContractStatus::Active), initial_status),
        );
        let ((start, months), status) = v.finish_with(start.zip(months).zip(status))?;
        ensure_sellable(&offer)?;
        ensure_active(&client)?;
        if subscriber.client_id != client.id {
            return Err(RuleViolation::SubscriberNotOwned.into());
        }
        if subscriber.service_type != offer.service_type {
            return Err(RuleViolation::ServiceTypeMismatch.into());
        }
        let parties = Parties { client, subscriber };
        self.open_contract(uow, actor_id, &parties, &offer, (start, months), status)
    }

    /// `contract_start_date`: inside the business-date window (back-dating to 2000 is
    /// allowed, e.g. to record legacy contracts).
    fn start_date(&self, raw: &str) -> Result<Date, String> {
        self.date_window().check(parse_date(raw)?)
    }

    /// The line for this identifier according to `intent`, and whether it was created now.
    fn resolve_line(
        &self,
        uow: &mut dyn UnitOfWork,
        client: &Client,
        offer: &Offer,
        identifier: ServiceIdentifier,
        intent: ProvisioningIntent,
    ) -> Result<(Subscriber, bool)> {
        if let Some(line) = uow
            .subscribers()
            .find_by_line(offer.service_type, identifier.as_str())?
        {
            return accept_existing(uow, line, client, intent).map(|line| (line, false));
        }
        if intent == ProvisioningIntent::ExistingSubscriber {
            return Err(RuleViolation::SubscriberNotFoundForClient.into());
        }
        let now = self.clock.now();
        let fresh = Subscriber {
            id: SubscriberId::generate(self.ids.as_ref()),
            client_id: client.id.clone(),
            service_type: offer.service_type,
            service_identifier: identifier,
            created_at: now,
            updated_at: now,
        };
        let stored = uow.subscribers().insert_or_get(&fresh)?;
        if stored.id == fresh.id {
            Ok((stored, true))
        } else {
            // A concurrent request created the line first: judge it like any existing line.
            accept_existing(uow, stored, client, intent).map(|line| (line, false))
        }
    }

    /// Stores a new contract on `parties.subscriber` with its first offer period, audit entry
    /// and document version 1.
    fn open_contract(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        parties: &Parties,
        offer: &Offer,
        (start, months): (Date, i32),
        status: ContractStatus,
    ) -> Result<Contract> {
        // Checked here for a clear answer; the unique index catches concurrent requests.
        if uow
            .contracts()
            .live_for_subscriber(&parties.subscriber.id)?
            .is_some()
        {
            return Err(Conflict::ServiceIdentifierInUse.into());
        }
        let now = self.clock.now();
        let year = self.clock.today().year();
        let number = uow.sequences().reserve(CONTRACT_NUMBER_PREFIX, year, 1)?;
        let contract = Contract {
            id: ContractId::generate(self.ids.as_ref()),
            contract_number: format_number(CONTRACT_NUMBER_PREFIX, year, number),
            client_id: parties.client.id.clone(),
            subscriber_id: parties.subscriber.id.clone(),
            offer_id: offer.id.clone(),
            service_type: offer.service_type,
            status,
            contract_start_date: start,
            commitment_months: months,
            commitment_end_date: commitment_end_date(start, months),
            monthly_price: offer.monthly_price,
            currency: offer.currency.clone(),
            tax_rate_bp: offer.tax_rate_bp,
            termination_date: None,
            document_version: 1,
            suspended_by_dunning: false,
            created_at: now,
            updated_at: now,
        };
        uow.contracts().insert(&contract)?;
        let period = OfferPeriod {
            offer_id: offer.id.clone(),
            monthly_price: offer.monthly_price,
            tax_rate_bp: offer.tax_rate_bp,
            start_date: start,
            end_date: None,
            usage: offer.usage,
        };
        uow.contracts()
            .insert_offer_period(&contract.id, &period, now)?;
        self.audit(
            uow,
            actor_id,
            &contract.id,
            AuditAction::Created,
            None,
            Some(contract_snapshot(&contract)),
        )?;
        self.issue_document(uow, actor_id, &contract, parties, offer, start)?;
        // A contract born active is also activated: a provisioning system opens the line on
        // `contract.activated` whichever way the contract got there.
        let mut payloads = vec![EventPayload::ContractCreated(contract.clone())];
        if contract.status == ContractStatus::Active {
            payloads.push(EventPayload::ContractActivated(contract.clone()));
        }
        record_all(
            uow,
            self.ids.as_ref(),
            contract.created_at,
            Some(actor_id),
            payloads,
        )?;
        Ok(contract)
    }
}

/// An existing line is usable when the intent allows reuse and the client owns it.
fn accept_existing(
    uow: &mut dyn UnitOfWork,
    line: Subscriber,
    client: &Client,
    intent: ProvisioningIntent,
) -> Result<Subscriber> {
    match intent {
        ProvisioningIntent::NewSubscriber => Err(Conflict::ServiceIdentifierExists.into()),
        ProvisioningIntent::ExistingSubscriber if line.client_id != client.id => {
            Err(RuleViolation::SubscriberNotFoundForClient.into())
        }
        ProvisioningIntent::Auto if line.client_id != client.id => {
            // Another client's number: in use while a live contract holds it, else still
            // registered to that client.
            if uow.contracts().live_for_subscriber(&line.id)?.is_some() {
                Err(Conflict::ServiceIdentifierInUse.into())
            } else {
                Err(Conflict::ServiceIdentifierExists.into())
            }
        }
        _ => Ok(line),
    }
}

/// `commitment_months`, or the offer's default: 0 to 120.
fn commitment_months(requested: Option<i32>, offer: &Offer) -> Result<i32, String> {
    let months = requested.unwrap_or(offer.commitment_months);
    if (0..=MAX_COMMITMENT_MONTHS).contains(&months) {
        Ok(months)
    } else {
        Err(format!("must be 0 to {MAX_COMMITMENT_MONTHS} months"))
    }
}

/// The manual path creates `pending` or `active` contracts only.
fn initial_status(raw: &str) -> Result<ContractStatus, String> {
    match ContractStatus::parse(raw)? {
        status @ (ContractStatus::Pending | ContractStatus::Active) => Ok(status),
        _ => Err("a new contract is pending or active".into()),
    }
}

/// Retired offers are no longer sold (shared with the offer change).
pub(super) fn ensure_sellable(offer: &Offer) -> Result<()> {
    match offer.status {
        OfferStatus::Active => Ok(()),
        OfferStatus::Retired => Err(RuleViolation::OfferRetired.into()),
    }
}

fn ensure_active(client: &Client) -> Result<()> {
    match client.status {
        ClientStatus::Active => Ok(()),
        ClientStatus::Inactive => Err(RuleViolation::ClientInactive.into()),
    }
}

/// The offer, or `NotFound(Offer)` (a malformed id is simply not found).
pub(super) fn find_offer(uow: &mut dyn UnitOfWork, offer_id: &str) -> Result<Offer> {
    let id = OfferId::parse(offer_id).map_err(|_| Error::NotFound(Resource::Offer))?;
    uow.offers()
        .find(&id)?
        .ok_or(Error::NotFound(Resource::Offer))
}

fn find_client(uow: &mut dyn UnitOfWork, client_id: &str) -> Result<Client> {
    let id = ClientId::parse(client_id).map_err(|_| Error::NotFound(Resource::Client))?;
    uow.clients()
        .find(&id)?
        .ok_or(Error::NotFound(Resource::Client))
}

fn find_subscriber(uow: &mut dyn UnitOfWork, subscriber_id: &str) -> Result<Subscriber> {
    let id =
        SubscriberId::parse(subscriber_id).map_err(|_| Error::NotFound(Resource::Subscriber))?;
    uow.subscribers()
        .find(&id)?
        .ok_or(Error::NotFound(Resource::Subscriber))
}
