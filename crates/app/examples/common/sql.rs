//! Small SQL helpers the benchmark examples share.

use diesel::pg::PgConnection;
use diesel::{QueryableByName, RunQueryDsl};

/// Writes the dirty pages out before a timed step, so that no step pays for the previous
/// one's checkpoint. Needs a superuser (or `pg_checkpoint`); without it the step is timed as is.
pub fn checkpoint(conn: &mut PgConnection) {
    if let Err(error) = diesel::sql_query("CHECKPOINT").execute(conn) {
        println!("(no CHECKPOINT before the next step: {error})");
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The one `bigint` column `n` that `query` answers.
pub fn count(conn: &mut PgConnection, query: &str) -> Result<i64, Box<dyn std::error::Error>> {
    Ok(diesel::sql_query(query).get_result::<Count>(conn)?.n)
}
