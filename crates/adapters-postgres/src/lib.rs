//! PostgreSQL storage for MT-Facturation: diesel repositories behind the domain's ports, the
//! embedded migrations, and a private cluster for zero-configuration runs and tests.

mod any_of;
pub mod embedded;
pub mod errors;
pub mod key_locks;
#[cfg(test)]
mod key_locks_tests;
pub mod migrations;
pub mod prepared;
mod repos;
pub mod rows;
pub mod schema;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tx;
pub mod usage_lock;

pub use key_locks::PgKeyLocks;
pub use repos::explain;
pub use store::{PgPool, PgStore};
pub use tx::PgTx;
