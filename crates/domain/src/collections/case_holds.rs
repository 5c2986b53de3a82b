//! Use cases that hold a case's ladder and end the hold: a promise to pay with its terms, and
//! a dispute over some of the client's invoices (decisions 0240, 0241).

use time::Date;

use super::action::{parse_note, PROMISE_TO_PAY};
use super::case_service::{find_case, CaseService};
use super::hold::{
    oldest_counted_due, parse_dispute_outcome, parse_disputed_invoices, parse_promised_amount,
    parse_promised_date, resume_shift, DisputeOutcome, DISPUTE_CLOSED, DISPUTE_OPENED,
};
use super::settlement::settle_if_clear;
use super::{CaseAction, CaseStatus, CollectionCase, Promise};
use crate::error::{Conflict, Error, Resource, Result, Validator};
use crate::money::Money;
use crate::tx::{transaction, UnitOfWork};
use crate::typed_ids::{CaseActionId, CaseId};

/// A manual action as a caller sends it; `promised_date` and `amount` only with
/// `promise_to_pay`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionInput<'a> {
    /// One of `MANUAL_ACTION_TYPES`.
    pub action_type: &'a str,
    /// Free note.
    pub note: Option<&'a str>,
    /// `YYYY-MM-DD`, today or later (promise to pay).
    pub promised_date: Option<&'a str>,
    /// Centimes, above zero and at most the overdue outstanding (promise to pay).
    pub amount: Option<i64>,
}

/// The terms of a promise checked without storage; the amount's upper bound needs the case.
#[derive(Debug, Clone, Copy)]
pub(super) struct PromiseTerms {
    date: Date,
    amount: Money,
}

impl CaseService {
    pub(super) fn promise_terms(
        &self,
        v: &mut Validator,
        input: &ActionInput<'_>,
    ) -> Option<PromiseTerms> {
        let date = v.check(
            "promised_date",
            parse_promised_date(input.promised_date, self.clock.today()),
        );
        let amount = v.check(
            "amount",
            input
                .amount
                .ok_or_else(|| "is required for a promise to pay".to_owned())
                .and_then(Money::positive),
        );
        date.zip(amount)
            .map(|(date, amount)| PromiseTerms { date, amount })
    }

    /// Records a promise to pay on a live case (not a disputed one) and holds its ladder
    /// until the promise is kept or its date passes; a new promise replaces the previous
    /// one. 422 on `amount` above the client's overdue outstanding.
    pub(super) fn record_promise(
        &self,
        case_id: &CaseId,
        terms: PromiseTerms,
        note: Option<String>,
        actor_id: &str,
    ) -> Result<CaseAction> {
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            let mut case = lock_case(uow, case_id)?;
            if case.status != CaseStatus::PromiseToPay {
                case.status = case.status.transition(CaseStatus::PromiseToPay)?;
            }
            let overdue = find_case(uow, case_id, today)?.overdue_amount;
            let amount = parse_promised_amount(Some(terms.amount.centimes()), overdue)
                .map_err(|message| Error::invalid("amount", message))?;
            let now = self.clock.now();
            case.promise = Some(Promise {
                date: terms.date,
                amount,
                made_at: now,
                settled_before: uow.collections().settled_total(&case.client_id)?,
            });
            case.updated_at = now;
            uow.collections().update_case(&case)?;
            let terms = format!("{} centimes by {}", amount.centimes(), terms.date);
            let action = CaseAction {
                id: CaseActionId::generate(self.ids.as_ref()),
                case_id: case_id.clone(),
                action_type: PROMISE_TO_PAY.into(),
                note: Some(match &note {
                    Some(note) => format!("{terms}: {note}"),
                    None => terms,
                }),
                automatic: false,
                actor_id: actor_id.to_owned(),
                dunning_step: None,
                at: now,
            };
            uow.collections().insert_action(&action)?;
            Ok(action)
        })
    }

    /// Opens a dispute on a live case over overdue invoices of its client: the case becomes
    /// `disputed` and those invoices count for nothing in the ladder until it is closed.
    pub fn open_dispute(
        &self,
        case_id: &CaseId,
        invoice_ids: &[String],
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<CollectionCase> {
        let mut v = Validator::new();
        let invoices = v.check("invoice_ids", parse_disputed_invoices(invoice_ids));
        let note = v.check("note", parse_note(note));
        let (invoice_ids, note) = v.finish_with(invoices.zip(note))?;
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            let mut case = lock_case(uow, case_id)?;
            if case.status == CaseStatus::Disputed {
                return Err(Conflict::CaseAlreadyDisputed.into());
            }
            case.status = case.status.transition(CaseStatus::Disputed)?;
            let mut numbers = Vec::with_capacity(invoice_ids.len());
            for id in &invoice_ids {
                let invoice = uow
                    .invoices()
                    .find(id)?
                    .ok_or(Error::NotFound(Resource::Invoice))?;
                if invoice.client_id != case.client_id {
                    return Err(Conflict::InvoiceOfAnotherClient.into());
                }
                if !invoice.is_overdue(today) {
                    return Err(Conflict::InvoiceNotOverdue.into());
                }
                numbers.push(invoice.invoice_number);
            }
            let now = self.clock.now();
            uow.collections().open_dispute(case_id, &invoice_ids, now)?;
            case.updated_at = now;
            uow.collections().update_case(&case)?;
            let what = format!("disputed: {}", numbers.join(", "));
            uow.collections().insert_action(&CaseAction {
                id: CaseActionId::generate(self.ids.as_ref()),
                case_id: case_id.clone(),
                action_type: DISPUTE_OPENED.into(),
                note: Some(match &note {
                    Some(note) => format!("{what}: {note}"),
                    None => what,
                }),
                automatic: false,
                actor_id: actor_id.to_owned(),
                dunning_step: None,
                at: now,
            })?;
            find_case(uow, case_id, today)
        })
    }

    /// Closes the case's open dispute. `upheld` names the credit note the ledger issued for
    /// one of the disputed invoices (what it did not credit is still owed); `rejected` puts
    /// the invoices back as billed. Either way the case goes back to `in_progress` and its
    /// ladder resumes where it stopped, or it is resolved when nothing is overdue any more.
    pub fn close_dispute(
        &self,
        case_id: &CaseId,
        outcome: &str,
        credit_note_id: Option<&str>,
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<CollectionCase> {
        let mut v = Validator::new();
        let outcome = match parse_dispute_outcome(outcome, credit_note_id) {
            Ok(outcome) => Some(outcome),
            Err((field, message)) => {
                v.push(field, message);
                None
            }
        };
        let note = v.check("note", parse_note(note));
        let (outcome, note) = v.finish_with(outcome.zip(note))?;
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            let mut case = lock_case(uow, case_id)?;
            if case.status != CaseStatus::Disputed {
                return Err(Conflict::NoOpenDispute.into());
            }
            let held = uow.collections().disputed_invoice_ids(case_id)?;
            let summary = match &outcome {
                DisputeOutcome::Upheld(credit_note_id) => {
                    let credit_note = uow
                        .credit_notes()
                        .find(credit_note_id)?
                        .ok_or(Error::NotFound(Resource::CreditNote))?;
                    if !held.contains(&credit_note.invoice_id) {
                        return Err(Conflict::CreditNoteNotForDispute.into());
                    }
                    format!("upheld by credit note {}", credit_note.credit_note_number)
                }
                DisputeOutcome::Rejected => "rejected".to_owned(),
            };
            let now = self.clock.now();
            let credit_note_id = match &outcome {
                DisputeOutcome::Upheld(id) => Some(id.clone()),
                DisputeOutcome::Rejected => None,
            };
            uow.collections()
                .close_dispute(case_id, now, outcome.as_str(), credit_note_id)?;
            case.status = case.status.transition(CaseStatus::InProgress)?;
            self.resume_ladder(uow, &mut case, today)?;
            case.updated_at = now;
            uow.collections().update_case(&case)?;
            uow.collections().insert_action(&CaseAction {
                id: CaseActionId::generate(self.ids.as_ref()),
                case_id: case_id.clone(),
                action_type: DISPUTE_CLOSED.into(),
                note: Some(match &note {
                    Some(note) => format!("{summary}: {note}"),
                    None => summary,
                }),
                automatic: false,
                actor_id: actor_id.to_owned(),
                dunning_step: None,
                at: now,
            })?;
            settle_if_clear(uow, self.ids.as_ref(), &case.client_id, today, now)?;
            find_case(uow, case_id, today)
        })
    }

    /// Moves the case's ladder shift so that, with nothing held any more, the next dunning
    /// run records at most the step after the last one reached.
    pub(super) fn resume_ladder(
        &self,
        uow: &mut dyn UnitOfWork,
        case: &mut CollectionCase,
        today: Date,
    ) -> Result<()> {
        let overdue = uow.collections().overdue_invoices(&case.client_id, today)?;
        let ended = uow.collections().last_case_end(&case.client_id)?;
        if let Some(oldest_due) = oldest_counted_due(&overdue, &[], ended) {
            case.ladder_shift_days = resume_shift(
                &self.ladder,
                case.dunning_level,
                (today - oldest_due).whole_days(),
                case.ladder_shift_days,
            );
        }
        Ok(())
    }
}

fn lock_case(uow: &mut dyn UnitOfWork, case_id: &CaseId) -> Result<CollectionCase> {
    uow.collections()
        .find_for_update(case_id)?
        .ok_or(Error::NotFound(Resource::CollectionCase))
}
