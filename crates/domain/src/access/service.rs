//! Use cases of the access module: authenticate, create actors, bootstrap the first admin.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use time::{Duration, OffsetDateTime};

use super::{Actor, Credentials, Role};
use crate::clock::Clock;
use crate::error::{Error, Result, Validator};
use crate::ids::IdGenerator;
use crate::ports::Ports;
use crate::text::{check_text, TextKind};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::ActorId;

/// How long a successful authentication is reused without asking storage again. This instance
/// forgets its entries at once when an actor or token changes; another instance sharing the
/// database keeps a deactivated actor or a replaced token for at most this long (see
/// docs/decisions/0004 and 0102).
pub const AUTH_CACHE_TTL: Duration = Duration::seconds(2);
/// Entries kept at most; the cache is emptied when full.
const AUTH_CACHE_MAX: usize = 10_000;

#[derive(Default)]
struct AuthCache {
    entries: Mutex<HashMap<String, (Actor, OffsetDateTime)>>,
}

impl AuthCache {
    fn get(&self, key: &str, now: OffsetDateTime) -> Option<Actor> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(_, until)| *until > now)
            .map(|(actor, _)| actor.clone())
    }

    fn put(&self, key: String, actor: &Actor, now: OffsetDateTime) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= AUTH_CACHE_MAX {
                entries.clear();
            }
            entries.insert(key, (actor.clone(), now + AUTH_CACHE_TTL));
        }
    }

    /// Forgets every entry: actor changes are rare, so no per-actor index is kept.
    fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// A request to create an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActor {
    /// Display name (1 to 200 characters).
    pub name: String,
    /// Role names, at least one.
    pub roles: Vec<String>,
}

/// Authentication and actor management.
#[derive(Clone)]
pub struct AccessService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    pub(super) credentials: Arc<dyn Credentials>,
    cache: Arc<AuthCache>,
}

impl AccessService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            credentials: ports.credentials.clone(),
            cache: Arc::new(AuthCache::default()),
        }
    }

    /// The actor a still-fresh authentication of this bearer token found, without touching
    /// storage: an async caller answers a cache hit in place instead of handing the work to
    /// a blocking thread (see docs/decisions/0086). `None`: call [`Self::authenticate_token`].
    pub fn cached_token(&self, token: &str) -> Option<Actor> {
        let key = format!("token:{}", self.credentials.hash_token(token));
        self.cache.get(&key, self.clock.now())
    }

    /// Like [`Self::cached_token`] for an `X-Actor-Id`.
    pub fn cached_actor_id(&self, actor_id: &str) -> Option<Actor> {
        self.cache.get(&format!("id:{actor_id}"), self.clock.now())
    }

    /// The active actor holding this bearer token, else `Unauthenticated`.
    /// Successful lookups are reused for [`AUTH_CACHE_TTL`].
    pub fn authenticate_token(&self, token: &str) -> Result<Actor> {
        let hash = self.credentials.hash_token(token);
        let key = format!("token:{hash}");
        let now = self.clock.now();
        if let Some(actor) = self.cache.get(&key, now) {
            return Ok(actor);
        }
        let actor = read(self.tx.as_ref(), |uow| {
            uow.actors().find_by_token_hash(&hash)
        })?;
        let actor = active_or_unauthenticated(actor)?;
        self.cache.put(key, &actor, now);
        Ok(actor)
    }

    /// The active actor with this id (`X-Actor-Id`), else `Unauthenticated`.
    pub fn authenticate_actor_id(&self, actor_id: &str) -> Result<Actor> {
        // The header as sent: an id of another shape authenticates nobody.
        let id = ActorId::parse(actor_id).map_err(|_| Error::Unauthenticated)?;
        let key = format!("id:{actor_id}");
        let now = self.clock.now();
        if let Some(actor) = self.cache.get(&key, now) {
            return Ok(actor);
        }
        let actor = read(self.tx.as_ref(), |uow| uow.actors().find_by_id(&id))?;
        let actor = active_or_unauthenticated(actor)?;
        self.cache.put(key, &actor, now);
        Ok(actor)
    }

    /// The actor a gateway asserts with `X-Actor-Id`: `gateway` must hold the gateway role
    /// (else `ActorHeaderNotTrusted`), and the asserted actor must be active and not itself
    /// a gateway. Both come from [`Self::authenticate_token`] / [`Self::authenticate_actor_id`]
    /// or their cached forms.
    pub fn delegate(gateway: &Actor, asserted: Actor) -> Result<Actor> {
        if !gateway.is_gateway() {
            return Err(Error::ActorHeaderNotTrusted);
        }
        if asserted.is_gateway() {
            return Err(Error::Forbidden);
        }
        Ok(asserted)
    }

    /// A gateway actor may only assert others (decision 0100): on its own it is refused.
    pub fn acting_alone(actor: Actor) -> Result<Actor> {
        if actor.is_gateway() {
            Err(Error::Forbidden)
        } else {
            Ok(actor)
        }
    }

    /// Makes every instance-local authentication ask storage again; called after a change to
    /// an actor or its token commits.
    pub(super) fn forget_authentications(&self) {
        self.cache.clear();
    }

    /// Creates an actor and returns it with its token, which is shown only this once.
    pub fn create_actor(&self, request: &NewActor) -> Result<(Actor, String)> {
        transaction(self.tx.as_ref(), |uow| self.create_actor_in(uow, request))
    }

    /// `create_actor` inside an existing unit of work.
    pub fn create_actor_in(
        &self,
        uow: &mut dyn UnitOfWork,
        request: &NewActor,
    ) -> Result<(Actor, String)> {
        let mut v = Validator::new();
        let name = request.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            v.push("name", "must be 1 to 200 characters");
        } else if let Err(message) = check_text(name, TextKind::Line) {
            v.push("name", message);
        }
        let roles = parse_roles(&mut v, &request.roles);
        v.finish()?;
        let now = self.clock.now();
        let actor = Actor {
            id: ActorId::generate(self.ids.as_ref()),
            name: name.to_owned(),
            roles,
            active: true,
            created_at: now,
            updated_at: now,
        };
        let token = self.credentials.generate_token();
        uow.actors()
            .insert(&actor, &self.credentials.hash_token(&token))?;
        Ok((actor, token))
    }

    /// Makes sure an admin can log in at first start. With `configured` set, an active admin
    /// holding that token exists afterwards. Without it, an admin is created only when none
    /// exists, and its new token is returned so it can be printed once.
    pub fn ensure_bootstrap_admin(&self, configured: Option<&str>) -> Result<Option<String>> {
        transaction(self.tx.as_ref(), |uow| match configured {
            Some(token) => {
                let hash = self.credentials.hash_token(token);
                if uow.actors().find_by_token_hash(&hash)?.is_none() {
                    let now = self.clock.now();
                    let actor = Actor {
                        id: ActorId::generate(self.ids.as_ref()),
                        name: "bootstrap admin".into(),
                        roles: vec![Role::Admin],
                        active: true,
                        created_at: now,
                        updated_at: now,
                    };
                    uow.actors().insert(&actor, &hash)?;
                }
                Ok(None)
            }
            None => {
                if uow.actors().count_active_admins()? > 0 {
                    return Ok(None);
                }
                let request = NewActor {
                    name: "first admin".into(),
                    roles: vec![Role::Admin.as_str().into()],
                };
                let (_, token) = self.create_actor_in(uow, &request)?;
                Ok(Some(token))
            }
        })
    }
}

/// Parses role names, each error naming `roles[i]`: at least one, no duplicates kept, and
/// `gateway` alone (a gateway that could also act on its own would blur who did what).
pub(super) fn parse_roles(v: &mut Validator, raw_roles: &[String]) -> Vec<Role> {
    let mut roles = Vec::new();
    if raw_roles.is_empty() {
        v.push("roles", "at least one role is required");
    }
    for (i, raw) in raw_roles.iter().enumerate() {
        if let Some(role) = v.check(&format!("roles[{i}]"), Role::parse(raw)) {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    if roles.contains(&Role::Gateway) && roles.len() > 1 {
        v.push("roles", "`gateway` cannot be combined with other roles");
    }
    roles
}

fn active_or_unauthenticated(actor: Option<Actor>) -> Result<Actor> {
    match actor {
        Some(actor) if actor.active => Ok(actor),
        _ => Err(Error::Unauthenticated),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use time::macros::datetime;

    use super::*;
    use crate::access::MockCredentials;
    use crate::clock::MockClock;
    use crate::testing::{ports, MockTransactions, MockUnitOfWork};

    fn actor(active: bool) -> Actor {
        Actor {
            id: ActorId::from_stored("act_01JD0000000000000000000000"),
            name: "Salma".into(),
            roles: vec![Role::Billing],
            active,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn service(uow: MockUnitOfWork, clock: MockClock) -> (AccessService, Arc<MockTransactions>) {
        let tx = MockTransactions::new(uow);
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

    fn clock_sequence(instants: Vec<OffsetDateTime>) -> MockClock {
        let mut clock = MockClock::new();
        let mut seq = mockall::Sequence::new();
        for at in instants {
            clock
                .expect_now()
                .times(1)
                .in_sequence(&mut seq)
                .return_const(at);
        }
        clock
    }

    #[test]
    fn a_token_is_looked_up_by_its_hash_and_reused_within_the_cache_ttl() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_find_by_token_hash()
            .withf(|hash| hash == "hash-of-secret")
            .times(2)
            .returning(|_| Ok(Some(actor(true))));
        let t0 = datetime!(2026-03-10 09:00 UTC);
        let clock = clock_sequence(vec![
            t0,
            t0 + AUTH_CACHE_TTL - Duration::milliseconds(1),
            t0 + AUTH_CACHE_TTL,
        ]);
        let (access, _) = service(uow, clock);
        assert!(access.authenticate_token("secret").is_ok());
        assert!(access.authenticate_token("secret").is_ok()); // cached: no lookup
        assert!(access.authenticate_token("secret").is_ok()); // expired at the TTL: second lookup
    }

    #[test]
    fn the_cache_answers_without_storage_only_what_an_authentication_found_within_the_ttl() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_find_by_token_hash()
            .times(1)
            .returning(|_| Ok(Some(actor(true))));
        uow.actors
            .expect_find_by_id()
            .times(1)
            .returning(|_| Ok(Some(actor(true))));
        let t0 = datetime!(2026-03-10 09:00 UTC);
        let id = "act_01JD0000000000000000000001";
        let clock = clock_sequence(vec![
            t0,
            t0,
            t0 + AUTH_CACHE_TTL - Duration::milliseconds(1),
            t0 + AUTH_CACHE_TTL,
            t0,
            t0,
            t0 + AUTH_CACHE_TTL - Duration::milliseconds(1),
        ]);
        let (access, _) = service(uow, clock);
        assert!(access.cached_token("secret").is_none()); // never authenticated
        assert!(access.authenticate_token("secret").is_ok());
        assert!(access.cached_token("secret").is_some());
        assert!(access.cached_token("secret").is_none()); // expired
        assert!(access.cached_actor_id(id).is_none());
        assert!(access.authenticate_actor_id(id).is_ok());
        assert!(access.cached_actor_id(id).is_some());
    }

    #[test]
    fn unknown_and_inactive_actors_are_unauthenticated_and_not_cached() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_find_by_token_hash()
            .times(2)
            .returning(|_| Ok(Some(actor(false))));
        uow.actors
            .expect_find_by_id()
            .times(1)
            .returning(|_| Ok(None));
        let t0 = datetime!(2026-03-10 09:00 UTC);
        let (access, _) = service(uow, clock_sequence(vec![t0, t0, t0]));
        assert!(matches!(
            access.authenticate_token("x"),
            Err(Error::Unauthenticated)
        ));
        assert!(matches!(
            access.authenticate_token("x"),
            Err(Error::Unauthenticated)
        ));
        let id = "act_01JD0000000000000000000001";
        assert!(matches!(
            access.authenticate_actor_id(id),
            Err(Error::Unauthenticated)
        ));
    }

    #[test]
    fn a_malformed_actor_id_never_reaches_storage() {
        let (access, tx) = service(MockUnitOfWork::default(), MockClock::new());
        assert!(matches!(
            access.authenticate_actor_id("1 OR 1=1"),
            Err(Error::Unauthenticated)
        ));
        assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
    }

    #[test]
    fn creating_an_actor_validates_roles_and_stores_only_the_token_hash() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_insert()
            .withf(|actor, hash| actor.roles == vec![Role::Agent] && hash == "hash-of-new-token")
            .times(1)
            .returning(|_, _| Ok(()));
        let t0 = datetime!(2026-03-10 09:00 UTC);
        let (access, tx) = service(uow, clock_sequence(vec![t0]));
        let bad = access.create_actor(&NewActor {
            name: "x".into(),
            roles: vec!["root".into()],
        });
        assert!(matches!(bad, Err(Error::Validation(ref e)) if e[0].field == "roles[0]"));
        let (created, token) = access
            .create_actor(&NewActor {
                name: " Salma ".into(),
                roles: vec!["agent".into(), "agent".into()],
            })
            .expect("created");
        assert_eq!(
            (created.name.as_str(), token.as_str()),
            ("Salma", "new-token")
        );
        assert_eq!((tx.commit_count(), tx.rollback_count()), (1, 1));
    }

    #[test]
    fn the_bootstrap_admin_is_created_only_when_no_admin_exists() {
        let mut uow = MockUnitOfWork::default();
        uow.actors
            .expect_count_active_admins()
            .times(1)
            .returning(|| Ok(1));
        let (access, _) = service(uow, MockClock::new());
        assert_eq!(access.ensure_bootstrap_admin(None).ok(), Some(None));
    }
}
