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

    /// The rows the snapshot migration finds: one client with a line, a contract and an
    /// invoice in the shape that came before it.
    const BEFORE_SNAPSHOTS: &str = "
        INSERT INTO offers (id, code, name, service_type, monthly_price, tax_rate_bp,
            commitment_months, status, created_at, updated_at) VALUES
          ('ofr_A', 'OFFRE-A', 'Offre A', 'mobile', 9900, 2000, 12, 'active', now(), now());
        INSERT INTO clients (id, cin, first_name, last_name, address, city, status,
            created_at, updated_at) VALUES
          ('cli_1', 'AB100001', 'Amal', 'Un', 'Rue 1', 'Rabat', 'active', now(), now());
        INSERT INTO subscribers (id, client_id, service_type, service_identifier,
            created_at, updated_at) VALUES
          ('sub_1', 'cli_1', 'mobile', '+212600000001', now(), now());
        INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id,
            service_type, status, contract_start_date, commitment_months, commitment_end_date,
            monthly_price, currency, tax_rate_bp, created_at, updated_at) VALUES
          ('ctr_1', 'CTR-1', 'cli_1', 'sub_1', 'ofr_A', 'mobile', 'active', DATE '2026-01-01',
           12, DATE '2027-01-01', 9900, 'MAD', 2000, now(), now());
        INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency,
            actor_id, created_at, updated_at) VALUES
          ('run_1', '2026-02', DATE '2026-03-01', DATE '2026-03-16', 'completed', false,
           'MAD', 'act_1', now(), now());
        INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id,
            offer_id, service_type, period, issue_date, due_date, status, total_excl_tax,
            total_tax, total_incl_tax, currency, created_at, updated_at) VALUES
          ('inv_1', 'FAC-1', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-02',
           DATE '2026-03-01', DATE '2026-03-16', 'issued', 9900, 1980, 11880, 'MAD', now(),
           now());";

    #[test]
    fn existing_invoices_are_snapshotted_as_they_are_at_migration_time() {
        use diesel::connection::SimpleConnection;
        let db = fresh_database();
        let mut conn = PgConnection::establish(&db.url).expect("connect");
        // Back to just before the snapshot migration (later ones first).
        loop {
            let reverted = conn
                .revert_last_migration(MIGRATIONS)
                .expect("revert")
                .to_string()
                .replace('-', "");
            if reverted.starts_with("20261205910001") {
                break;
            }
        }
        conn.batch_execute(BEFORE_SNAPSHOTS)
            .expect("rows of before");
        run_pending(&mut conn).expect("up");
        conn.batch_execute("UPDATE clients SET last_name = 'Deux', city = 'Fès'")
            .expect("a later change");
        let mut snapshotted = |condition: &str| {
            diesel::sql_query(format!(
                "SELECT count(*) AS n FROM invoices i JOIN seller_identities s \
                 ON s.id = i.seller_identity_id WHERE i.id = 'inv_1' AND {condition}"
            ))
            .get_result::<Count>(&mut conn)
            .expect("count")
            .n
        };
        assert_eq!(
            snapshotted(
                "buyer_name = 'Amal Un' AND buyer_cin = 'AB100001' AND buyer_ice IS NULL \
                 AND buyer_address = 'Rue 1' AND buyer_city = 'Rabat' \
                 AND service_identifier = '+212600000001'"
            ),
            1
        );
        // The seller settings are not in the database: the server's first start fills in
        // the identity the migration left pending.
        assert_eq!(snapshotted("s.pending"), 1);
    }
}
