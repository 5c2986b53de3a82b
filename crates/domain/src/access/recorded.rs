//! How audit trails record who acted: the actor's id, or `act_… via act_…` when a gateway
//! actor asserted that actor with its own token (docs/decisions/0101).

/// Separator between the acting actor and the gateway that asserted it.
const VIA: &str = " via ";

/// The "who" stored in audit trails (contract audit, payments, billing runs, case actions)
/// for an actor, asserted or not by a gateway actor.
pub fn recorded_who(actor_id: &str, via_gateway: Option<&str>) -> String {
    match via_gateway {
        Some(gateway) => format!("{actor_id}{VIA}{gateway}"),
        None => actor_id.to_owned(),
    }
}

/// The actor and, if any, the gateway of a stored "who" (the inverse of [`recorded_who`]).
/// Labels without a gateway (`act_…`, `system`, `landing:<CIN>`) come back whole.
pub fn split_recorded_who(who: &str) -> (&str, Option<&str>) {
    match who.split_once(VIA) {
        Some((actor, gateway)) => (actor, Some(gateway)),
        None => (who, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegated_who_names_both_and_splits_back() {
        let who = recorded_who("act_A", Some("act_G"));
        assert_eq!(who, "act_A via act_G");
        assert_eq!(split_recorded_who(&who), ("act_A", Some("act_G")));
    }

    #[test]
    fn other_labels_are_kept_whole() {
        assert_eq!(recorded_who("act_A", None), "act_A");
        for who in ["act_A", "system", "landing:AB123456"] {
            assert_eq!(split_recorded_who(who), (who, None));
        }
    }
}
