//! Test harness: one private cluster per test process, a fresh database per test.
// Test-only code: a setup failure must stop the tests loudly, with its cause.
#![allow(clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::embedded::{self, Durability, EmbeddedCluster, StopMode};
use crate::migrations;

/// A database of its own for one test: migrated, without rows. It disappears with the test
/// process's cluster (with `DATABASE_URL`, it is dropped when the process exits).
#[derive(Debug)]
pub struct TestDatabase {
    /// Connection string for diesel (`PgConnection::establish`, r2d2).
    pub url: String,
    name: String,
}

impl TestDatabase {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Opens a connection to it; panics if it cannot.
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

/// Creates a new database cloned from this process's migrated template. The first call starts
/// the private cluster (or uses the server `DATABASE_URL` names). Panics with the cause when
/// the server or the template cannot be prepared.
pub fn fresh_database() -> TestDatabase {
    let harness = match HARNESS.get_or_init(Harness::start) {
        Ok(harness) => harness,
        Err(message) => panic!("test database setup failed: {message}"),
    };
    let name = format!(
        "mtf_test_{}_{}",
        process_tag(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    // One clone at a time: PostgreSQL refuses to copy a template another session is copying.
    let mut admin = harness.admin.lock().unwrap_or_else(PoisonError::into_inner);
    embedded::create_database(&mut admin, &name, Some(&harness.template))
        .unwrap_or_else(|error| panic!("could not clone the template database: {error}"));
    drop(admin);
    if harness.cluster.is_none() {
        CREATED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(name.clone());
    }
    TestDatabase {
        url: harness.url_for(&name),
        name,
    }
}

/// A path inside this process's scratch folder, which is deleted when the process exits.
pub(crate) fn scratch_dir(name: &str) -> PathBuf {
    process_folder().join(name)
}

static HARNESS: OnceLock<Result<Harness, String>> = OnceLock::new();
static FOLDER: OnceLock<PathBuf> = OnceLock::new();
static COUNTER: AtomicU64 = AtomicU64::new(0);
/// Databases made on a `DATABASE_URL` server, dropped at exit (template last).
static CREATED: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Harness {
    /// `None` when `DATABASE_URL` names the server.
    cluster: Option<EmbeddedCluster>,
    /// The `DATABASE_URL`, into which `url_for` puts database names.
    external_url: String,
    template: String,
    /// Connected to a database other than the template, which must have no sessions while it
    /// is copied.
    admin: Mutex<PgConnection>,
}

impl Harness {
    fn start() -> Result<Harness, String> {
        register_exit_cleanup();
        let (cluster, external_url) = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => (None, url),
            _ => {
                let cluster =
                    EmbeddedCluster::start_with(&scratch_dir("cluster"), Durability::Ephemeral)
                        .map_err(|error| error.to_string())?;
                (Some(cluster), String::new())
            }
        };
        let admin_url = match &cluster {
            Some(cluster) => cluster.database_url("postgres"),
            None => external_url.clone(),
        };
        let mut admin = connect(&admin_url)?;
        let template = format!("mtf_template_{}", process_tag());
        embedded::create_database(&mut admin, &template, None).map_err(|e| e.to_string())?;
        if cluster.is_none() {
            CREATED
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(template.clone());
        }
        let harness = Harness {
            cluster,
            external_url,
            template,
            admin: Mutex::new(admin),
        };
        // Scoped so the connection is closed before the first clone.
        {
            let mut conn = connect(&harness.url_for(&harness.template))?;
            migrations::run_pending(&mut conn).map_err(|error| error.to_string())?;
        }
        Ok(harness)
    }

    fn url_for(&self, dbname: &str) -> String {
        match &self.cluster {
            Some(cluster) => cluster.database_url(dbname),
            None => with_dbname(&self.external_url, dbname),
        }
    }
}

fn connect(url: &str) -> Result<PgConnection, String> {
    PgConnection::establish(url).map_err(|error| format!("could not connect to {url}: {error}"))
}

/// Points a `DATABASE_URL` at another database. libpq lets a later `dbname` override an
/// earlier one, in URIs (as a query parameter) and in key/value strings alike.
fn with_dbname(url: &str, dbname: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}dbname={dbname}")
    } else {
        format!("{url} dbname={}", embedded::conninfo_value(dbname))
    }
}

/// Unique among processes sharing a `DATABASE_URL` server, even on different machines.
fn process_tag() -> &'static str {
    static TAG: OnceLock<String> = OnceLock::new();
    TAG.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        format!("{}_{}", std::process::id(), nanos % 1_000_000)
    })
}

fn process_folder() -> &'static Path {
    FOLDER.get_or_init(|| {
        let root = std::env::temp_dir();
        remove_stale_folders(&root);
        let folder = root.join(format!("mtf-test-{}", std::process::id()));
        // Left by an earlier process with the same pid (pids repeat across container runs).
        dismantle(&folder);
        register_exit_cleanup();
        folder
    })
}

/// Scratch folders of test processes that died without cleaning up (killed, aborted).
fn remove_stale_folders(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| n.strip_prefix("mtf-test-")?.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != own && !embedded::process_alive(pid) {
                dismantle(&entry.path());
            }
        }
    }
}

/// Stops every server still running in `folder`, then deletes it.
fn dismantle(folder: &Path) {
    stop_servers_under(folder);
    let _ = fs::remove_dir_all(folder);
}

fn stop_servers_under(dir: &Path) {
    if dir.join("PG_VERSION").exists() {
        if let Err(error) = embedded::stop_orphan(dir) {
            eprintln!(
                "warning: could not stop the PostgreSQL in {}: {error}",
                dir.display()
            );
        }
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        // `file_type` does not follow symlinks, so the walk stays inside the folder.
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            stop_servers_under(&entry.path());
        }
    }
}

/// Once per process, whichever of the scratch folder and the harness comes first.
fn register_exit_cleanup() {
    static REGISTERED: std::sync::Once = std::sync::Once::new();
    REGISTERED.call_once(register_exit_cleanup_now);
}

fn register_exit_cleanup_now() {
    // SAFETY: `atexit` only records a pointer to a function that lives as long as the program
    // and has the `extern "C" fn()` signature it expects; the function catches every panic, so
    // it never unwinds into C.
    #[allow(unsafe_code)]
    let status = unsafe { libc::atexit(clean_up_at_exit) };
    if status != 0 {
        eprintln!("warning: test clusters will not be removed at exit (atexit failed)");
    }
}

/// Runs when the test process exits: statics are never dropped, so this is what stops the
/// cluster and removes the scratch folder.
extern "C" fn clean_up_at_exit() {
    let _ = std::panic::catch_unwind(|| {
        if let Some(Ok(harness)) = HARNESS.get() {
            match &harness.cluster {
                Some(cluster) => cluster.halt(StopMode::Immediate),
                None => drop_created_databases(harness),
            }
        }
        if let Some(folder) = FOLDER.get() {
            dismantle(folder);
        }
    });
}

/// Best effort: a test still holding its lock or connections must not block the exit.
fn drop_created_databases(harness: &Harness) {
    let Ok(mut admin) = harness.admin.try_lock() else {
        return;
    };
    let names = std::mem::take(&mut *CREATED.lock().unwrap_or_else(PoisonError::into_inner));
    for name in names.iter().rev() {
        let drop_sql = format!("DROP DATABASE IF EXISTS {}", embedded::quote_ident(name));
        // `WITH (FORCE)` (PostgreSQL 13+) ends sessions that pools left open.
        if admin
            .batch_execute(&format!("{drop_sql} WITH (FORCE)"))
            .is_err()
        {
            let _ = admin.batch_execute(&drop_sql);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::RunQueryDsl;

    use crate::rows::scalar::Count;

    fn tables_named(conn: &mut PgConnection, name: &str) -> i64 {
        diesel::sql_query("SELECT count(*) AS n FROM pg_tables WHERE tablename = $1")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result::<Count>(conn)
            .expect("count")
            .n
    }

    #[test]
    fn two_fresh_databases_do_not_see_each_other() {
        let first = fresh_database();
        let second = fresh_database();
        assert_ne!(first.name(), second.name());
        first
            .connect()
            .batch_execute("CREATE TABLE only_in_first (id INT)")
            .expect("create");
        assert_eq!(tables_named(&mut first.connect(), "only_in_first"), 1);
        assert_eq!(tables_named(&mut second.connect(), "only_in_first"), 0);
    }

    #[test]
    fn a_fresh_database_is_migrated() {
        let db = fresh_database();
        assert_eq!(tables_named(&mut db.connect(), "invoices"), 1);
    }

    #[test]
    fn a_database_url_gets_the_database_name() {
        assert_eq!(
            with_dbname("postgres://u@h/app", "t"),
            "postgres://u@h/app?dbname=t"
        );
        assert_eq!(
            with_dbname("postgres://h/app?sslmode=disable", "t"),
            "postgres://h/app?sslmode=disable&dbname=t"
        );
        assert_eq!(
            with_dbname("host=/tmp dbname=app", "t"),
            "host=/tmp dbname=app dbname=t"
        );
    }
}
