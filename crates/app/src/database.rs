//! Opens the database: the server `DATABASE_URL` names, or the embedded private cluster.

use std::path::Path;

use adapters_postgres::embedded::EmbeddedCluster;
use adapters_postgres::migrations;
use adapters_postgres::PgStore;
use diesel::{Connection, PgConnection};

/// Name of the application database inside the embedded cluster.
pub const EMBEDDED_DATABASE: &str = "mtf";

/// A migrated store, and the embedded cluster when one was started (stop it on shutdown).
pub struct Database {
    /// The pool.
    pub store: PgStore,
    /// The private cluster, when `DATABASE_URL` was not set.
    pub cluster: Option<EmbeddedCluster>,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    /// The embedded cluster could not start.
    #[error("{0}")]
    Embedded(String),
    /// No connection.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    /// Migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(String),
}

/// Connects (starting the embedded cluster if `database_url` is `None`) and runs pending
/// migrations.
pub fn open(
    database_url: Option<&str>,
    data_dir: &Path,
    pool_size: u32,
) -> Result<Database, DatabaseError> {
    let (url, cluster) = match database_url {
        Some(url) => (url.to_owned(), None),
        None => {
            let cluster = EmbeddedCluster::start(data_dir)
                .map_err(|e| DatabaseError::Embedded(e.to_string()))?;
            cluster
                .ensure_database(EMBEDDED_DATABASE)
                .map_err(|e| DatabaseError::Embedded(e.to_string()))?;
            (cluster.database_url(EMBEDDED_DATABASE), Some(cluster))
        }
    };
    let mut conn =
        PgConnection::establish(&url).map_err(|e| DatabaseError::Connect(e.to_string()))?;
    let applied =
        migrations::run_pending(&mut conn).map_err(|e| DatabaseError::Migrate(e.to_string()))?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    drop(conn);
    let store =
        PgStore::connect(&url, pool_size).map_err(|e| DatabaseError::Connect(e.to_string()))?;
    Ok(Database { store, cluster })
}
