//! P9 step 3: the plan change (upgrade, downgrade or lateral) of a verified CIN's active contract. The
//! landing checks its own rules, then applies the change through the same use case as P6
//! (`ContractService::change_offer_in`) with the commitment restarting.

use super::links::owned_contract_client;
use super::lookup::parse_cin;
use super::plan_change_rules::{
    active_offers, check_effective_date, direction, eligible_offers, Direction, EligibleOffer,
};
use super::subscribe::landing_actor;
use super::{DocumentLink, LandingService};
use crate::contracts::{parse_date, AuditAction, Contract, OfferChange};
use crate::error::{Error, Resource, Result, RuleViolation, Validator};
use crate::tokens::TokenPurpose;
use crate::tx::UnitOfWork;
use crate::typed_ids::{ContractId, OfferId};

/// A plan change as the public form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanChangeRequest {
    /// The verified CIN.
    pub cin: String,
    /// Its `lookup_token`.
    pub lookup_token: String,
    /// One of its active contracts.
    pub contract_id: String,
    /// The target: an active offer of the same service type, not the current one.
    pub offer_id: Option<String>,
    /// Older name of `offer_id`, still accepted; both given must agree.
    pub target_offer_id: Option<String>,
    /// `YYYY-MM-DD`: first day on the new offer, start of the new commitment.
    pub contract_start_date: String,
}

/// What a plan change produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChanged {
    /// The contract after the change (new offer, snapshot, dates, document version).
    pub contract: Contract,
    /// Upgrade, downgrade or lateral.
    pub direction: Direction,
    /// The offer it left.
    pub previous_offer_id: OfferId,
    /// A download link to its documents (the latest version is the new one).
    pub link: DocumentLink,
}

impl LandingService {
    /// P9 inside the caller's transaction (the idempotent one of `submit/plan-change`).
    /// The contract's commitment months are kept and restart from `contract_start_date`;
    /// the offer history keeps the previous period; a new document version is stored; the
    /// audit actor is `landing:<CIN>` with action `plan_changed`.
    ///
    /// Errors, in this order: `Validation` on `cin`; `Forbidden` (lookup token missing,
    /// expired, tampered or for another CIN); `Validation` on `contract_start_date`;
    /// `NotFound(Contract)` (unknown, or not this CIN's); `Validation` on `offer_id`
    /// (absent under both names, or `offer_id` and `target_offer_id` differ);
    /// `NotFound(Offer)`;
    /// `Rule(ContractNotActive)`; `Rule(TargetNotEligible)` wrapping `ServiceTypeMismatch`,
    /// `OfferRetired` or `SameOffer` with the offers the contract may move to;
    /// `Rule(EffectiveDateTooEarly)`; `Validation` on `contract_start_date` more than a
    /// year ahead; `Conflict(PeriodAlreadyBilled)` when that date's month or a later one is
    /// already invoiced for the contract. A same-price target of the family is a `Lateral` change.
    pub fn change_plan_in(
        &self,
        uow: &mut dyn UnitOfWork,
        request: &PlanChangeRequest,
    ) -> Result<PlanChanged> {
        let cin = parse_cin("cin", &request.cin)?;
        self.tokens.verify(
            &request.lookup_token,
            TokenPurpose::Lookup,
            cin.as_str(),
            self.clock.now(),
        )?;
        let mut v = Validator::new();
        let effective = v.check(
            "contract_start_date",
            parse_date(&request.contract_start_date),
        );
        let effective = v.finish_with(effective)?;
        let contract_id = ContractId::parse(&request.contract_id)
            .map_err(|_| Error::NotFound(Resource::Contract))?;
        owned_contract_client(uow, &contract_id, cin.as_str())?;
        let contract = uow
            .contracts()
            .find_for_update(&contract_id)?
            .ok_or(Error::NotFound(Resource::Contract))?;
        let target_id = target_offer_id(request)?;
        let target = match OfferId::parse(&target_id) {
            Ok(id) => uow.offers().find(&id)?,
            Err(_) => None,
        }
        .ok_or(Error::NotFound(Resource::Offer))?;
        let direction = match direction(&contract, &target) {
            Ok(direction) => direction,
            Err(
                reason @ (RuleViolation::ServiceTypeMismatch
                | RuleViolation::OfferRetired
                | RuleViolation::SameOffer),
            ) => {
                // The client chose a target it cannot have: say which ones it can.
                let catalog = uow.offers().all(&active_offers())?;
                return Err(RuleViolation::TargetNotEligible {
                    reason: Box::new(reason),
                    eligible_offers: eligible_offers(&contract, &catalog)
                        .iter()
                        .map(|(offer, direction)| EligibleOffer::new(offer, *direction))
                        .collect(),
                }
                .into());
            }
            Err(other) => return Err(other.into()),
        };
        check_effective_date(
            &contract,
            effective,
            self.settings.date_window(self.clock.today()),
        )?;
        // The landing never corrects an invoice: only months not yet billed can change.
        self.contracts
            .ensure_not_billed(uow, &contract.id, effective)?;
        let changed = self.contracts.change_offer_in(
            uow,
            &landing_actor(&cin),
            &contract.id,
            &OfferChange {
                offer_id: target.id.to_string(),
                effective_date: effective,
                restart_commitment: true,
                audit_action: AuditAction::PlanChanged,
            },
        )?;
        Ok(PlanChanged {
            link: self.issue_document_link(&changed.id),
            previous_offer_id: contract.offer_id,
            direction,
            contract: changed,
        })
    }
}

/// The target's id: `offer_id`, or its older name `target_offer_id`. Neither is a validation
/// error on `offer_id`; both with different values one on each name (decision 0194).
fn target_offer_id(request: &PlanChangeRequest) -> Result<String> {
    let given = |name: &Option<String>| {
        name.as_deref()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
    };
    match (given(&request.offer_id), given(&request.target_offer_id)) {
        (Some(a), Some(b)) if a != b => {
            let message = "`offer_id` and `target_offer_id` name the same target and differ";
            let mut v = Validator::new();
            v.push("offer_id", message);
            v.push("target_offer_id", message);
            v.finish_with(None)
        }
        (Some(id), _) | (None, Some(id)) => Ok(id),
        (None, None) => Err(Error::invalid("offer_id", "required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Offer, OfferCode, OfferStatus};
    use crate::clients::{Cin, Client, ClientStatus};
    use crate::contracts::ContractStatus;
    use crate::error::RuleViolation;
    use crate::money::Money;
    use crate::service_type::ServiceType;
    use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use crate::tokens::MockTokenService;
    use crate::typed_ids::{ClientId, SubscriberId};
    use std::sync::Arc;
    use time::macros::{date, datetime};
    use time::OffsetDateTime;

    const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
    const CONTRACT: &str = "ctr_01JD0000000000000000000001";
    const CURRENT: &str = "ofr_01JD0000000000000000000001";
    const TARGET: &str = "ofr_01JD0000000000000000000002";

    fn offer(id: &str, service_type: ServiceType, price: i64) -> Offer {
        Offer {
            usage: None,
            id: OfferId::from_stored(id),
            code: OfferCode::parse("MOB-X").unwrap(),
            name: "X".into(),
            description: String::new(),
            service_type,
            monthly_price: Money::new(price).unwrap(),
            currency: "MAD".into(),
            tax_rate_bp: 2000,
            commitment_months: 12,
            status: OfferStatus::Active,
            created_at: NOW,
            updated_at: NOW,
        }
    }

    fn contract(status: ContractStatus) -> Contract {
        Contract {
            id: ContractId::from_stored(CONTRACT),
            contract_number: "CTR-2026-000001".into(),
            client_id: ClientId::from_stored("cli_1"),
            subscriber_id: SubscriberId::from_stored("sub_1"),
            offer_id: OfferId::from_stored(CURRENT),
            service_type: ServiceType::Mobile,
            status,
            contract_start_date: date!(2026 - 02 - 01),
            commitment_months: 12,
            commitment_end_date: date!(2027 - 02 - 01),
            monthly_price: crate::money::Money::from_stored(10_000),
            currency: "MAD".into(),
            tax_rate_bp: 2000,
            termination_date: None,
            document_version: 1,
            suspended_by_dunning: false,
            created_at: NOW,
            updated_at: NOW,
        }
    }

    fn owner(cin: &str) -> Client {
        Client {
            id: ClientId::from_stored("cli_1"),
            identity: crate::clients::Identity::Person(crate::clients::Person {
                cin: Cin::parse(cin).unwrap(),
                first_name: "Hajar".into(),
                last_name: "Benkirane".into(),
            }),
            invoicing: crate::clients::Invoicing::PerContract,
            email: None,
            phone: None,
            address: None,
            city: None,
            birth_date: None,
            status: ClientStatus::Active,
            created_at: NOW,
            updated_at: NOW,
        }
    }

    fn request(date: &str) -> PlanChangeRequest {
        PlanChangeRequest {
            cin: "ab123456".into(),
            lookup_token: "t".into(),
            contract_id: CONTRACT.into(),
            offer_id: None,
            target_offer_id: Some(TARGET.into()),
            contract_start_date: date.into(),
        }
    }

    fn service(valid_token: bool) -> LandingService {
        let mut tokens = MockTokenService::new();
        tokens.expect_verify().returning(move |_, _, subject, _| {
            if valid_token && subject == "AB123456" {
                Ok(())
            } else {
                Err(Error::Forbidden)
            }
        });
        let mut p = ports(
            MockTransactions::new(MockUnitOfWork::default()),
            fixed_clock(NOW),
        );
        p.tokens = Arc::new(tokens);
        LandingService::over(&p)
    }

    /// A unit of work holding the contract (owned by `owner_cin`) and the target offer, in
    /// which nothing may be written.
    fn uow(status: ContractStatus, owner_cin: &'static str, target: Offer) -> MockUnitOfWork {
        let mut uow = MockUnitOfWork::default();
        uow.contracts
            .expect_find()
            .returning(move |_| Ok(Some(contract(status))));
        uow.contracts
            .expect_find_for_update()
            .returning(move |_| Ok(Some(contract(status))));
        uow.clients
            .expect_find()
            .returning(move |_| Ok(Some(owner(owner_cin))));
        uow.offers
            .expect_find()
            .returning(move |_| Ok(Some(target.clone())));
        uow.contracts.expect_update().never();
        uow.contracts.expect_append_audit().never();
        uow
    }

    fn rule(result: Result<PlanChanged>) -> Option<RuleViolation> {
        match result {
            Err(Error::Rule(rule)) => Some(rule),
            _ => None,
        }
    }

    #[test]
    fn the_token_is_checked_before_anything_is_read() {
        let mut uow = MockUnitOfWork::default();
        uow.contracts.expect_find().never();
        uow.offers.expect_find().never();
        let result = service(false).change_plan_in(&mut uow, &request("2026-03-20"));
        assert!(matches!(result, Err(Error::Forbidden)));
    }

    #[test]
    fn a_contract_of_another_cin_is_not_found() {
        let mut uow = uow(
            ContractStatus::Active,
            "CD777777",
            offer(TARGET, ServiceType::Mobile, 20_000),
        );
        let result = service(true).change_plan_in(&mut uow, &request("2026-03-20"));
        assert!(matches!(result, Err(Error::NotFound(Resource::Contract))));
    }

    #[test]
    fn the_landing_rules_refuse_before_the_contract_is_touched() {
        let s = service(true);
        let cases = [(
            ContractStatus::Suspended,
            ServiceType::Mobile,
            20_000,
            RuleViolation::ContractNotActive,
        )];
        for (status, service_type, price, expected) in cases {
            let mut uow = uow(status, "AB123456", offer(TARGET, service_type, price));
            let result = s.change_plan_in(&mut uow, &request("2026-03-20"));
            assert_eq!(rule(result), Some(expected));
        }
        let mut early = uow(
            ContractStatus::Active,
            "AB123456",
            offer(TARGET, ServiceType::Mobile, 20_000),
        );
        let result = s.change_plan_in(&mut early, &request("2026-01-31"));
        assert_eq!(rule(result), Some(RuleViolation::EffectiveDateTooEarly));
    }

    #[test]
    fn a_target_of_another_family_is_refused_with_the_offers_the_contract_may_have() {
        let mut uow = uow(
            ContractStatus::Active,
            "AB123456",
            offer(TARGET, ServiceType::Internet, 20_000),
        );
        let cheap = offer("ofr_01JD0000000000000000000003", ServiceType::Mobile, 5_000);
        let same = offer(
            "ofr_01JD0000000000000000000004",
            ServiceType::Mobile,
            10_000,
        );
        let catalog = vec![
            offer(CURRENT, ServiceType::Mobile, 10_000),
            same.clone(),
            offer(TARGET, ServiceType::Internet, 20_000),
            cheap.clone(),
        ];
        uow.offers
            .expect_all()
            .times(1)
            .returning(move |_| Ok(catalog.clone()));
        let result = service(true).change_plan_in(&mut uow, &request("2026-03-20"));
        assert_eq!(
            rule(result),
            Some(RuleViolation::TargetNotEligible {
                reason: Box::new(RuleViolation::ServiceTypeMismatch),
                eligible_offers: vec![
                    EligibleOffer::new(&cheap, Direction::Downgrade),
                    EligibleOffer::new(&same, Direction::Lateral),
                ],
            })
        );
    }

    #[test]
    fn the_target_is_offer_id_or_target_offer_id_and_both_must_agree() {
        let pick = |offer_id: Option<&str>, target: Option<&str>| {
            target_offer_id(&PlanChangeRequest {
                offer_id: offer_id.map(str::to_owned),
                target_offer_id: target.map(str::to_owned),
                ..PlanChangeRequest::default()
            })
        };
        assert_eq!(pick(Some(TARGET), None).unwrap(), TARGET);
        assert_eq!(pick(None, Some(TARGET)).unwrap(), TARGET);
        assert_eq!(pick(Some(TARGET), Some(TARGET)).unwrap(), TARGET);
        let fields = |result: Result<String>| -> Vec<String> {
            match result {
                Err(Error::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
                other => panic!("expected a validation error, got {other:?}"),
            }
        };
        assert_eq!(
            fields(pick(Some(TARGET), Some(CURRENT))),
            ["offer_id", "target_offer_id"]
        );
        assert_eq!(fields(pick(None, Some(" "))), ["offer_id"]);
    }

    #[test]
    fn a_malformed_date_names_the_field_and_a_cin_is_required() {
        let s = service(true);
        let mut uow = MockUnitOfWork::default();
        assert!(matches!(
            s.change_plan_in(&mut uow, &request("March 20")),
            Err(Error::Validation(e)) if e[0].field == "contract_start_date"
        ));
        let mut bad_cin = request("2026-03-20");
        bad_cin.cin = "42".into();
        assert!(matches!(
            s.change_plan_in(&mut uow, &bad_cin),
            Err(Error::Validation(e)) if e[0].field == "cin"
        ));
    }
}
