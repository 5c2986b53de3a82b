//! The contract state machine.

use crate::error::{Conflict, Error};

/// Where a contract is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContractStatus {
    /// Signed, not yet in service.
    Pending,
    /// In service and billed.
    Active,
    /// Service interrupted (e.g. by dunning); still billed.
    Suspended,
    /// Ended after activation. Final.
    Terminated,
    /// Abandoned before activation. Final.
    Cancelled,
}

impl ContractStatus {
    /// Every status.
    pub const ALL: [ContractStatus; 5] = [
        ContractStatus::Pending,
        ContractStatus::Active,
        ContractStatus::Suspended,
        ContractStatus::Terminated,
        ContractStatus::Cancelled,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Pending => "pending",
            ContractStatus::Active => "active",
            ContractStatus::Suspended => "suspended",
            ContractStatus::Terminated => "terminated",
            ContractStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<ContractStatus, String> {
        ContractStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                format!(
                    "unknown status `{value}`; expected pending, active, suspended, terminated or cancelled"
                )
            })
    }

    /// Live contracts hold their line.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            ContractStatus::Pending | ContractStatus::Active | ContractStatus::Suspended
        )
    }

    /// Whether the state machine allows `self → to`:
    /// pending → active | cancelled; active → suspended | terminated;
    /// suspended → active | terminated. Terminated and cancelled are final.
    pub fn can_move_to(self, to: ContractStatus) -> bool {
        use ContractStatus::*;
        matches!(
            (self, to),
            (Pending, Active)
                | (Pending, Cancelled)
                | (Active, Suspended)
                | (Active, Terminated)
                | (Suspended, Active)
                | (Suspended, Terminated)
        )
    }

    /// `Ok(to)` when allowed, else `Conflict::InvalidStatusTransition`.
    pub fn transition(self, to: ContractStatus) -> Result<ContractStatus, Error> {
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

#[cfg(test)]
mod tests {
    use super::ContractStatus::*;
    use super::*;

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        let allowed = [
            (Pending, Active),
            (Pending, Cancelled),
            (Active, Suspended),
            (Active, Terminated),
            (Suspended, Active),
            (Suspended, Terminated),
        ];
        for from in ContractStatus::ALL {
            for to in ContractStatus::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn final_states_reject_everything() {
        for to in ContractStatus::ALL {
            assert!(Terminated.transition(to).is_err());
            assert!(Cancelled.transition(to).is_err());
        }
    }
}
