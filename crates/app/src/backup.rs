//! `backup` and `restore`: a consistent online copy of the database with `pg_dump -Fc`, and
//! its restore into an empty data folder or database with `pg_restore` (decision 0166).
//!
//! `pg_dump` reads everything in one repeatable-read snapshot, so a backup taken while the
//! server writes holds each transaction entirely or not at all: an invoice with its lines,
//! its number and the sequence row that issued it.

use std::path::{Path, PathBuf};
use std::process::Command;

use adapters_postgres::embedded::{self, EmbeddedCluster};
use diesel::sql_types::BigInt;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

use crate::config::Config;
use crate::database::EMBEDDED_DATABASE;

/// Why a backup or restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The embedded cluster could not start or its binaries are missing.
    #[error("{0}")]
    Embedded(#[from] embedded::EmbeddedError),
    /// A restore must start from nothing, so it never mixes two histories.
    #[error("{0} is not empty: restore into an empty data folder or database")]
    NotEmpty(String),
    /// `pg_dump` or `pg_restore` failed.
    #[error("`{program}` failed: {output}")]
    Tool {
        /// The program.
        program: String,
        /// What it printed, or why it could not run.
        output: String,
    },
    /// The database refused a connection or a query.
    #[error("database: {0}")]
    Database(String),
    /// The backup file could not be written or read.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// The database a command works on; a cluster started for it is stopped when this drops.
struct Target {
    url: String,
    _started: Option<EmbeddedCluster>,
}

/// `DATABASE_URL`, else the embedded cluster of the data folder: the running one when a
/// server is up (an online backup), else started for the duration of the command.
fn target(config: &Config) -> Result<Target, BackupError> {
    if let Some(url) = &config.database_url {
        return Ok(Target {
            url: url.clone(),
            _started: None,
        });
    }
    if let Some(url) = embedded::running_database_url(&config.data_dir, EMBEDDED_DATABASE) {
        return Ok(Target {
            url,
            _started: None,
        });
    }
    let cluster = EmbeddedCluster::start(&config.data_dir)?;
    cluster.ensure_database(EMBEDDED_DATABASE)?;
    Ok(Target {
        url: cluster.database_url(EMBEDDED_DATABASE),
        _started: Some(cluster),
    })
}

/// Writes a custom-format dump of the whole database to `file`. The dump goes to a
/// `.partial` file renamed at the end, so `file` is either absent or complete.
pub fn backup(config: &Config, file: &Path) -> Result<(), BackupError> {
    let target = target(config)?;
    let partial = partial_path(file);
    let mut command = tool("pg_dump")?;
    command
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(&partial)
        .arg("--dbname")
        .arg(&target.url);
    if let Err(error) = run(command, "pg_dump") {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, file).map_err(|source| BackupError::File {
        path: file.to_path_buf(),
        source,
    })
}

/// Restores `file` into the empty database named by `DATABASE_URL`, or into a new embedded
/// cluster in the (empty) data folder. Pending migrations run at the next start.
pub fn restore(config: &Config, file: &Path) -> Result<(), BackupError> {
    std::fs::metadata(file).map_err(|source| BackupError::File {
        path: file.to_path_buf(),
        source,
    })?;
    if config.database_url.is_none() && embedded::has_cluster(&config.data_dir) {
        return Err(BackupError::NotEmpty(format!(
            "data folder {}",
            config.data_dir.display()
        )));
    }
    let target = target(config)?;
    if table_count(&target.url)? > 0 {
        return Err(BackupError::NotEmpty("the database".into()));
    }
    let mut command = tool("pg_restore")?;
    command
        .args([
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "--dbname",
        ])
        .arg(&target.url)
        .arg(file);
    run(command, "pg_restore")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Tables of the public schema: zero for a database nothing was ever written to.
fn table_count(url: &str) -> Result<i64, BackupError> {
    let mut conn =
        PgConnection::establish(url).map_err(|e| BackupError::Database(e.to_string()))?;
    diesel::sql_query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")
        .get_result::<Count>(&mut conn)
        .map(|row| row.n)
        .map_err(|e| BackupError::Database(e.to_string()))
}

/// A client program from the folder of the server binaries, so its version matches the
/// embedded cluster; falls back to `PATH` when only the client tools are installed.
fn tool(program: &str) -> Result<Command, BackupError> {
    match embedded::find_bin_dir() {
        Ok(dir) if dir.join(program).exists() => Ok(Command::new(dir.join(program))),
        _ => Ok(Command::new(program)),
    }
}

fn run(mut command: Command, program: &str) -> Result<(), BackupError> {
    let output = command.output().map_err(|e| BackupError::Tool {
        program: program.into(),
        output: e.to_string(),
    })?;
    if output.status.success() {
        return Ok(());
    }
    Err(BackupError::Tool {
        program: program.into(),
        output: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    })
}

fn partial_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}
