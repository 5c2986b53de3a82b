//! Plan-change rules (domain-rules.md): which offers a contract may move to, in which
//! direction, and from which date.

use time::Date;

use crate::business_dates::DateWindow;
use crate::catalog::{Offer, OfferFilter, OfferStatus};
use crate::contracts::{Contract, ContractStatus};
use crate::error::{Error, Result, RuleViolation};
use crate::money::{incl_tax, Money};
use crate::typed_ids::OfferId;

/// The filter of every sold offer: the landing catalog and the plan-change targets.
pub fn active_offers() -> OfferFilter {
    OfferFilter::new(None, Some(OfferStatus::Active), None)
}

/// Whether a plan change raises, lowers or keeps the monthly price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The target costs more than the contract's current price.
    Upgrade,
    /// The target costs less.
    Downgrade,
    /// Another offer of the family at the same price incl. tax (decision 0194).
    Lateral,
}

impl Direction {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
            Direction::Lateral => "lateral",
        }
    }
}

/// An offer a contract may move to, as a refused plan change explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibleOffer {
    /// The offer.
    pub offer_id: OfferId,
    /// Its code.
    pub code: String,
    /// Its commercial name.
    pub name: String,
    /// Monthly price excl. tax.
    pub monthly_price: Money,
    /// Monthly price incl. tax, centimes: what decides the direction.
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Where it moves the contract.
    pub direction: Direction,
}

impl EligibleOffer {
    /// `offer` as a target of `direction`.
    pub fn new(offer: &Offer, direction: Direction) -> Self {
        EligibleOffer {
            offer_id: offer.id.clone(),
            code: offer.code.as_str().to_owned(),
            name: offer.name.clone(),
            monthly_price: offer.monthly_price,
            monthly_price_incl_tax: offer.monthly_price_incl_tax(),
            currency: offer.currency.clone(),
            direction,
        }
    }
}

/// The monthly price incl. tax the contract's document states (its snapshot, not the
/// offer's current catalog price).
pub fn current_price_incl_tax(contract: &Contract) -> i64 {
    incl_tax(contract.monthly_price.centimes(), contract.tax_rate_bp)
}

/// The direction of moving `contract` to `target`, or the rule it breaks, checked in this
/// order: the contract is `active` (`ContractNotActive`); the target has the contract's
/// service type (`ServiceTypeMismatch`), is sold (`OfferRetired`) and is not the current
/// offer (`SameOffer`). Prices are compared incl. tax, what the client pays, against the
/// contract's snapshot: dearer is an upgrade, cheaper a downgrade, equal a lateral move.
pub fn direction(contract: &Contract, target: &Offer) -> Result<Direction, RuleViolation> {
    if contract.status != ContractStatus::Active {
        return Err(RuleViolation::ContractNotActive);
    }
    if target.service_type != contract.service_type {
        return Err(RuleViolation::ServiceTypeMismatch);
    }
    if target.status != OfferStatus::Active {
        return Err(RuleViolation::OfferRetired);
    }
    if target.id == contract.offer_id {
        return Err(RuleViolation::SameOffer);
    }
    let current = current_price_incl_tax(contract);
    let wanted = target.monthly_price_incl_tax();
    match wanted.cmp(&current) {
        std::cmp::Ordering::Greater => Ok(Direction::Upgrade),
        std::cmp::Ordering::Less => Ok(Direction::Downgrade),
        std::cmp::Ordering::Equal => Ok(Direction::Lateral),
    }
}

/// The offers `contract` may move to, with their direction, cheapest first: empty unless the
/// contract is active.
pub fn eligible_offers(contract: &Contract, catalog: &[Offer]) -> Vec<(Offer, Direction)> {
    let mut eligible: Vec<(Offer, Direction)> = catalog
        .iter()
        .filter_map(|offer| {
            direction(contract, offer)
                .ok()
                .map(|dir| (offer.clone(), dir))
        })
        .collect();
    eligible.sort_by(|(a, _), (b, _)| {
        (a.monthly_price_incl_tax(), &a.id).cmp(&(b.monthly_price_incl_tax(), &b.id))
    });
    eligible
}

/// Checks the chosen effective date: not before the current offer period's start
/// (`EffectiveDateTooEarly`) — earlier days of that period may be chosen, as an operator
/// would back-date a change agreed by phone — and inside the business-date `window`
/// (`validation_failed` on `contract_start_date`).
pub fn check_effective_date(
    contract: &Contract,
    effective: Date,
    window: DateWindow,
) -> Result<()> {
    if effective < contract.contract_start_date {
        return Err(Error::Rule(RuleViolation::EffectiveDateTooEarly));
    }
    window
        .check(effective)
        .map(|_| ())
        .map_err(|message| Error::invalid("contract_start_date", message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::OfferCode;
    use crate::money::Money;
    use crate::service_type::ServiceType;
    use crate::typed_ids::OfferId;
    use crate::typed_ids::{ClientId, ContractId, SubscriberId};
    use time::macros::{date, datetime};

    fn offer(id: &str, service_type: ServiceType, price: i64, status: OfferStatus) -> Offer {
        Offer {
            usage: None,
            id: OfferId::from_stored(id),
            code: OfferCode::parse(id).unwrap(),
            name: id.into(),
            description: String::new(),
            service_type,
            monthly_price: Money::new(price).unwrap(),
            currency: "MAD".into(),
            tax_rate_bp: 2000,
            commitment_months: 12,
            status,
            created_at: datetime!(2026-01-01 00:00 UTC),
            updated_at: datetime!(2026-01-01 00:00 UTC),
        }
    }

    fn contract(status: ContractStatus, price: i64) -> Contract {
        Contract {
            id: ContractId::from_stored("ctr_1"),
            contract_number: "CTR-2026-000001".into(),
            client_id: ClientId::from_stored("cli_1"),
            subscriber_id: SubscriberId::from_stored("sub_1"),
            offer_id: OfferId::from_stored("CURRENT"),
            service_type: ServiceType::Mobile,
            status,
            contract_start_date: date!(2026 - 02 - 01),
            commitment_months: 12,
            commitment_end_date: date!(2027 - 02 - 01),
            monthly_price: crate::money::Money::from_stored(price),
            currency: "MAD".into(),
            tax_rate_bp: 2000,
            termination_date: None,
            document_version: 1,
            suspended_by_dunning: false,
            created_at: datetime!(2026-02-01 00:00 UTC),
            updated_at: datetime!(2026-02-01 00:00 UTC),
        }
    }

    use ContractStatus::Active;
    use OfferStatus::{Active as Sold, Retired};
    use ServiceType::{Internet, Mobile};

    #[test]
    fn a_dearer_target_is_an_upgrade_and_a_cheaper_one_a_downgrade() {
        let c = contract(Active, 10_000);
        assert_eq!(
            direction(&c, &offer("DEAR", Mobile, 15_000, Sold)),
            Ok(Direction::Upgrade)
        );
        assert_eq!(
            direction(&c, &offer("CHEAP", Mobile, 5_000, Sold)),
            Ok(Direction::Downgrade)
        );
    }

    #[test]
    fn the_same_price_in_the_family_is_a_lateral_move_by_the_snapshot_price() {
        // The contract was signed at 100.00: another offer at 100.00 is lateral, even if the
        // current offer's catalog price has moved since.
        let c = contract(Active, 10_000);
        assert_eq!(
            direction(&c, &offer("OTHER", Mobile, 10_000, Sold)),
            Ok(Direction::Lateral)
        );
        let mut same_incl_tax = offer("EXPORT", Mobile, 12_000, Sold);
        same_incl_tax.tax_rate_bp = 0; // 120.00 incl. tax, as the contract's 100.00 + 20 %
        assert_eq!(direction(&c, &same_incl_tax), Ok(Direction::Lateral));
    }

    #[test]
    fn prices_are_compared_including_tax() {
        let c = contract(Active, 10_000); // 120.00 incl. 20 %
        let mut untaxed = offer("EXPORT", Mobile, 11_000, Sold);
        untaxed.tax_rate_bp = 0; // 110.00 incl. tax: cheaper for the client
        assert_eq!(direction(&c, &untaxed), Ok(Direction::Downgrade));
    }

    #[test]
    fn every_broken_rule_has_its_own_violation() {
        let c = contract(Active, 10_000);
        assert_eq!(
            direction(&c, &offer("NET", Internet, 20_000, Sold)),
            Err(RuleViolation::ServiceTypeMismatch)
        );
        assert_eq!(
            direction(&c, &offer("OLD", Mobile, 20_000, Retired)),
            Err(RuleViolation::OfferRetired)
        );
        assert_eq!(
            direction(&c, &offer("CURRENT", Mobile, 20_000, Sold)),
            Err(RuleViolation::SameOffer)
        );
        for status in [
            ContractStatus::Pending,
            ContractStatus::Suspended,
            ContractStatus::Terminated,
            ContractStatus::Cancelled,
        ] {
            assert_eq!(
                direction(
                    &contract(status, 10_000),
                    &offer("DEAR", Mobile, 15_000, Sold)
                ),
                Err(RuleViolation::ContractNotActive)
            );
        }
    }

    #[test]
    fn eligible_offers_keep_only_valid_targets_cheapest_first() {
        let catalog = [
            offer("DEAR", Mobile, 15_000, Sold),
            offer("CURRENT", Mobile, 10_000, Sold),
            offer("SAME", Mobile, 10_000, Sold),
            offer("NET", Internet, 5_000, Sold),
            offer("CHEAP", Mobile, 5_000, Sold),
            offer("OLD", Mobile, 7_000, Retired),
        ];
        let eligible: Vec<(String, Direction)> =
            eligible_offers(&contract(Active, 10_000), &catalog)
                .into_iter()
                .map(|(o, d)| (o.id.into_string(), d))
                .collect();
        assert_eq!(
            eligible,
            vec![
                ("CHEAP".into(), Direction::Downgrade),
                ("SAME".into(), Direction::Lateral),
                ("DEAR".into(), Direction::Upgrade)
            ]
        );
        assert!(eligible_offers(&contract(ContractStatus::Suspended, 10_000), &catalog).is_empty());
    }

    #[test]
    fn the_effective_date_stays_inside_the_current_period_and_the_next_year() {
        let c = contract(Active, 10_000); // period starts 2026-02-01
        let today = DateWindow::new(date!(2026 - 03 - 10), 366);
        assert!(check_effective_date(&c, date!(2026 - 03 - 10), today).is_ok());
        assert!(check_effective_date(&c, date!(2026 - 02 - 01), today).is_ok());
        assert!(check_effective_date(&c, date!(2027 - 03 - 11), today).is_ok());
        assert!(matches!(
            check_effective_date(&c, date!(2026 - 01 - 31), today),
            Err(Error::Rule(RuleViolation::EffectiveDateTooEarly))
        ));
        match check_effective_date(&c, date!(2027 - 03 - 12), today) {
            Err(Error::Validation(errors)) => assert_eq!(errors[0].field, "contract_start_date"),
            other => panic!("expected a validation error, got {other:?}"),
        }
        let mut future = contract(Active, 10_000);
        future.contract_start_date = date!(2026 - 04 - 01);
        assert!(matches!(
            check_effective_date(&future, date!(2026 - 03 - 20), today),
            Err(Error::Rule(RuleViolation::EffectiveDateTooEarly))
        ));
    }
}
