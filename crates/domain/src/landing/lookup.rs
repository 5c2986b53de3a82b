//! P9 steps 1–2: prove a CIN, then read that client's subscriptions and what each may
//! change to.

use time::{Duration, OffsetDateTime};

use super::otp::CinProof;
use super::plan_change_rules::{active_offers, eligible_offers, Direction};
use super::LandingService;
use crate::catalog::Offer;
use crate::clients::{Cin, Client};
use crate::contracts::{Contract, ContractFilter};
use crate::error::{Error, Resource, Result, Validator};
use crate::page::{Page, PageRequest, MAX_LIMIT};
use crate::text::displayable;
use crate::tokens::TokenPurpose;
use crate::tx::{read, transaction, UnitOfWork};
use crate::typed_ids::ClientId;

/// A verified CIN: the lookup token and just enough of the client to greet them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CinVerification {
    /// `lookup_token` for the `/landing/clients/{cin}/…` reads of this CIN.
    pub lookup_token: String,
    /// When the token stops working.
    pub expires_at: OffsetDateTime,
    /// The client's first name.
    pub first_name: String,
    /// First letter of the last name and a dot (`B.`): the rest is not needed.
    pub last_name_initial: String,
}

/// One live contract as the landing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The contract (its price fields are the snapshot the client pays).
    pub contract: Contract,
    /// Its current offer, as in the catalog.
    pub offer: Offer,
    /// The line with its middle hidden (`+2126••••••78`).
    pub service_identifier_masked: String,
    /// Offers it may change to; empty unless the contract is active.
    pub eligible_offers: Vec<(Offer, Direction)>,
}

/// Parses a CIN given in a request field.
pub(super) fn parse_cin(field: &str, raw: &str) -> Result<Cin> {
    let mut v = Validator::new();
    let cin = v.check(field, Cin::parse(raw));
    v.finish_with(cin)
}

impl LandingService {
    /// Proves a known CIN. With `landing_otp` off, issues its lookup token at once; with it on,
    /// sends a one-time code to the client's details on file and answers the challenge to
    /// confirm ([`LandingService::confirm_cin`]). An unknown CIN is `NotFound(Client)` and
    /// nothing more; a malformed one fails validation on `cin`. Every well-formed CIN counts
    /// against its own hourly limit first (`RateLimited`), known or not.
    pub fn verify_cin(&self, raw_cin: &str) -> Result<CinProof> {
        let cin = parse_cin("cin", raw_cin)?;
        self.admit_cin(&cin)?;
        if self.settings.landing_otp {
            return self.start_otp(&cin).map(CinProof::Challenge);
        }
        let client = read(self.tx.as_ref(), |uow| {
            uow.clients().find_by_cin(cin.as_str())
        })?
        .ok_or(Error::NotFound(Resource::Client))?;
        Ok(CinProof::Verified(self.lookup_for(&client)))
    }

    /// A lookup token for the client's CIN (valid `lookup_token_ttl_minutes`) and the
    /// greeting.
    pub(super) fn lookup_for(&self, client: &Client) -> CinVerification {
        let expires_at =
            self.clock.now() + Duration::minutes(self.settings.lookup_token_ttl_minutes.max(1));
        // Only persons are found by CIN (a company has none, decision 0210).
        let (first_name, last_name) = match client.identity.person() {
            Some(p) => (p.first_name.clone(), p.last_name.clone()),
            None => (client.display_name(), String::new()),
        };
        CinVerification {
            lookup_token: self
                .tokens
                .issue(TokenPurpose::Lookup, client.legal_id(), expires_at),
            expires_at,
            // Rows stored before text fields refused controls must not reach the public.
            first_name: displayable(&first_name),
            last_name_initial: initial(&displayable(&last_name)),
        }
    }

    /// Checks a lookup token for the CIN of a path (`Forbidden` when missing, tampered,
    /// expired or issued for another CIN) and returns the normalised CIN.
    pub fn check_lookup(&self, raw_cin: &str, lookup_token: Option<&str>) -> Result<Cin> {
        let token = lookup_token.ok_or(Error::Forbidden)?;
        // A malformed CIN cannot have been verified: the token check is the one answer.
        let cin = Cin::parse(raw_cin).map_err(|_| Error::Forbidden)?;
        self.tokens
            .verify(token, TokenPurpose::Lookup, cin.as_str(), self.clock.now())?;
        Ok(cin)
    }

    /// The live (pending, active, suspended) contracts of a verified CIN, oldest first, each
    /// with its masked line and, when active, the offers it may change to. Ended contracts
    /// are not shown.
    pub fn subscriptions(
        &self,
        raw_cin: &str,
        lookup_token: Option<&str>,
    ) -> Result<Vec<Subscription>> {
        let cin = self.check_lookup(raw_cin, lookup_token)?;
        transaction(self.tx.as_ref(), |uow| {
            let client = client_by_cin(uow, &cin)?;
            let catalog = uow.offers().all(&active_offers())?;
            let mut items = Vec::new();
            for contract in contracts_of(uow, &client.id)? {
                if !contract.status.is_live() {
                    continue;
                }
                let offer = uow
                    .offers()
                    .find(&contract.offer_id)?
                    .ok_or_else(|| missing("offer", contract.offer_id.as_str()))?;
                let line = uow
                    .subscribers()
                    .find(&contract.subscriber_id)?
                    .ok_or_else(|| missing("subscriber", contract.subscriber_id.as_str()))?;
                items.push(Subscription {
                    eligible_offers: eligible_offers(&contract, &catalog),
                    service_identifier_masked: line.service_identifier.masked(),
                    offer,
                    contract,
                });
            }
            Ok(items)
        })
    }
}

/// Every contract of the client, oldest first, read page by page through the contract
/// list of P6.
pub(crate) fn contracts_of(
    uow: &mut dyn UnitOfWork,
    client_id: &ClientId,
) -> Result<Vec<Contract>> {
    let filter = ContractFilter {
        client_id: Some(client_id.clone()),
        ..ContractFilter::default()
    };
    let mut contracts: Vec<Contract> = Vec::new();
    let mut after = None;
    loop {
        let request = PageRequest::new(MAX_LIMIT, after).map_err(Error::Storage)?;
        let rows = uow.contracts().list(&filter, &request)?;
        let page = Page::from_fetched(rows, &request, |c| c.id.as_str());
        contracts.extend(page.items);
        after = page.next_cursor;
        if after.is_none() {
            return Ok(contracts);
        }
    }
}

/// The client of a verified CIN; `NotFound(Client)` if it disappeared since.
pub(crate) fn client_by_cin(uow: &mut dyn UnitOfWork, cin: &Cin) -> Result<Client> {
    uow.clients()
        .find_by_cin(cin.as_str())?
        .ok_or(Error::NotFound(Resource::Client))
}

/// A reference the schema guarantees is broken: a storage fault, not a client error.
pub(crate) fn missing(what: &str, id: &str) -> Error {
    Error::Storage(format!("{what} {id} referenced but missing"))
}

/// `Benkirane` → `B.`.
fn initial(last_name: &str) -> String {
    last_name
        .trim()
        .chars()
        .next()
        .map(|c| format!("{}.", c.to_uppercase()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::ClientStatus;
    use crate::contracts::ContractStatus;
    use crate::service_type::ServiceType;
    use crate::testing::{fetched, fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use crate::tokens::MockTokenService;
    use crate::typed_ids::{ContractId, OfferId, SubscriberId};
    use mockall::predicate::eq;
    use std::sync::Arc;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

    fn client() -> Client {
        Client {
            id: ClientId::from_stored("cli_1"),
            identity: crate::clients::Identity::Person(crate::clients::Person {
                cin: Cin::parse("AB123456").unwrap(),
                first_name: "Hajar".into(),
                last_name: "benkirane".into(),
            }),
            invoicing: crate::clients::Invoicing::PerContract,
            email: None,
            phone: Some("+212612345678".into()),
            address: None,
            city: None,
            birth_date: None,
            status: ClientStatus::Active,
            created_at: NOW,
            updated_at: NOW,
        }
    }

    /// A unit of work whose CIN bucket has seen `hits` verifications this hour.
    fn counted(hits: i64) -> MockUnitOfWork {
        let mut uow = MockUnitOfWork::default();
        uow.rate_limits.expect_hit().returning(move |_, _| Ok(hits));
        uow
    }

    fn digesting(mut tokens: MockTokenService) -> MockTokenService {
        tokens
            .expect_pseudonym()
            .returning(|_, cin| format!("digest-of-{}", cin.len()));
        tokens
    }

    fn service(uow: MockUnitOfWork, tokens: MockTokenService) -> LandingService {
        let mut p = ports(MockTransactions::new(uow), fixed_clock(NOW));
        p.tokens = Arc::new(tokens);
        LandingService::over(&p)
    }

    #[test]
    fn a_known_cin_gets_a_15_minute_token_bound_to_its_normalised_form() {
        let mut uow = counted(1);
        uow.clients
            .expect_find_by_cin()
            .with(eq("AB123456"))
            .returning(|_| Ok(Some(client())));
        let mut tokens = MockTokenService::new();
        tokens
            .expect_issue()
            .with(
                eq(TokenPurpose::Lookup),
                eq("AB123456"),
                eq(datetime!(2026-03-10 09:15 UTC)),
            )
            .returning(|_, _, _| "signed".into());
        let Ok(CinProof::Verified(verified)) =
            service(uow, digesting(tokens)).verify_cin(" ab123456 ")
        else {
            panic!("expected a token with the one-time code off");
        };
        assert_eq!(verified.lookup_token, "signed");
        assert_eq!(verified.first_name, "Hajar");
        assert_eq!(verified.last_name_initial, "B.");
    }

    #[test]
    fn a_stored_name_with_escapes_or_bidi_is_greeted_without_them() {
        let mut uow = counted(1);
        uow.clients.expect_find_by_cin().returning(|_| {
            Ok(Some(Client {
                identity: crate::clients::Identity::Person(crate::clients::Person {
                    cin: Cin::parse("AB123456").unwrap(),
                    first_name: "Ha\u{1b}[2Jjar\u{202E}".into(),
                    last_name: "\u{202E}benkirane".into(),
                }),
                ..client()
            }))
        });
        let mut tokens = MockTokenService::new();
        tokens.expect_issue().returning(|_, _, _| "signed".into());
        let Ok(CinProof::Verified(verified)) =
            service(uow, digesting(tokens)).verify_cin("AB123456")
        else {
            panic!("expected a token with the one-time code off");
        };
        assert_eq!(verified.first_name, "Ha[2Jjar");
        assert_eq!(verified.last_name_initial, "B.");
    }

    #[test]
    fn an_unknown_cin_is_only_not_found_and_no_token_is_issued() {
        let mut uow = counted(1);
        uow.clients.expect_find_by_cin().returning(|_| Ok(None));
        let mut tokens = MockTokenService::new();
        tokens.expect_issue().never();
        assert!(matches!(
            service(uow, digesting(tokens)).verify_cin("ZZ999999"),
            Err(Error::NotFound(Resource::Client))
        ));
    }

    #[test]
    fn a_cin_over_its_hourly_limit_is_refused_before_it_is_looked_up() {
        // Known or not, the answer is the same 429: the limit says nothing about the CIN.
        let mut uow = counted(21);
        uow.clients.expect_find_by_cin().never();
        let mut tokens = MockTokenService::new();
        tokens.expect_issue().never();
        assert!(matches!(
            service(uow, digesting(tokens)).verify_cin("AB123456"),
            Err(Error::RateLimited { .. })
        ));
    }

    #[test]
    fn a_malformed_cin_names_the_field() {
        let mut uow = MockUnitOfWork::default();
        uow.rate_limits.expect_hit().never();
        let service = service(uow, MockTokenService::new());
        assert!(matches!(
            service.verify_cin("12-34"),
            Err(Error::Validation(e)) if e[0].field == "cin"
        ));
    }

    #[test]
    fn subscriptions_need_a_token_of_that_cin() {
        let mut tokens = MockTokenService::new();
        tokens
            .expect_verify()
            .with(eq("t"), eq(TokenPurpose::Lookup), eq("CD777777"), eq(NOW))
            .returning(|_, _, _, _| Err(Error::Forbidden));
        let mut uow = MockUnitOfWork::default();
        uow.clients.expect_find_by_cin().never();
        let service = service(uow, tokens);
        assert!(matches!(
            service.subscriptions("cd777777", Some("t")),
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            service.subscriptions("CD777777", None),
            Err(Error::Forbidden)
        ));
        assert!(matches!(
            service.subscriptions("not a cin", Some("t")),
            Err(Error::Forbidden)
        ));
    }

    fn contract(id: String) -> Contract {
        Contract {
            id: ContractId::from_stored(id),
            contract_number: "CTR-2026-000001".into(),
            client_id: ClientId::from_stored("cli_1"),
            subscriber_id: SubscriberId::from_stored("sub_1"),
            offer_id: OfferId::from_stored("ofr_1"),
            service_type: ServiceType::Mobile,
            status: ContractStatus::Active,
            contract_start_date: date!(2026 - 01 - 15),
            commitment_months: 12,
            commitment_end_date: date!(2027 - 01 - 15),
            monthly_price: crate::money::Money::from_stored(9_900),
            currency: "MAD".into(),
            tax_rate_bp: 2000,
            termination_date: None,
            document_version: 1,
            suspended_by_dunning: false,
            created_at: NOW,
            updated_at: NOW,
        }
    }

    #[test]
    fn every_contract_of_the_client_is_read_across_pages() {
        let stored: Vec<Contract> = (0..=MAX_LIMIT)
            .map(|n| contract(format!("ctr_{n:04}")))
            .collect();
        let mut uow = MockUnitOfWork::default();
        uow.contracts
            .expect_list()
            .withf(|filter, _| filter.client_id.as_ref().map(ClientId::as_str) == Some("cli_1"))
            .times(2)
            .returning(move |_, page| Ok(fetched(&stored, page, |c| c.id.as_str())));
        let contracts = contracts_of(&mut uow, &ClientId::from_stored("cli_1")).unwrap();
        assert_eq!(contracts.len(), MAX_LIMIT + 1);
        assert_eq!(
            contracts[MAX_LIMIT].id.as_str(),
            format!("ctr_{MAX_LIMIT:04}")
        );
    }
}
