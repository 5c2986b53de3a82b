//! Changes to invoiced months (issue #22 §6, decisions 0250–0251): a contract change whose
//! effective date falls in a month already invoiced for the contract is refused
//! (`period_already_billed`) unless the operator asks to regularise; then, in the change's
//! transaction, each invoiced month gets a credit note for what it should no longer bill and
//! a regularisation charge, billed on the next invoice, for what it now owes.

use time::Date;

use super::audit::{fields, AuditAction};
use super::regularisation::{correction, french_date};
use super::service::ContractService;
use super::{Contract, ContractStatus, OfferChange, StatusChange};
use crate::billing::{
    bill, BillableContract, Invoice, InvoiceStatus, NamedPeriod, PendingCharge, Period,
};
use crate::credit_notes::{CreditNoteInput, CreditNoteLineInput, IssuedCreditNote};
use crate::error::{Conflict, Result};
use crate::tx::{transaction, UnitOfWork};
use crate::typed_ids::{ContractId, PendingChargeId};

/// The kind of change, named in the texts of its regularisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// An offer change.
    OfferChange,
    /// A status change to this status.
    Status(ContractStatus),
}

impl ChangeKind {
    /// French name printed on the credit note and the charge.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::OfferChange => "changement d'offre",
            ChangeKind::Status(ContractStatus::Terminated) => "résiliation",
            ChangeKind::Status(ContractStatus::Suspended) => "suspension",
            ChangeKind::Status(ContractStatus::Active) => "réactivation",
            ChangeKind::Status(ContractStatus::Pending | ContractStatus::Cancelled) => {
                "changement de statut"
            }
        }
    }
}

/// What a regularised change did to the invoiced months.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regularisation {
    /// Credit notes issued, one per invoice corrected, by period.
    pub credit_notes: Vec<IssuedCreditNote>,
    /// Charges waiting for the contract's next invoice.
    pub pending_charges: Vec<PendingCharge>,
}

/// A contract after an operator's change, with the regularisation it made (`None` when the
/// change touched no invoiced month).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractChanged {
    /// The contract after the change.
    pub contract: Contract,
    /// The correction of its invoiced months, if any was needed.
    pub regularisation: Option<Regularisation>,
}

impl ContractService {
    /// P6: applies a status change (from [`Self::validate_status_update`]) in one
    /// transaction. A termination whose day after its last day of service, or a suspension
    /// or reactivation whose explicit `effective_date`, falls in a month already invoiced
    /// for the contract is `Conflict(PeriodAlreadyBilled)` unless `regularize`; then those
    /// invoices are corrected in the same transaction.
    pub fn update_status(
        &self,
        actor_id: &str,
        contract_id: &ContractId,
        change: &StatusChange,
        regularize: bool,
    ) -> Result<ContractChanged> {
        transaction(self.tx.as_ref(), |uow| {
            let contract = self.change_status_in(uow, actor_id, contract_id, change)?;
            let from = match change.status {
                ContractStatus::Terminated => contract.termination_date.and_then(Date::next_day),
                ContractStatus::Suspended | ContractStatus::Active => change.effective_date,
                ContractStatus::Pending | ContractStatus::Cancelled => None,
            };
            let kind = ChangeKind::Status(change.status);
            let date = change
                .effective_date
                .or(contract.termination_date)
                .unwrap_or_else(|| self.clock.today());
            self.settle_billed_months(uow, actor_id, contract, from, regularize, (kind, date))
        })
    }

    /// P6: moves the contract to another offer of its service type (the change from
    /// [`Self::validate_offer_update`]) in one transaction; a change effective in a month
    /// already invoiced for the contract is `Conflict(PeriodAlreadyBilled)` unless
    /// `regularize` (see [`Self::update_status`]).
    pub fn update_offer(
        &self,
        actor_id: &str,
        contract_id: &ContractId,
        change: &OfferChange,
        regularize: bool,
    ) -> Result<ContractChanged> {
        transaction(self.tx.as_ref(), |uow| {
            let contract = self.change_offer_in(uow, actor_id, contract_id, change)?;
            let from = Some(change.effective_date);
            let kind = (ChangeKind::OfferChange, change.effective_date);
            self.settle_billed_months(uow, actor_id, contract, from, regularize, kind)
        })
    }

    /// `Conflict(PeriodAlreadyBilled)` when a month from `from`'s on is invoiced for the
    /// contract: the landing plan change only takes dates not yet billed.
    pub fn ensure_not_billed(
        &self,
        uow: &mut dyn UnitOfWork,
        contract_id: &ContractId,
        from: Date,
    ) -> Result<()> {
        match billed_from(uow, contract_id, from)?.first() {
            Some(invoice) => Err(already_billed(invoice)),
            None => Ok(()),
        }
    }

    /// After a change applied in `uow`: nothing when no invoiced month holds a day from
    /// `from` on; else the conflict, or, with `regularize`, the correction of those months.
    fn settle_billed_months(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        contract: Contract,
        from: Option<Date>,
        regularize: bool,
        (kind, date): (ChangeKind, Date),
    ) -> Result<ContractChanged> {
        let billed = match from {
            Some(from) => billed_from(uow, &contract.id, from)?,
            None => Vec::new(),
        };
        let Some(first) = billed.first() else {
            return Ok(ContractChanged {
                contract,
                regularisation: None,
            });
        };
        if !regularize {
            return Err(already_billed(first));
        }
        let regularisation = self.regularise_in(uow, actor_id, &contract, &billed, kind, date)?;
        Ok(ContractChanged {
            contract,
            regularisation: Some(regularisation),
        })
    }

    /// Corrects each of `billed` against what the engine bills its month for the contract
    /// as it now is, and audits what was issued.
    fn regularise_in(
        &self,
        uow: &mut dyn UnitOfWork,
        actor_id: &str,
        contract: &Contract,
        billed: &[Invoice],
        kind: ChangeKind,
        date: Date,
    ) -> Result<Regularisation> {
        let billable = BillableContract {
            contract_id: contract.id.clone(),
            client_id: contract.client_id.clone(),
            service_type: contract.service_type,
            status: contract.status,
            termination_date: contract.termination_date,
            // Only the amounts of this draft are used; the line keeps what it was billed under.
            service_identifier: billed
                .first()
                .map(|invoice| invoice.service_identifier.clone())
                .unwrap_or_default(),
            offer_periods: uow
                .contracts()
                .offer_periods(&contract.id)?
                .into_iter()
                .map(|period| NamedPeriod {
                    period,
                    offer_name: String::new(),
                })
                .collect(),
            pending_charges: Vec::new(),
            usage: Vec::new(),
            late: Vec::new(),
        };
        let reason = format!(
            "Régularisation : {} au {} (contrat {})",
            kind.label(),
            french_date(date),
            contract.contract_number
        );
        let now = self.clock.now();
        let mut done = Regularisation::default();
        for invoice in billed {
            let fix = correction(invoice, bill(&billable, invoice.period).as_ref());
            if fix.is_empty() {
                continue;
            }
            // Only the month's own lines are compared: a second correction of a month would
            // have to net the earlier one out (decision 0251).
            if !invoice.credit_note_ids.is_empty() {
                return Err(Conflict::InvoiceAlreadyCorrected {
                    invoice_number: invoice.invoice_number.clone(),
                }
                .into());
            }
            if !fix.credits.is_empty() {
                let input = CreditNoteInput {
                    reason: reason.clone(),
                    lines: Some(
                        fix.credits
                            .iter()
                            .map(|c| CreditNoteLineInput {
                                position: c.position,
                                amount_excl_tax: c.amount_excl_tax.centimes(),
                            })
                            .collect(),
                    ),
                };
                let issued = self
                    .credit_notes
                    .issue_in(uow, &invoice.id, &input, actor_id)?;
                done.credit_notes.push(issued);
            }
            done.pending_charges
                .extend(fix.owed.into_iter().map(|line| PendingCharge {
                    id: PendingChargeId::generate(self.ids.as_ref()),
                    contract_id: contract.id.clone(),
                    regularised_invoice_id: invoice.id.clone(),
                    description: format!(
                        "Régularisation {} du {} au {}",
                        kind.label(),
                        french_date(line.start_date),
                        french_date(line.end_date)
                    ),
                    offer_id: line.offer_id,
                    start_date: line.start_date,
                    end_date: line.end_date,
                    days: line.days,
                    monthly_price: line.monthly_price,
                    amount_excl_tax: line.amount_excl_tax,
                    tax_rate_bp: line.tax_rate_bp,
                    created_at: now,
                }));
        }
        if !done.pending_charges.is_empty() {
            uow.contracts()
                .insert_pending_charges(&done.pending_charges)?;
        }
        self.audit(
            uow,
            actor_id,
            &contract.id,
            AuditAction::Regularised,
            Some(fields([(
                "invoices",
                Some(join(billed.iter().map(|i| i.invoice_number.clone()))),
            )])),
            Some(regularisation_fields(&reason, &done)),
        )?;
        Ok(done)
    }
}

/// The contract's invoices holding a day from `from` on, by period; void ones bill nothing.
fn billed_from(
    uow: &mut dyn UnitOfWork,
    contract_id: &ContractId,
    from: Date,
) -> Result<Vec<Invoice>> {
    Ok(uow
        .invoices()
        .billed_for_contract(contract_id, Period::containing(from))?
        .into_iter()
        .filter(|i| i.status != InvoiceStatus::Void)
        .collect())
}

fn already_billed(invoice: &Invoice) -> crate::error::Error {
    Conflict::PeriodAlreadyBilled {
        invoice_number: invoice.invoice_number.clone(),
        period: invoice.period.to_string(),
    }
    .into()
}

/// What the audit records of a regularisation: its reason, the notes by number and the
/// charges by id with their amount excl. tax in centimes.
fn regularisation_fields(reason: &str, done: &Regularisation) -> super::Fields {
    let notes = join(
        done.credit_notes
            .iter()
            .map(|n| n.note.credit_note_number.clone()),
    );
    let charges = join(done.pending_charges.iter().map(|c| {
        format!(
            "{} {} ({})",
            c.id,
            c.amount_excl_tax.centimes(),
            c.description
        )
    }));
    fields([
        ("reason", Some(reason.to_owned())),
        ("credit_notes", (!notes.is_empty()).then_some(notes)),
        ("pending_charges", (!charges.is_empty()).then_some(charges)),
    ])
}

fn join(values: impl Iterator<Item = String>) -> String {
    values.collect::<Vec<_>>().join(", ")
}
