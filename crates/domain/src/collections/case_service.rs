//! Use cases of P15 around cases: list and read them, their actions, record a manual action,
//! move a case through its state machine, and the collections overview.

use std::sync::Arc;

use super::action::{parse_manual_action_type, parse_note, STATUS_CHANGED};
use super::dates::month_bounds;
use super::{CaseAction, CaseFilter, CaseStatus, CollectionCase, Overview};
use crate::clock::Clock;
use crate::error::{Error, Resource, Result, Validator};
use crate::ids::{IdGenerator, IdKind};
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};

/// Cases, their actions and the overview.
#[derive(Clone)]
pub struct CaseService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

impl CaseService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
        }
    }

    /// One page of the cases matching `filter`, by id, overdue figures as of today.
    pub fn list(&self, filter: &CaseFilter, page: &PageRequest) -> Result<Page<CollectionCase>> {
        let today = self.clock.today();
        let rows = read(self.tx.as_ref(), |uow| {
            uow.collections().list(filter, page, today)
        })?;
        Ok(Page::from_fetched(rows, page, |case| &case.id))
    }

    /// One case, overdue figures as of today. `NotFound(CollectionCase)` when unknown.
    pub fn get(&self, case_id: &str) -> Result<CollectionCase> {
        let today = self.clock.today();
        read(self.tx.as_ref(), |uow| find_case(uow, case_id, today))
    }

    /// The case's actions, oldest first.
    pub fn actions(&self, case_id: &str) -> Result<Vec<CaseAction>> {
        let today = self.clock.today();
        read(self.tx.as_ref(), |uow| {
            find_case(uow, case_id, today)?;
            uow.collections().actions(case_id)
        })
    }

    /// Records a manual action (type from `MANUAL_ACTION_TYPES`) on any case.
    pub fn add_action(
        &self,
        case_id: &str,
        action_type: &str,
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<CaseAction> {
        malformed_case_id_is_not_found(case_id)?;
        let mut v = Validator::new();
        let action_type = v.check("action_type", parse_manual_action_type(action_type));
        let note = v.check("note", parse_note(note));
        v.finish()?;
        let (Some(action_type), Some(note)) = (action_type, note) else {
            return Err(Error::Storage("validated action lost a field".into()));
        };
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            find_case(uow, case_id, today)?;
            let action = CaseAction {
                id: self.ids.new_id(IdKind::CaseAction),
                case_id: case_id.to_owned(),
                action_type: action_type.clone(),
                note: note.clone(),
                automatic: false,
                actor_id: actor_id.to_owned(),
                dunning_step: None,
                at: self.clock.now(),
            };
            uow.collections().insert_action(&action)?;
            Ok(action)
        })
    }

    /// Moves a case to `status` through the state machine (`InvalidStatusTransition`
    /// otherwise) and records a `status_changed` action carrying the note.
    pub fn change_status(
        &self,
        case_id: &str,
        status: &str,
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<CollectionCase> {
        malformed_case_id_is_not_found(case_id)?;
        let mut v = Validator::new();
        let to = v.check("status", CaseStatus::parse(status.trim()));
        let note = v.check("note", parse_note(note));
        v.finish()?;
        let (Some(to), Some(note)) = (to, note) else {
            return Err(Error::Storage("validated status lost a field".into()));
        };
        let today = self.clock.today();
        transaction(self.tx.as_ref(), |uow| {
            self.change_status_in(uow, case_id, to, note.clone(), actor_id)?;
            find_case(uow, case_id, today)
        })
    }

    fn change_status_in(
        &self,
        uow: &mut dyn UnitOfWork,
        case_id: &str,
        to: CaseStatus,
        note: Option<String>,
        actor_id: &str,
    ) -> Result<()> {
        if !IdKind::CollectionCase.matches(case_id) {
            return Err(Error::NotFound(Resource::CollectionCase));
        }
        let mut case = uow
            .collections()
            .find_for_update(case_id)?
            .ok_or(Error::NotFound(Resource::CollectionCase))?;
        let from = case.status;
        case.status = from.transition(to)?;
        let now = self.clock.now();
        if matches!(to, CaseStatus::Resolved | CaseStatus::WrittenOff) {
            case.resolved_at = Some(now);
        }
        case.updated_at = now;
        uow.collections().update_case(&case)?;
        let summary = format!("{} → {}", from.as_str(), to.as_str());
        uow.collections().insert_action(&CaseAction {
            id: self.ids.new_id(IdKind::CaseAction),
            case_id: case_id.to_owned(),
            action_type: STATUS_CHANGED.into(),
            note: Some(match note {
                Some(note) => format!("{summary}: {note}"),
                None => summary,
            }),
            automatic: false,
            actor_id: actor_id.to_owned(),
            dunning_step: None,
            at: now,
        })?;
        Ok(())
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
fn malformed_case_id_is_not_found(case_id: &str) -> Result<()> {
    if IdKind::CollectionCase.matches(case_id) {
        Ok(())
    } else {
        Err(Error::NotFound(Resource::CollectionCase))
    }
}

fn find_case(uow: &mut dyn UnitOfWork, case_id: &str, today: time::Date) -> Result<CollectionCase> {
    if !IdKind::CollectionCase.matches(case_id) {
        return Err(Error::NotFound(Resource::CollectionCase));
    }
    uow.collections()
        .find(case_id, today)?
        .ok_or(Error::NotFound(Resource::CollectionCase))
}
