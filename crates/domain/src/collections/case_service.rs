//! Use cases of P15 around cases: list and read them, their actions, record a manual action,
//! move a case through its state machine, and the collections overview.

use std::sync::Arc;

use super::action::{parse_manual_action_type, parse_note, PROMISE_TO_PAY, STATUS_CHANGED};
use super::case_holds::ActionInput;
use super::dates::month_bounds;
use super::{CaseAction, CaseFilter, CaseStatus, CollectionCase, Overview};
use crate::clock::Clock;
use crate::error::{Error, Resource, Result, Validator};
use crate::events::{record, EventPayload};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::settings::DunningLadder;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{CaseActionId, CaseId};

/// Cases, their actions and the overview.
#[derive(Clone)]
pub struct CaseService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ids: Arc<dyn IdGenerator>,
    pub(super) ladder: DunningLadder,
}

impl CaseService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            ladder: ports.settings.dunning_ladder,
        }
    }

    /// One page of the cases matching `filter`, by id, overdue figures as of today.
    pub fn list(&self, filter: &CaseFilter, page: &PageRequest) -> Result<Page<CollectionCase>> {
        let today = self.clock.today();
        let rows = read(self.tx.as_ref(), |uow| {
            uow.collections().list(filter, page, today)
        })?;
        Ok(Page::from_fetched(rows, page, |case| case.id.as_str()))
    }

    /// One case, overdue figures as of today. `NotFound(CollectionCase)` when unknown.
    pub fn get(&self, case_id: &CaseId) -> Result<CollectionCase> {
        let today = self.clock.today();
        read(self.tx.as_ref(), |uow| find_case(uow, case_id, today))
    }

    /// The case's actions, oldest first.
    pub fn actions(&self, case_id: &CaseId) -> Result<Vec<CaseAction>> {
        let today = self.clock.today();
        read(self.tx.as_ref(), |uow| {
            find_case(uow, case_id, today)?;
            uow.collections().actions(case_id)
        })
    }

    /// Records a manual action (type from `MANUAL_ACTION_TYPES`) on any case. A
    /// `promise_to_pay` carries its terms and puts the case in `promise_to_pay`
    /// (recorded by `record_promise`); other types carry none.
    pub fn add_action(
        &self,
        case_id: &CaseId,
        input: &ActionInput<'_>,
        actor_id: &str,
    ) -> Result<CaseAction> {
        let mut v = Validator::new();
        let action_type = v.check("action_type", parse_manual_action_type(input.action_type));
        let note = v.check("note", parse_note(input.note));
        if action_type.as_deref() == Some(PROMISE_TO_PAY) {
            let terms = self.promise_terms(&mut v, input);
            let (note, terms) = v.finish_with(note.zip(terms))?;
            return self.record_promise(case_id, terms, note, actor_id);
        }
        for (field, given) in [
            ("promised_date", input.promised_date.is_some()),
            ("amount", input.amount.is_some()),
        ] {
            if given {
                v.push(field, "is only accepted with action_type promise_to_pay");
            }
        }
        let (action_type, note) = v.finish_with(action_type.zip(note))?;
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            let case = find_case(uow, case_id, today)?;
            let action = CaseAction {
                id: CaseActionId::generate(self.ids.as_ref()),
                case_id: case_id.clone(),
                action_type: action_type.clone(),
                note: note.clone(),
                automatic: false,
                actor_id: actor_id.to_owned(),
                dunning_step: None,
                at: self.clock.now(),
            };
            uow.collections().insert_action(&action)?;
            record(
                uow,
                self.ids.as_ref(),
                action.at,
                Some(actor_id),
                EventPayload::CollectionCaseStepTaken(case, action.clone()),
            )?;
            Ok(action)
        })
    }

    /// Moves a case to `status` through the state machine (`InvalidStatusTransition`
    /// otherwise) and records a `status_changed` action carrying the note.
    pub fn change_status(
        &self,
        case_id: &CaseId,
        status: &str,
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<CollectionCase> {
        let mut v = Validator::new();
        let to = v.check("status", CaseStatus::parse(status.trim()));
        let note = v.check("note", parse_note(note));
        let (to, note) = v.finish_with(to.zip(note))?;
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            let action = self.change_status_in(uow, case_id, to, note.clone(), actor_id)?;
            let case = find_case(uow, case_id, today)?;
            let payload = if to == CaseStatus::Resolved {
                EventPayload::CollectionCaseResolved(case.clone())
            } else {
                EventPayload::CollectionCaseStepTaken(case.clone(), action)
            };
            record(
                uow,
                self.ids.as_ref(),
                self.clock.now(),
                Some(actor_id),
                payload,
            )?;
            Ok(case)
        })
    }

    fn change_status_in(
        &self,
        uow: &mut dyn UnitOfWork,
        case_id: &CaseId,
        to: CaseStatus,
        note: Option<String>,
        actor_id: &str,
    ) -> Result<CaseAction> {
        let mut case = uow
            .collections()
            .find_for_update(case_id)?
            .ok_or(Error::NotFound(Resource::CollectionCase))?;
        let from = case.status;
        case.status = from.set_by_hand(to)?;
        let now = self.clock.now();
        if from == CaseStatus::PromiseToPay && to == CaseStatus::InProgress {
            // The agent ends the promise: the ladder resumes where it stopped.
            self.resume_ladder(uow, &mut case, self.clock.today())?;
        }
        if matches!(to, CaseStatus::Resolved | CaseStatus::WrittenOff) {
            case.resolved_at = Some(now);
        }
        case.updated_at = now;
        uow.collections().update_case(&case)?;
        let summary = format!("{} → {}", from.as_str(), to.as_str());
        let action = CaseAction {
            id: CaseActionId::generate(self.ids.as_ref()),
            case_id: case_id.clone(),
            action_type: STATUS_CHANGED.into(),
            note: Some(match note {
                Some(note) => format!("{summary}: {note}"),
                None => summary,
            }),
            automatic: false,
            actor_id: actor_id.to_owned(),
            dunning_step: None,
            at: now,
        };
        uow.collections().insert_action(&action)?;
        Ok(action)
    }

    /// The collections snapshot as of today; collected amounts over the current month.
    pub fn overview(&self) -> Result<Overview> {
        let today = self.clock.today();
        let (start, end) = month_bounds(today);
        transaction(self.tx.as_ref(), |uow| {
            uow.collections().overview(today, start, end)
        })
    }
}

/// A malformed case id names no case: 404 before the body is validated (api-conventions).
pub(super) fn find_case(
    uow: &mut dyn UnitOfWork,
    case_id: &CaseId,
    today: time::Date,
) -> Result<CollectionCase> {
    uow.collections()
        .find(case_id, today)?
        .ok_or(Error::NotFound(Resource::CollectionCase))
}
