//! The actor entity and its roles.

use time::OffsetDateTime;

use crate::typed_ids::ActorId;

/// What an actor may do. `Admin` may do everything; any actor may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including `/admin/*`.
    Admin,
    /// Catalog, clients, contracts.
    Agent,
    /// Billing runs and invoices.
    Billing,
    /// Payments and collection cases.
    Collections,
    /// Reads only.
    Viewer,
    /// Asserts `X-Actor-Id` for other actors and may do nothing on its own (decision 0100).
    Gateway,
    /// The network's mediation system: sends usage records and may call nothing else
    /// (decision 0366).
    Mediation,
}

impl Role {
    /// Every role, in documentation order.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Agent,
        Role::Billing,
        Role::Collections,
        Role::Viewer,
        Role::Gateway,
        Role::Mediation,
    ];

    /// The role's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::Billing => "billing",
            Role::Collections => "collections",
            Role::Viewer => "viewer",
            Role::Gateway => "gateway",
            Role::Mediation => "mediation",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| {
                format!(
                    "unknown role `{value}`; expected admin, agent, billing, collections, viewer, gateway or mediation"
                )
            })
    }
}

/// Someone (a person or a system) calling the protected API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `act_…`, or `system` for automatic jobs.
    pub id: ActorId,
    /// Display name.
    pub name: String,
    /// Granted roles.
    pub roles: Vec<Role>,
    /// Inactive actors cannot authenticate.
    pub active: bool,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Actor {
    /// The id recorded for automatic jobs (dunning, schedules).
    pub const SYSTEM_ID: &'static str = "system";

    /// Whether this actor may act with `role` (admins may do everything).
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&Role::Admin) || self.roles.contains(&role)
    }

    /// Whether this actor is a gateway: it may only assert other actors, and an admin is not
    /// one (an admin's token never impersonates).
    pub fn is_gateway(&self) -> bool {
        self.roles.contains(&Role::Gateway)
    }

    /// Whether this actor holds only the `mediation` role: it may send usage records and call
    /// nothing else, reads included (decision 0366).
    pub fn is_mediation_only(&self) -> bool {
        !self.roles.is_empty() && self.roles.iter().all(|role| *role == Role::Mediation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: Vec<Role>) -> Actor {
        Actor {
            id: ActorId::from_stored("act_1"),
            name: "n".into(),
            roles,
            active: true,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn admin_has_every_role() {
        let admin = actor(vec![Role::Admin]);
        assert!(Role::ALL.iter().all(|r| admin.has_role(*r)));
    }

    #[test]
    fn agent_is_not_billing() {
        let agent = actor(vec![Role::Agent]);
        assert!(agent.has_role(Role::Agent));
        assert!(!agent.has_role(Role::Billing));
        assert!(!agent.has_role(Role::Admin));
    }

    #[test]
    fn only_the_explicit_role_makes_a_gateway() {
        assert!(actor(vec![Role::Gateway]).is_gateway());
        assert!(!actor(vec![Role::Admin]).is_gateway());
    }

    #[test]
    fn only_a_mediation_only_actor_is_confined_to_usage() {
        assert!(actor(vec![Role::Mediation]).is_mediation_only());
        assert!(!actor(vec![Role::Mediation, Role::Viewer]).is_mediation_only());
        assert!(!actor(vec![Role::Admin]).is_mediation_only());
        assert!(!actor(vec![]).is_mediation_only());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }
}
