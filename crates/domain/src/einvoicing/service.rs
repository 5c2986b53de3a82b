//! `ClearanceService`: the clearance of documents as the API shows it, the operators'
//! figures, and the rule that a document is offered only once cleared.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Clearance, ClearanceStatus, ClearanceSummary};
use crate::documents::ClearanceStamp;
use crate::error::{Conflict, Result};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tx::{read, TransactionRunner, UnitOfWork};

/// Reads of the clearances.
#[derive(Clone)]
pub struct ClearanceService {
    tx: Arc<dyn TransactionRunner>,
    settings: Arc<Settings>,
}

impl ClearanceService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            settings: ports.settings.clone(),
        }
    }

    /// Whether e-invoicing is on (`MTF_EINVOICING`).
    pub fn enabled(&self) -> bool {
        self.settings.einvoicing
    }

    /// The clearance of the document with this id; `None` when e-invoicing is off (nothing
    /// is read: today's answers exactly) or when the document was issued while it was off.
    pub fn of(&self, document_id: &str) -> Result<Option<Clearance>> {
        if !self.enabled() {
            return Ok(None);
        }
        read(self.tx.as_ref(), |uow| uow.clearances().find(document_id))
    }

    /// The clearances of these documents, in one read; empty when e-invoicing is off.
    pub fn of_many(&self, document_ids: &[String]) -> Result<Vec<Clearance>> {
        if !self.enabled() || document_ids.is_empty() {
            return Ok(Vec::new());
        }
        read(self.tx.as_ref(), |uow| {
            uow.clearances().find_many(document_ids)
        })
    }

    /// Counts by status, the oldest document waiting and the latest error.
    pub fn summary(&self) -> Result<ClearanceSummary> {
        read(self.tx.as_ref(), |uow| uow.clearances().summary())
    }
}

/// The rule of issue #18: with e-invoicing on, a document is offered (its PDF rendered or
/// served) only once cleared; `Conflict::DocumentNotCleared` while pending, submitted or
/// rejected. Returns the stamp its PDF prints, `None` for a document issued while
/// e-invoicing was off (it has no clearance) or when e-invoicing is off.
pub fn ensure_cleared(
    uow: &mut dyn UnitOfWork,
    settings: &Settings,
    document_id: &str,
) -> Result<Option<ClearanceStamp>> {
    if !settings.einvoicing {
        return Ok(None);
    }
    match uow.clearances().find(document_id)? {
        None => Ok(None),
        Some(clearance) if clearance.status == ClearanceStatus::Cleared => Ok(stamp_of(&clearance)),
        Some(clearance) => Err(Conflict::DocumentNotCleared {
            status: clearance.status.as_str(),
        }
        .into()),
    }
}

/// Whether a document whose clearance is `status` (`None`: none, or e-invoicing off) is
/// offered to its client: the rule of [`ensure_cleared`], for lists that must not link to a
/// document it would refuse.
pub fn is_offered(status: Option<ClearanceStatus>) -> bool {
    status.is_none_or(|s| s == ClearanceStatus::Cleared)
}

/// The clearance status of each of `document_ids` that has one, by id, in one read; empty
/// without a read when e-invoicing is off.
pub fn clearance_statuses(
    uow: &mut dyn UnitOfWork,
    settings: &Settings,
    document_ids: &[String],
) -> Result<HashMap<String, ClearanceStatus>> {
    if !settings.einvoicing || document_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(uow
        .clearances()
        .find_many(document_ids)?
        .into_iter()
        .map(|c| (c.document.id().to_owned(), c.status))
        .collect())
}

/// When the archive may seal a document (decision 0324).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealWhen {
    /// Its clearance is final (or there is none): seal it now, its PDF printing this stamp.
    Now(Option<ClearanceStamp>),
    /// Still waiting for the authority: its chain stops before it until then.
    Wait,
}

/// Whether the archive seals `document_id` now: with e-invoicing off or without a clearance
/// row, at once; cleared, with its stamp; rejected, with its plain PDF (a rejected invoice
/// keeps its number, so it keeps its place in the chain); pending or submitted, not yet.
pub fn seal_when(
    uow: &mut dyn UnitOfWork,
    settings: &Settings,
    document_id: &str,
) -> Result<SealWhen> {
    if !settings.einvoicing {
        return Ok(SealWhen::Now(None));
    }
    Ok(match uow.clearances().find(document_id)? {
        None => SealWhen::Now(None),
        Some(clearance) => match clearance.status {
            ClearanceStatus::Cleared => SealWhen::Now(stamp_of(&clearance)),
            ClearanceStatus::Rejected => SealWhen::Now(None),
            ClearanceStatus::Pending | ClearanceStatus::Submitted => SealWhen::Wait,
        },
    })
}

/// What a cleared document prints; `None` unless cleared with a reference and a code.
pub fn stamp_of(clearance: &Clearance) -> Option<ClearanceStamp> {
    if clearance.status != ClearanceStatus::Cleared {
        return None;
    }
    Some(ClearanceStamp {
        reference: clearance.reference.clone()?,
        verification_code: clearance.verification_code.clone()?,
        cleared_at: clearance.cleared_at?,
    })
}
