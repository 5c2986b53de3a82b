//! PostgreSQL storage for MT-Facturation: diesel repositories behind the domain's ports, the
//! embedded migrations, and a private cluster for zero-configuration runs and tests.

pub mod embedded;
pub mod migrations;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
