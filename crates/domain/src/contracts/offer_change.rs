//! Offer changes: the internal offer update (P6) and, through `change_offer_in`, the landing
//! plan change (P9). Each closes the current offer period, opens the next at the new price,
//! and produces a new document version.

use super::audit::{fields, AuditAction};
use super::commands::parse_date;
use super::paperwork::Parties;
use super::provision::{ensure_sellable, find_offer};
use super::service::{lock_contract, ContractService};
use super::{commitment_end_date, Contract, ContractStatus, OfferChange, OfferPeriod, UpdateOffer};
use crate::error::{Result, RuleViolation, Validator};
use crate::events::{record, EventPayload};
use crate::tx::UnitOfWork;
use crate::typed_ids::ContractId;

impl ContractService {
    /// Validates an offer update as received (`effective_date` defaults to today). The
    /// internal update keeps the commitment and is audited as `offer_changed`.
    pub fn validate_offer_update(&self, command: &UpdateOffer) -> Result<OfferChange> {
        let mut v = Validator::new();
        let effective_date = match command.effective_date.as_deref() {
            Some(raw) => v.check(
                "effective_date",
                parse_date(raw).and_then(|d| self.date_window().check(d)),
            ),
            None => Some(self.clock.today()),
        };
        let effective_date = v.finish_with(effective_date)?;
        Ok(OfferChange {
            offer_id: command.offer_id.clone(),
            effective_date,
            restart_commitment: false,
            audit_action: AuditAction::OfferChanged,
        })
    }

    /// Moves the contract to `change.offer_id` from `change.effective_date`, inside the
    /// caller's transaction: closes the open offer period there (or, for a change effective
    /// the day that period starts, replaces its offer so no empty period is recorded), opens
    /// the new one at the new offer's price and tax rate, snapshots them on the contract,
    /// optionally restarts the commitment, stores document version + 1 and audits both.
    ///
    /// Callers check their own extra rules first (P9: active only, owner's CIN, price
    /// differs). Errors: `NotFound(Contract | Offer)`; `Rule(ContractNotActive)` unless
    /// active or suspended; `Rule(OfferRetired | SameOffer | ServiceTypeMismatch |
    /// EffectiveDateTooEarly)`.
    pub fn change_offer_in(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        contract_id: &ContractId,
        change: &OfferChange,
    ) -> Result<Contract> {
        let mut contract = lock_contract(uow, contract_id)?;
        if !matches!(
            contract.status,
            ContractStatus::Active | ContractStatus::Suspended
        ) {
            return Err(RuleViolation::ContractNotActive.into());
        }
        let offer = find_offer(uow, &change.offer_id)?;
        if offer.id == contract.offer_id {
            return Err(RuleViolation::SameOffer.into());
        }
        if offer.service_type != contract.service_type {
            return Err(RuleViolation::ServiceTypeMismatch.into());
        }
        ensure_sellable(&offer)?;
        let effective = change.effective_date;
        let period = OfferPeriod {
            offer_id: offer.id.clone(),
            monthly_price: offer.monthly_price,
            tax_rate_bp: offer.tax_rate_bp,
            start_date: effective,
            end_date: None,
            usage: offer.usage,
        };
        match uow.contracts().open_offer_period(&contract.id)? {
            Some(open) if effective < open.start_date => {
                return Err(RuleViolation::EffectiveDateTooEarly.into());
            }
            Some(open) if effective == open.start_date => {
                uow.contracts()
                    .replace_open_offer_period(&contract.id, &period)?;
            }
            _ => {
                let now = self.clock.now();
                uow.contracts()
                    .close_offer_period(&contract.id, effective)?;
                uow.contracts()
                    .insert_offer_period(&contract.id, &period, now)?;
            }
        }
        let before = contract.clone();
        contract.offer_id = offer.id.clone();
        contract.monthly_price = offer.monthly_price;
        contract.tax_rate_bp = offer.tax_rate_bp;
        contract.currency = offer.currency.clone();
        if change.restart_commitment {
            contract.contract_start_date = effective;
            contract.commitment_end_date =
                commitment_end_date(effective, contract.commitment_months);
        }
        contract.document_version = before.document_version + 1;
        contract.updated_at = self.clock.now();
        uow.contracts().update(&contract)?;
        self.audit(
            uow,
            actor_id,
            &contract.id,
            change.audit_action,
            Some(offer_fields(&before)),
            Some(
                offer_fields(&contract)
                    .into_iter()
                    .chain(fields([("effective_date", Some(effective.to_string()))]))
                    .collect(),
            ),
        )?;
        let parties = Parties::load(uow, &contract)?;
        self.issue_document(uow, actor_id, &contract, &parties, &offer, effective)?;
        record(
            uow,
            self.ids.as_ref(),
            contract.updated_at,
            Some(actor_id),
            EventPayload::ContractOfferChanged(contract.clone()),
        )?;
        Ok(contract)
    }
}

/// The fields an offer change touches.
fn offer_fields(contract: &Contract) -> super::Fields {
    fields([
        ("offer_id", Some(contract.offer_id.to_string())),
        (
            "monthly_price",
            Some(contract.monthly_price.centimes().to_string()),
        ),
        ("tax_rate_bp", Some(contract.tax_rate_bp.to_string())),
        (
            "contract_start_date",
            Some(contract.contract_start_date.to_string()),
        ),
        (
            "commitment_end_date",
            Some(contract.commitment_end_date.to_string()),
        ),
        (
            "document_version",
            Some(contract.document_version.to_string()),
        ),
    ])
}
