//! Migrations embedded in the binary, and the calls that apply or revert them.

use diesel::PgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// The SQL migrations of the repository's `migrations/` folder, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// A migration that could not be applied or reverted; the cause names it.
#[derive(Debug, thiserror::Error)]
#[error("database migration failed: {0}")]
pub struct MigrationError(#[source] Box<dyn std::error::Error + Send + Sync>);

/// Applies the migrations not yet applied, in order; returns how many ran.
pub fn run_pending(conn: &mut PgConnection) -> Result<usize, MigrationError> {
    conn.run_pending_migrations(MIGRATIONS)
        .map(|applied| applied.len())
        .map_err(MigrationError)
}

/// How many embedded migrations the database has not applied yet (0: current).
pub fn pending_count(conn: &mut PgConnection) -> Result<usize, MigrationError> {
    conn.pending_migrations(MIGRATIONS)
        .map(|pending| pending.len())
        .map_err(MigrationError)
}

/// Reverts every applied migration, newest first; returns how many ran. For tests that prove
/// each `down.sql` undoes its `up.sql`.
pub fn revert_all(conn: &mut PgConnection) -> Result<usize, MigrationError> {
    conn.revert_all_migrations(MIGRATIONS)
        .map(|reverted| reverted.len())
        .map_err(MigrationError)
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::testing::fresh_database;
    use diesel::migration::MigrationSource;
    use diesel::pg::Pg;
    use diesel::{Connection, RunQueryDsl};

    use crate::rows::scalar::Count;

    fn user_tables(conn: &mut PgConnection) -> i64 {
        diesel::sql_query(
            "SELECT count(*) AS n FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .get_result::<Count>(conn)
        .expect("count tables")
        .n
    }

    #[test]
    fn migrations_run_up_then_all_down_then_up_again() {
        let db = fresh_database();
        let mut conn = PgConnection::establish(&db.url).expect("connect");
        let total = MigrationSource::<Pg>::migrations(&MIGRATIONS)
            .expect("list")
            .len();
        assert_eq!(run_pending(&mut conn).expect("already migrated"), 0);
        let tables = user_tables(&mut conn);
        assert!(tables > 0);
        assert_eq!(revert_all(&mut conn).expect("down"), total);
        assert_eq!(
            user_tables(&mut conn),
            0,
            "every down.sql drops what its up.sql made"
        );
        assert_eq!(run_pending(&mut conn).expect("up again"), total);
        assert_eq!(user_tables(&mut conn), tables);
    }
}
