//! P8: a new subscription from the public form. A new CIN creates the client; an existing CIN
//! needs the lookup token of `verify-cin` and never changes the stored client: the details the
//! form sent that differ are kept in the contract's audit trail for an agent. The contract is
//! provisioned by the same use case as P4 (`ContractService::provision_in`), in the caller's
//! transaction.

use super::catalog::COMMITMENT_OPTIONS;
use super::{DocumentLink, LandingService};
use crate::clients::input::ClientInput;
use crate::clients::{Cin, Client, ClientFields};
use crate::contracts::{parse_date, AuditAction, AuditEntry, Contract, Fields, ProvisionContract};
use crate::error::{Conflict, Error, Result, Validator};
use crate::tokens::TokenPurpose;
use crate::tx::UnitOfWork;
use crate::typed_ids::{AuditEntryId, ContractId};

/// A subscription as the public form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSubscription {
    /// The draft this submission finishes, marked `submitted` with it.
    pub draft_id: Option<String>,
    /// The client (`status` is ignored: the landing never sets it).
    pub client: ClientInput,
    /// `lookup_token` of `verify-cin` for `client.cin`; required when that CIN is a client.
    pub lookup_token: Option<String>,
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
    /// The new client, or the existing one as stored.
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
    /// then those of provisioning (`contract_start_date`, `subscriber.service_identifier`…);
    /// `Conflict(ClientExistsVerifyCin)` for an existing CIN without a valid lookup token;
    /// `NotFound(Draft)` / `Conflict(DraftAlreadySubmitted)`;
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
        // The format now, so a malformed date is a 422 before an existing CIN's 409;
        // provisioning checks the range.
        v.check(
            "contract_start_date",
            parse_date(&request.contract_start_date),
        );
        let fields = v.finish_with(fields)?;
        // The landing serves persons (the form has no `kind`): a company is entered by an
        // agent (decision 0210).
        let Some(cin) = fields.identity.cin().cloned() else {
            return Err(Error::invalid(
                "client.kind",
                "the landing serves persons only",
            ));
        };
        let actor = landing_actor(&cin);
        let existing = self.existing_client(uow, &cin, request.lookup_token.as_deref())?;
        if let Some(draft_id) = request.draft_id.as_deref() {
            self.submit_draft_in(uow, draft_id)?;
        }
        let (client, differences) = match existing {
            Some(stored) => {
                let differences = differences(&stored, &fields);
                (stored, Some(differences))
            }
            None => (self.clients.create_client_in(uow, &actor, fields)?, None),
        };
        let provisioned = self.contracts.provision_in(
            uow,
            &actor,
            &ProvisionContract {
                offer_id: request.offer_id.clone(),
                client_id: client.id.to_string(),
                contract_start_date: request.contract_start_date.clone(),
                commitment_months: request.commitment_months,
                service_identifier: request.service_identifier.clone(),
                provisioning_intent: None,
            },
        )?;
        if let Some(differences) = differences {
            self.record_details_used(uow, &actor, &provisioned.contract.id, differences)?;
        }
        let link = self.issue_document_link(&provisioned.contract.id);
        Ok(Subscribed {
            client,
            contract: provisioned.contract,
            link,
        })
    }

    /// The stored client of `cin`, if any, once the caller proved the CIN: a public form must
    /// not act for someone else's identity on the strength of a CIN alone.
    fn existing_client(
        &self,
        uow: &mut dyn UnitOfWork,
        cin: &Cin,
        lookup_token: Option<&str>,
    ) -> Result<Option<Client>> {
        let Some(client) = uow.clients().find_by_cin(cin.as_str())? else {
            return Ok(None);
        };
        let token = lookup_token.ok_or(Conflict::ClientExistsVerifyCin)?;
        self.tokens
            .verify(token, TokenPurpose::Lookup, cin.as_str(), self.clock.now())
            .map_err(|_| Conflict::ClientExistsVerifyCin)?;
        Ok(Some(client))
    }

    /// Records on the contract that it used the stored client details, and what the form
    /// sent that differed (audit action `landing_client_details`).
    fn record_details_used(
        &self,
        uow: &mut dyn UnitOfWork,
        actor: &str,
        contract_id: &ContractId,
        differences: Vec<Difference>,
    ) -> Result<()> {
        let mut before: Fields = Vec::new();
        let mut after: Fields = vec![("details_used".into(), "stored".into())];
        for d in differences {
            before.push((d.field.to_owned(), d.stored));
            after.push((format!("submitted_{}", d.field), d.submitted));
        }
        uow.contracts().append_audit(&AuditEntry {
            id: AuditEntryId::generate(self.ids.as_ref()),
            contract_id: contract_id.clone(),
            at: self.clock.now(),
            actor_id: actor.to_owned(),
            action: AuditAction::LandingClientDetails,
            before: Some(before),
            after: Some(after),
        })
    }
}

/// A client field the form sent with another value than the stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Difference {
    field: &'static str,
    /// Stored value (empty when none).
    stored: String,
    /// Submitted value (empty when none).
    submitted: String,
}

/// The identity and contact fields where the submission differs from the stored client.
/// Fields the form left blank are not differences: the client simply did not repeat them.
fn differences(stored: &Client, sent: &ClientFields) -> Vec<Difference> {
    let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
    let (stored_person, sent_person) = (stored.identity.person(), sent.identity.person());
    let pairs: [(&'static str, Option<String>, Option<String>); 7] = [
        (
            "first_name",
            stored_person.map(|p| p.first_name.clone()),
            sent_person.map(|p| p.first_name.clone()),
        ),
        (
            "last_name",
            stored_person.map(|p| p.last_name.clone()),
            sent_person.map(|p| p.last_name.clone()),
        ),
        (
            "email",
            stored.email.as_ref().map(|e| e.as_str().to_owned()),
            sent.email.as_ref().map(|e| e.as_str().to_owned()),
        ),
        (
            "phone",
            stored.phone.clone(),
            sent.phone.as_ref().map(|p| p.as_str().to_owned()),
        ),
        ("address", stored.address.clone(), sent.address.clone()),
        ("city", stored.city.clone(), sent.city.clone()),
        (
            "birth_date",
            stored.birth_date.map(|d| d.to_string()),
            sent.birth_date.map(|d| d.to_string()),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, stored, sent)| sent.is_some() && stored != sent)
        .map(|(field, stored, sent)| Difference {
            field,
            stored: text(stored.as_deref()),
            submitted: text(sent.as_deref()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use crate::tokens::MockTokenService;
    use crate::typed_ids::ClientId;
    use mockall::predicate::eq;
    use std::sync::Arc;
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
            lookup_token: None,
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

    fn stored() -> Client {
        Client {
            id: ClientId::from_stored("cli_1"),
            identity: crate::clients::Identity::Person(crate::clients::Person {
                cin: Cin::parse("AB123456").unwrap(),
                first_name: "Hajar".into(),
                last_name: "Benkirane".into(),
            }),
            invoicing: crate::clients::Invoicing::PerContract,
            email: None,
            phone: Some("+212612345678".into()),
            address: Some("12 rue Talaa".into()),
            city: None,
            birth_date: None,
            status: crate::clients::ClientStatus::Active,
            created_at: datetime!(2026-01-01 00:00 UTC),
            updated_at: datetime!(2026-01-01 00:00 UTC),
        }
    }

    fn with_tokens(tokens: MockTokenService) -> LandingService {
        let mut p = ports(
            MockTransactions::new(MockUnitOfWork::default()),
            fixed_clock(datetime!(2026-03-10 09:00 UTC)),
        );
        p.tokens = Arc::new(tokens);
        LandingService::over(&p)
    }

    #[test]
    fn an_existing_cin_without_a_valid_lookup_token_changes_nothing() {
        for token in [None, Some("forged")] {
            let mut uow = MockUnitOfWork::default();
            uow.clients
                .expect_find_by_cin()
                .returning(|_| Ok(Some(stored())));
            uow.clients.expect_update().never();
            uow.clients.expect_insert().never();
            uow.drafts.expect_find_for_update().never();
            uow.contracts.expect_insert().never();
            let mut tokens = MockTokenService::new();
            tokens
                .expect_verify()
                .with(
                    eq("forged"),
                    eq(TokenPurpose::Lookup),
                    eq("AB123456"),
                    eq(datetime!(2026-03-10 09:00 UTC)),
                )
                .returning(|_, _, _, _| Err(Error::Forbidden));
            let mut sent = request();
            sent.lookup_token = token.map(str::to_owned);
            sent.draft_id = Some("drf_01JD0000000000000000000000".into());
            assert!(matches!(
                with_tokens(tokens).subscribe_in(&mut uow, &sent),
                Err(Error::Conflict(Conflict::ClientExistsVerifyCin))
            ));
        }
    }

    #[test]
    fn a_valid_token_gives_the_stored_client_unchanged() {
        let mut uow = MockUnitOfWork::default();
        uow.clients
            .expect_find_by_cin()
            .returning(|_| Ok(Some(stored())));
        uow.clients.expect_update().never();
        let mut tokens = MockTokenService::new();
        tokens.expect_verify().returning(|_, _, _, _| Ok(()));
        let client = with_tokens(tokens)
            .existing_client(&mut uow, &Cin::parse("AB123456").unwrap(), Some("t"))
            .unwrap();
        assert_eq!(client, Some(stored()));
    }

    #[test]
    fn differences_name_each_changed_field_and_ignore_blank_ones() {
        let mut input = request().client;
        input.first_name = "Someone".into();
        input.phone = Some("0612345678".into());
        input.city = Some("Tanger".into());
        input.address = None;
        let fields = input.validate(time::macros::date!(2026 - 03 - 10)).unwrap();
        let found = differences(&stored(), &fields);
        let names: Vec<_> = found.iter().map(|d| d.field).collect();
        assert_eq!(names, vec!["first_name", "city"]);
        assert_eq!(found[0].stored, "Hajar");
        assert_eq!(found[0].submitted, "Someone");
        assert_eq!(found[1].stored, "");
    }

    #[test]
    fn the_contract_records_the_stored_details_and_what_differed() {
        let mut uow = MockUnitOfWork::default();
        uow.contracts
            .expect_append_audit()
            .withf(|e| {
                e.action == AuditAction::LandingClientDetails
                    && e.contract_id == "ctr_1"
                    && e.actor_id == "landing:AB123456"
                    && e.before == Some(vec![("city".into(), "".into())])
                    && e.after
                        == Some(vec![
                            ("details_used".into(), "stored".into()),
                            ("submitted_city".into(), "Tanger".into()),
                        ])
            })
            .times(1)
            .returning(|_| Ok(()));
        service()
            .record_details_used(
                &mut uow,
                "landing:AB123456",
                &ContractId::from_stored("ctr_1"),
                vec![Difference {
                    field: "city",
                    stored: String::new(),
                    submitted: "Tanger".into(),
                }],
            )
            .unwrap();
    }
}
