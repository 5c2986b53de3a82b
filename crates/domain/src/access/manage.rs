//! Actor management: list actors, switch them off or change their roles, rotate their token.
//! Each change makes this instance forget its cached authentications at once.

use super::service::parse_roles;
use super::{AccessService, Actor};
use crate::error::{Conflict, Error, Resource, Result, Validator};
use crate::page::{Page, PageRequest};
use crate::tx::{read, transaction, UnitOfWork};
use crate::typed_ids::ActorId;

/// A change to an actor; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorChanges {
    /// Whether the actor may authenticate.
    pub active: Option<bool>,
    /// The new role names (replacing the current ones), at least one.
    pub roles: Option<Vec<String>>,
}

impl AccessService {
    /// One page of actors, ordered by id.
    pub fn list_actors(&self, page: &PageRequest) -> Result<Page<Actor>> {
        let rows = read(self.tx.as_ref(), |uow| uow.actors().list(page))?;
        Ok(Page::from_fetched(rows, page, |actor| actor.id.as_str()))
    }

    /// Applies `changes`. Refused with `Conflict(LastActiveAdmin)` when no active admin would
    /// remain, so the back office can never lock itself out.
    /// `actor_id` is as sent: it is looked up after the changes are validated (a 422 comes
    /// before a 404), and a malformed one names no actor.
    pub fn update_actor(&self, actor_id: &str, changes: &ActorChanges) -> Result<Actor> {
        let mut v = Validator::new();
        let roles = changes.roles.as_ref().map(|raw| parse_roles(&mut v, raw));
        v.finish()?;
        let actor_id = &ActorId::parse(actor_id).map_err(|_| Error::NotFound(Resource::Actor))?;
        let updated = transaction(self.tx.as_ref(), |uow| {
            // Locked before reading, so a concurrent change waits and then counts what this
            // one left.
            uow.actors().lock_active_admins()?;
            let mut actor = find_actor(uow, actor_id)?;
            if let Some(active) = changes.active {
                actor.active = active;
            }
            if let Some(roles) = &roles {
                actor.roles = roles.clone();
            }
            actor.updated_at = self.clock.now();
            uow.actors().update(&actor)?;
            if uow.actors().count_active_admins()? == 0 {
                return Err(Error::Conflict(Conflict::LastActiveAdmin));
            }
            Ok(actor)
        })?;
        self.forget_authentications();
        Ok(updated)
    }

    /// Gives the actor a new token, returned only this once; the old one stops working.
    pub fn rotate_token(&self, actor_id: &ActorId) -> Result<(Actor, String)> {
        let token = self.credentials.generate_token();
        let hash = self.credentials.hash_token(&token);
        let actor = transaction(self.tx.as_ref(), |uow| {
            let mut actor = find_actor(uow, actor_id)?;
            actor.updated_at = self.clock.now();
            uow.actors().replace_token_hash(&actor, &hash)?;
            Ok(actor)
        })?;
        self.forget_authentications();
        Ok((actor, token))
    }
}

/// The actor, or `NotFound(Actor)`.
fn find_actor(uow: &mut dyn UnitOfWork, actor_id: &ActorId) -> Result<Actor> {
    uow.actors()
        .find_by_id(actor_id)?
        .ok_or(Error::NotFound(Resource::Actor))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use time::macros::datetime;
    use time::OffsetDateTime;

    use super::*;
    use crate::access::{MockCredentials, Role};
    use crate::clock::MockClock;
    use crate::testing::{ports, MockTransactions, MockUnitOfWork};

    const ID: &str = "act_01JD0000000000000000000000";

    fn actor(roles: Vec<Role>) -> Actor {
        Actor {
            id: ActorId::from_stored(ID),
            name: "Salma".into(),
            roles,
            active: true,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn service(uow: MockUnitOfWork) -> (AccessService, Arc<MockTransactions>) {
        let tx = MockTransactions::new(uow);
        let mut clock = MockClock::new();
        clock
            .expect_now()
            .return_const(datetime!(2026-03-10 09:00 UTC));
        let mut credentials = MockCredentials::new();
        credentials
            .expect_hash_token()
            .returning(|t| format!("hash-of-{t}"));
        credentials
            .expect_generate_token()
            .returning(|| "new-token".into());
        let mut ports = ports(tx.clone(), clock);
        ports.credentials = Arc::new(credentials);
        (AccessService::new(&ports), tx)
    }

    #[test]
    fn switching_off_the_last_active_admin_is_a_conflict_and_rolls_back() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_lock_active_admins()
            .times(1)
            .returning(|| Ok(()));
        uow.actors
            .expect_find_by_id()
            .returning(|_| Ok(Some(actor(vec![Role::Admin]))));
        uow.actors
            .expect_update()
            .withf(|a| !a.active)
            .times(1)
            .returning(|_| Ok(()));
        uow.actors.expect_count_active_admins().returning(|| Ok(0));
        let (access, tx) = service(uow);
        let changes = ActorChanges {
            active: Some(false),
            roles: None,
        };
        assert!(matches!(
            access.update_actor(ID, &changes),
            Err(Error::Conflict(Conflict::LastActiveAdmin))
        ));
        assert_eq!((tx.commit_count(), tx.rollback_count()), (0, 1));
    }

    #[test]
    fn invalid_roles_are_refused_before_storage_naming_their_index() {
        let (access, tx) = service(MockUnitOfWork::default());
        let changes = ActorChanges {
            active: None,
            roles: Some(vec!["agent".into(), "root".into()]),
        };
        let error = access.update_actor(ID, &changes);
        assert!(matches!(error, Err(Error::Validation(ref e)) if e[0].field == "roles[1]"));
        let alone = ActorChanges {
            active: None,
            roles: Some(vec!["gateway".into(), "viewer".into()]),
        };
        let error = access.update_actor(ID, &alone);
        assert!(matches!(error, Err(Error::Validation(ref e)) if e[0].field == "roles"));
        assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
    }

    #[test]
    fn a_role_change_is_stored_and_this_instance_forgets_cached_authentications() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_find_by_token_hash()
            .times(2)
            .returning(|_| Ok(Some(actor(vec![Role::Agent]))));
        uow.actors.expect_lock_active_admins().returning(|| Ok(()));
        uow.actors
            .expect_find_by_id()
            .returning(|_| Ok(Some(actor(vec![Role::Agent]))));
        uow.actors
            .expect_update()
            .withf(|a| a.roles == vec![Role::Billing])
            .times(1)
            .returning(|_| Ok(()));
        uow.actors.expect_count_active_admins().returning(|| Ok(1));
        let (access, _) = service(uow);
        assert!(access.authenticate_token("secret").is_ok());
        let changes = ActorChanges {
            active: None,
            roles: Some(vec!["billing".into()]),
        };
        let updated = access.update_actor(ID, &changes).expect("updated");
        assert_eq!(updated.roles, vec![Role::Billing]);
        assert!(access.cached_token("secret").is_none());
        assert!(access.authenticate_token("secret").is_ok()); // second lookup
    }

    #[test]
    fn a_new_token_replaces_the_stored_hash() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_find_by_id()
            .returning(|_| Ok(Some(actor(vec![Role::Agent]))));
        uow.actors
            .expect_replace_token_hash()
            .withf(|a, hash| a.id == ID && hash == "hash-of-new-token")
            .times(1)
            .returning(|_, _| Ok(()));
        let (access, tx) = service(uow);
        let (_, token) = access
            .rotate_token(&ActorId::from_stored(ID))
            .expect("rotated");
        assert_eq!(token, "new-token");
        assert_eq!(tx.commit_count(), 1);
    }

    #[test]
    fn unknown_or_malformed_ids_are_not_found() {
        let mut uow = MockUnitOfWork::default();
        uow.actors.expect_find_by_id().returning(|_| Ok(None));
        let (access, _) = service(uow);
        assert!(matches!(
            access.rotate_token(&ActorId::from_stored(ID)),
            Err(Error::NotFound(Resource::Actor))
        ));
        assert!(matches!(
            access.update_actor("1 OR 1=1", &ActorChanges::default()),
            Err(Error::NotFound(Resource::Actor))
        ));
    }

    #[test]
    fn only_a_gateway_delegates_and_only_to_a_non_gateway() {
        let gateway = actor(vec![Role::Gateway]);
        let admin = actor(vec![Role::Admin]);
        let agent = actor(vec![Role::Agent]);
        assert!(matches!(
            AccessService::delegate(&admin, agent.clone()),
            Err(Error::ActorHeaderNotTrusted)
        ));
        assert!(matches!(
            AccessService::delegate(&gateway, gateway.clone()),
            Err(Error::Forbidden)
        ));
        assert_eq!(
            AccessService::delegate(&gateway, agent.clone()).ok(),
            Some(agent.clone())
        );
        assert!(matches!(
            AccessService::acting_alone(gateway),
            Err(Error::Forbidden)
        ));
        assert!(AccessService::acting_alone(agent).is_ok());
    }
}
