//! P8: a new subscription from the public form. The client is created, or the contact
//! details of the client with that CIN are updated; the contract is provisioned by the same
//! use case as P4 (`ContractService::provision_in`), in the caller's transaction.

use super::catalog::COMMITMENT_OPTIONS;
use super::{DocumentLink, LandingService};
use crate::clients::input::ClientInput;
use crate::clients::{Cin, Client, ClientFields};
use crate::contracts::{Contract, ProvisionContract};
use crate::error::{Error, Result, Validator};
use crate::tx::UnitOfWork;

/// A subscription as the public form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSubscription {
    /// The draft this submission finishes, marked `submitted` with it.
    pub draft_id: Option<String>,
    /// The client (`status` is ignored: the landing never sets it).
    pub client: ClientInput,
    /// Offer subscribed to.
    pub offer_id: String,
    /// `YYYY-MM-DD`, within provisioning's window around today.
    pub contract_start_date: String,
    /// One of [`COMMITMENT_OPTIONS`]; defaults to the offer's.
    pub commitment_months: Option<i32>,
    /// `subscriber.service_identifier`.
    pub service_identifier: String,
}

/// What a subscription produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribed {
    /// The new or updated client.
    pub client: Client,
    /// The provisioned contract (document version 1 stored).
    pub contract: Contract,
    /// A download link to its document.
    pub link: DocumentLink,
}

/// The idempotency scope of a landing write: `cin:<normalised CIN>` (the raw value,
/// trimmed and upper-cased, when it is not a CIN: that request fails validation and stores
/// nothing).
pub fn idempotency_scope(raw_cin: &str) -> String {
    match Cin::parse(raw_cin) {
        Ok(cin) => format!("cin:{cin}"),
        Err(_) => format!("cin:{}", raw_cin.trim().to_uppercase()),
    }
}

/// The audit actor of a self-service change.
pub fn landing_actor(cin: &Cin) -> String {
    format!("landing:{cin}")
}

impl LandingService {
    /// P8 inside the caller's transaction (the idempotent one of `submit/new`).
    ///
    /// Errors: `Validation` naming `client.*` and `commitment_months` (not 0, 12 or 24),
    /// then those of provisioning (`contract_start_date`, `subscriber.service_identifier`…); `NotFound(Draft)` / `Conflict(DraftAlreadySubmitted)`;
    /// `NotFound(Offer)`; `Rule(OfferRetired | ClientInactive)`;
    /// `Conflict(ServiceIdentifierExists | ServiceIdentifierInUse)`.
    pub fn subscribe_in(
        &self,
        uow: &mut dyn UnitOfWork,
        request: &NewSubscription,
    ) -> Result<Subscribed> {
        let today = self.clock.today();
        let mut v = Validator::new();
        let input = ClientInput {
            status: None,
            ..request.client.clone()
        };
        let fields = input.check(&mut v, "client.", today);
        if let Some(months) = request.commitment_months {
            if !COMMITMENT_OPTIONS.contains(&months) {
                v.push("commitment_months", "must be 0, 12 or 24");
            }
        }
        v.finish()?;
        let fields =
            fields.ok_or_else(|| Error::Storage("validated client fields missing".into()))?;
        if let Some(draft_id) = request.draft_id.as_deref() {
            self.submit_draft_in(uow, draft_id)?;
        }
        let actor = landing_actor(&fields.cin);
        let client = self.upsert_client(uow, fields)?;
        let provisioned = self.contracts.provision_in(
            uow,
            &actor,
            &ProvisionContract {
                offer_id: request.offer_id.clone(),
                client_id: client.id.clone(),
                contract_start_date: request.contract_start_date.clone(),
                commitment_months: request.commitment_months,
                service_identifier: request.service_identifier.clone(),
                provisioning_intent: None,
            },
        )?;
        let link = self.issue_document_link(&provisioned.contract.id);
        Ok(Subscribed {
            client,
            contract: provisioned.contract,
            link,
        })
    }

    /// Creates the client, or updates the contact details (e-mail, phone, address, city)
    /// of the client holding that CIN with the values sent. Names, birth date and status of
    /// an existing client are kept: knowing a CIN does not let anyone rename its holder.
    fn upsert_client(&self, uow: &mut dyn UnitOfWork, fields: ClientFields) -> Result<Client> {
        let Some(mut client) = uow.clients().find_by_cin(fields.cin.as_str())? else {
            return self.clients.create_client_in(uow, fields);
        };
        let before = client.clone();
        client.email = fields.email.or(client.email);
        client.phone = fields.phone.map(|p| p.as_str().to_owned()).or(client.phone);
        client.address = fields.address.or(client.address);
        client.city = fields.city.or(client.city);
        if client != before {
            client.updated_at = self.clock.now();
            uow.clients().update(&client)?;
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use time::macros::datetime;

    fn service() -> LandingService {
        LandingService::over(&ports(
            MockTransactions::new(MockUnitOfWork::default()),
            fixed_clock(datetime!(2026-03-10 09:00 UTC)),
        ))
    }

    fn request() -> NewSubscription {
        NewSubscription {
            draft_id: None,
            client: ClientInput {
                cin: "AB123456".into(),
                first_name: "Hajar".into(),
                last_name: "Benkirane".into(),
                ..ClientInput::default()
            },
            offer_id: "ofr_01JD0000000000000000000001".into(),
            contract_start_date: "2026-03-10".into(),
            commitment_months: Some(12),
            service_identifier: "0661234567".into(),
        }
    }

    #[test]
    fn the_scope_is_the_normalised_cin() {
        assert_eq!(idempotency_scope(" ab123456 "), "cin:AB123456");
        assert_eq!(idempotency_scope(" not a cin "), "cin:NOT A CIN");
    }

    #[test]
    fn landing_fields_are_checked_before_anything_is_written() {
        let mut uow = MockUnitOfWork::default();
        uow.clients.expect_find_by_cin().never();
        uow.clients.expect_insert().never();
        uow.drafts.expect_find_for_update().never();
        let mut bad = request();
        bad.commitment_months = Some(18);
        bad.client.cin = "1234".into();
        bad.draft_id = Some("drf_01JD0000000000000000000000".into());
        let fields = match service().subscribe_in(&mut uow, &bad) {
            Err(Error::Validation(errors)) => {
                errors.into_iter().map(|e| e.field).collect::<Vec<_>>()
            }
            other => panic!("expected validation errors, got {other:?}"),
        };
        assert_eq!(fields, vec!["client.cin", "commitment_months"]);
    }

    #[test]
    fn an_existing_client_keeps_its_names_and_gets_the_new_contact_details() {
        let mut uow = MockUnitOfWork::default();
        let stored = Client {
            id: "cli_1".into(),
            cin: Cin::parse("AB123456").unwrap(),
            first_name: "Hajar".into(),
            last_name: "Benkirane".into(),
            email: None,
            phone: Some("+212612345678".into()),
            address: Some("12 rue Talaa".into()),
            city: None,
            birth_date: None,
            status: crate::clients::ClientStatus::Active,
            created_at: datetime!(2026-01-01 00:00 UTC),
            updated_at: datetime!(2026-01-01 00:00 UTC),
        };
        uow.clients
            .expect_find_by_cin()
            .returning(move |_| Ok(Some(stored.clone())));
        uow.clients
            .expect_update()
            .withf(|c| {
                c.first_name == "Hajar"
                    && c.city.as_deref() == Some("Tanger")
                    && c.phone.as_deref() == Some("+212612345678")
                    && c.address.as_deref() == Some("12 rue Talaa")
            })
            .times(1)
            .returning(|_| Ok(()));
        let mut input = request().client;
        input.first_name = "Someone".into();
        input.city = Some("Tanger".into());
        let fields = input.validate(time::macros::date!(2026 - 03 - 10)).unwrap();
        let client = service().upsert_client(&mut uow, fields).unwrap();
        assert_eq!(client.last_name, "Benkirane");
    }
}
