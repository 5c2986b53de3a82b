//! The dunning ladder: which automatic steps a case has reached, counted in days past the due
//! date of the oldest overdue invoice the case follows.

use crate::settings::DunningLadder;

/// One rung of the ladder, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DunningStep {
    /// First reminder, by SMS (default D+1).
    Reminder,
    /// Second reminder, by e-mail or letter (default D+15).
    SecondReminder,
    /// Suspension of the client's active contracts (default D+30).
    Suspension,
    /// Pre-litigation notice (default D+60).
    PreLitigation,
}

impl DunningStep {
    /// Every step, lowest first.
    pub const ALL: [DunningStep; 4] = [
        DunningStep::Reminder,
        DunningStep::SecondReminder,
        DunningStep::Suspension,
        DunningStep::PreLitigation,
    ];

    /// The action type recorded for it (also its `dunning_step` key).
    pub fn action_type(self) -> &'static str {
        match self {
            DunningStep::Reminder => "reminder_sms",
            DunningStep::SecondReminder => "second_reminder",
            DunningStep::Suspension => "suspension",
            DunningStep::PreLitigation => "pre_litigation_notice",
        }
    }

    /// The case's `dunning_level` once this step is reached (1 to 4).
    pub fn level(self) -> i32 {
        match self {
            DunningStep::Reminder => 1,
            DunningStep::SecondReminder => 2,
            DunningStep::Suspension => 3,
            DunningStep::PreLitigation => 4,
        }
    }

    /// Days past due at which the step applies.
    pub fn days(self, ladder: &DunningLadder) -> i64 {
        match self {
            DunningStep::Reminder => ladder.reminder_days,
            DunningStep::SecondReminder => ladder.second_reminder_days,
            DunningStep::Suspension => ladder.suspension_days,
            DunningStep::PreLitigation => ladder.pre_litigation_days,
        }
    }

    /// The note written on the automatic action.
    pub fn note(self, days_past_due: i64) -> String {
        let what = match self {
            DunningStep::Reminder => "payment reminder sent by SMS",
            DunningStep::SecondReminder => "second reminder sent by e-mail and letter",
            DunningStep::Suspension => "active contracts suspended",
            DunningStep::PreLitigation => "pre-litigation notice sent",
        };
        format!("{what} (D+{days_past_due})")
    }

    /// Every step reached `days_past_due` days after the due date, lowest first, so a case
    /// found late catches up on the steps it missed.
    pub fn reached(ladder: &DunningLadder, days_past_due: i64) -> Vec<DunningStep> {
        DunningStep::ALL
            .into_iter()
            .filter(|step| days_past_due >= step.days(ladder))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::DunningStep::*;
    use super::*;

    #[test]
    fn the_default_ladder_climbs_at_one_fifteen_thirty_and_sixty_days() {
        let ladder = DunningLadder::default();
        assert!(DunningStep::reached(&ladder, 0).is_empty());
        assert_eq!(DunningStep::reached(&ladder, 1), vec![Reminder]);
        assert_eq!(DunningStep::reached(&ladder, 14), vec![Reminder]);
        assert_eq!(
            DunningStep::reached(&ladder, 15),
            vec![Reminder, SecondReminder]
        );
        assert_eq!(
            DunningStep::reached(&ladder, 30),
            vec![Reminder, SecondReminder, Suspension]
        );
        assert_eq!(DunningStep::reached(&ladder, 60).len(), 4);
    }

    #[test]
    fn levels_follow_the_ladder_order() {
        let levels: Vec<i32> = DunningStep::ALL.iter().map(|s| s.level()).collect();
        assert_eq!(levels, vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_configured_ladder_is_honoured() {
        let ladder = DunningLadder {
            reminder_days: 3,
            second_reminder_days: 10,
            suspension_days: 20,
            pre_litigation_days: 45,
        };
        assert!(DunningStep::reached(&ladder, 2).is_empty());
        assert_eq!(DunningStep::reached(&ladder, 20).len(), 3);
    }
}
