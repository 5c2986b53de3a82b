//! Collection cases and their actions.

use time::{Date, OffsetDateTime};

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
    Disputed,
    Resolved,
    WrittenOff,
    Closed,
}

impl CaseStatus {
    /// Every status.
    pub const ALL: [CaseStatus; 7] = [
        CaseStatus::Open,
        CaseStatus::InProgress,
        CaseStatus::PromiseToPay,
        CaseStatus::Disputed,
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
            CaseStatus::Disputed => "disputed",
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
                    "unknown status `{value}`; expected open, in_progress, promise_to_pay, disputed, resolved, written_off or closed"
                )
            })
    }

    /// Still being worked (the one case a client may have at a time).
    pub fn is_live(self) -> bool {
        matches!(
            self,
            CaseStatus::Open
                | CaseStatus::InProgress
                | CaseStatus::PromiseToPay
                | CaseStatus::Disputed
        )
    }

    /// Allowed moves: live states move among themselves and to resolved or written_off;
    /// resolved and written_off move to closed; closed is final. A disputed case leaves its
    /// dispute to in_progress, or is resolved when its balance reaches zero (decision 0240).
    pub fn can_move_to(self, to: CaseStatus) -> bool {
        use CaseStatus::*;
        match self {
            Open => matches!(
                to,
                InProgress | PromiseToPay | Disputed | Resolved | WrittenOff
            ),
            InProgress => matches!(to, PromiseToPay | Disputed | Resolved | WrittenOff),
            PromiseToPay => matches!(to, InProgress | Disputed | Resolved | WrittenOff),
            Disputed => matches!(to, InProgress | Resolved),
            Resolved | WrittenOff => matches!(to, Closed),
            Closed => false,
        }
    }

    /// Moves an agent may make with a plain status change. `promise_to_pay` and `disputed`
    /// carry terms (a date and an amount, a list of invoices), so they are entered through
    /// their own actions; a disputed case leaves only by closing its dispute.
    pub fn can_set_by_hand(self, to: CaseStatus) -> bool {
        !matches!(to, CaseStatus::PromiseToPay | CaseStatus::Disputed)
            && self != CaseStatus::Disputed
            && self.can_move_to(to)
    }

    /// `Ok(to)` when an agent may make this move by hand, else
    /// `Conflict::InvalidStatusTransition`.
    pub fn set_by_hand(self, to: CaseStatus) -> Result<CaseStatus, Error> {
        if self.can_set_by_hand(to) {
            Ok(to)
        } else {
            Err(self.refused(to))
        }
    }

    fn refused(self, to: CaseStatus) -> Error {
        Error::Conflict(Conflict::InvalidStatusTransition {
            from: self.as_str().into(),
            to: to.as_str().into(),
        })
    }

    /// `Ok(to)` when allowed, else `Conflict::InvalidStatusTransition`.
    pub fn transition(self, to: CaseStatus) -> Result<CaseStatus, Error> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(self.refused(to))
        }
    }
}

/// A client's promise to pay `amount` by `date`, as an agent recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    /// The day by which the amount is promised (included).
    pub date: Date,
    /// Amount promised.
    pub amount: Money,
    /// When it was recorded.
    pub made_at: OffsetDateTime,
    /// What the client had paid and been credited on its invoices when it was recorded:
    /// what is paid since is the growth of that figure.
    pub settled_before: Money,
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
    /// Invoices of the open dispute, held out of the ladder (empty unless `disputed`).
    pub disputed_invoice_ids: Vec<InvoiceId>,
    /// The last promise to pay recorded (read by dunning while `promise_to_pay`).
    pub promise: Option<Promise>,
    /// Days the ladder was moved back when it resumed after a hold, so that it resumes at
    /// the step after the last one reached (decision 0241).
    pub ladder_shift_days: i32,
    /// When it opened.
    pub opened_at: OffsetDateTime,
    /// When it was resolved, if it was.
    pub resolved_at: Option<OffsetDateTime>,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl CollectionCase {
    /// A case opened `now` for `client_id`, at the foot of the ladder.
    pub fn opened(id: CaseId, client_id: ClientId, now: OffsetDateTime) -> CollectionCase {
        CollectionCase {
            id,
            client_id,
            status: CaseStatus::Open,
            dunning_level: 0,
            overdue_amount: Money::ZERO,
            invoice_ids: Vec::new(),
            disputed_invoice_ids: Vec::new(),
            promise: None,
            ladder_shift_days: 0,
            opened_at: now,
            resolved_at: None,
            created_at: now,
            updated_at: now,
        }
    }
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

    #[test]
    fn promises_and_disputes_are_not_entered_by_a_plain_status_change() {
        for from in CaseStatus::ALL {
            assert!(from.set_by_hand(PromiseToPay).is_err());
            assert!(from.set_by_hand(Disputed).is_err());
        }
        assert!(Open.can_move_to(PromiseToPay) && Open.can_move_to(Disputed));
        assert!(InProgress.set_by_hand(Resolved).is_ok());
    }

    #[test]
    fn a_disputed_case_leaves_only_by_its_dispute_or_by_being_paid() {
        for to in CaseStatus::ALL {
            assert!(Disputed.set_by_hand(to).is_err());
            assert_eq!(
                Disputed.can_move_to(to),
                matches!(to, InProgress | Resolved)
            );
        }
        assert!(Disputed.is_live());
        assert!(!Resolved.can_move_to(Disputed));
    }
}
