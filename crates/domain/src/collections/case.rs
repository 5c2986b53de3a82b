//! Collection cases and their actions.

use time::OffsetDateTime;

use crate::error::{Conflict, Error};
use crate::money::Money;
use crate::typed_ids::{CaseActionId, CaseId, ClientId, InvoiceId};

/// Where a collection case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum CaseStatus {
    Open,
    InProgress,
    PromiseToPay,
    Resolved,
    WrittenOff,
    Closed,
}

impl CaseStatus {
    /// Every status.
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Open,
        CaseStatus::InProgress,
        CaseStatus::PromiseToPay,
        CaseStatus::Resolved,
        CaseStatus::WrittenOff,
        CaseStatus::Closed,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::PromiseToPay => "promise_to_pay",
            CaseStatus::Resolved => "resolved",
            CaseStatus::WrittenOff => "written_off",
            CaseStatus::Closed => "closed",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<CaseStatus, String> {
        CaseStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                format!(
                    "unknown status `{value}`; expected open, in_progress, promise_to_pay, resolved, written_off or closed"
                )
            })
    }

    /// Still being worked (the one case a client may have at a time).
    pub fn is_live(self) -> bool {
        matches!(
            self,
            CaseStatus::Open | CaseStatus::InProgress | CaseStatus::PromiseToPay
        )
    }

    /// Allowed moves: live states move among themselves and to resolved or written_off;
    /// resolved and written_off move to closed; closed is final.
    pub fn can_move_to(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        match self {
            Open => matches!(to, InProgress | PromiseToPay | Resolved | WrittenOff),
            InProgress => matches!(to, PromiseToPay | Resolved | WrittenOff),
            PromiseToPay => matches!(to, InProgress | Resolved | WrittenOff),
            Resolved | WrittenOff => matches!(to, Closed),
            Closed => false,
        }
    }

    /// `Ok(to)` when allowed, else `Conflict::InvalidStatusTransition`.
    pub fn transition(self, to: CaseStatus) -> Result<CaseStatus, Error> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(Error::Conflict(Conflict::InvalidStatusTransition {
                from: self.as_str().into(),
                to: to.as_str().into(),
            }))
        }
    }
}

/// A case of overdue debt for one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionCase {
    /// `case_…`.
    pub id: CaseId,
    /// Debtor.
    pub client_id: ClientId,
    /// State.
    pub status: CaseStatus,
    /// Highest dunning step reached (0 = none).
    pub dunning_level: i32,
    /// Current overdue amount of the client, centimes.
    pub overdue_amount: Money,
    /// Overdue invoices followed.
    pub invoice_ids: Vec<InvoiceId>,
    /// When it opened.
    pub opened_at: OffsetDateTime,
    /// When it was resolved, if it was.
    pub resolved_at: Option<OffsetDateTime>,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// Something done on a case, by a person or by dunning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAction {
    /// `cact_…`.
    pub id: CaseActionId,
    /// Case.
    pub case_id: CaseId,
    /// `reminder_sms`, `call`, `suspension`, …
    pub action_type: String,
    /// Free note.
    pub note: Option<String>,
    /// Recorded by dunning.
    pub automatic: bool,
    /// Who (`act_…`, or `system` for dunning).
    pub actor_id: String,
    /// The dunning step it records (at most once per case), for automatic ladder actions.
    pub dunning_step: Option<String>,
    /// When.
    pub at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::CaseStatus::*;
    use super::*;

    #[test]
    fn closed_is_final_and_resolved_only_closes() {
        for to in CaseStatus::ALL {
            assert!(!Closed.can_move_to(to));
            assert_eq!(Resolved.can_move_to(to), to == Closed);
        }
    }

    #[test]
    fn live_cases_can_be_resolved_or_written_off() {
        for from in [Open, InProgress, PromiseToPay] {
            assert!(from.can_move_to(Resolved));
            assert!(from.can_move_to(WrittenOff));
            assert!(from.transition(Open).is_err());
        }
    }
}
