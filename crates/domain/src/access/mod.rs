//! Actors, roles and authentication of the protected API.

mod actor;
mod manage;
mod ports;
mod recorded;
mod service;

pub use actor::{Actor, Role};
pub use manage::ActorChanges;
pub use ports::{ActorRepository, Credentials};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockActorRepository, MockCredentials};
pub use recorded::{recorded_who, split_recorded_who};
pub use service::{AccessService, NewActor, AUTH_CACHE_TTL};
