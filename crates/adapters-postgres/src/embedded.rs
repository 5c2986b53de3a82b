//! Private PostgreSQL cluster started from the machine's server binaries.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

use crate::rows::scalar::Exists;

/// Superuser created by `initdb`; authentication is `trust`, so no password exists.
const SUPERUSER: &str = "mtf";
/// Only a unix socket listens, so one fixed port per cluster cannot clash with anything: it
/// only names the socket file inside the cluster's own socket folder.
const PORT: u16 = 5432;
/// `sun_path` holds 108 bytes including the final NUL.
const SOCKET_PATH_MAX: usize = 107;
/// Lines of the server log quoted when the server does not start.
const LOG_TAIL_LINES: usize = 25;

/// Why the private cluster could not be prepared, started or used.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// Neither `PATH`, `/usr/lib/postgresql/*/bin` nor `pg_config --bindir` has the binaries.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (Debian/Ubuntu: \
         apt-get install postgresql; Fedora: dnf install postgresql-server; macOS: brew install \
         postgresql) or set DATABASE_URL"
    )]
    BinariesNotFound,
    /// Running as root, and no unprivileged account exists to run PostgreSQL, which refuses
    /// to run as root.
    #[error(
        "running as root, but neither the `postgres` nor the `nobody` user exists to run \
         PostgreSQL (it refuses to run as root): create a `postgres` user or set DATABASE_URL"
    )]
    NoUnprivilegedUser,
    /// The unprivileged account cannot reach the data folder.
    #[error(
        "PostgreSQL runs as uid {uid}, which cannot enter {dir}: choose a data folder outside \
         it or make it traversable (chmod o+x)"
    )]
    NotTraversable {
        /// The folder that blocks the way.
        dir: PathBuf,
        /// The account PostgreSQL runs as.
        uid: u32,
    },
    /// A file or folder could not be created, changed or read.
    #[error("could not prepare {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A PostgreSQL program failed.
    #[error("`{command}` failed: {output}")]
    Command {
        /// The command line.
        command: String,
        /// What it printed, or why it could not run.
        output: String,
    },
    /// `pg_ctl start` failed; the server log says why.
    #[error("PostgreSQL did not start ({output}); last lines of {log}:\n{tail}")]
    Start {
        /// What `pg_ctl` printed.
        output: String,
        /// The server log.
        log: PathBuf,
        /// Its last lines.
        tail: String,
    },
    /// The cluster runs but refused a connection.
    #[error("could not connect to {url}: {source}")]
    Connect {
        /// The connection string.
        url: String,
        /// The cause.
        #[source]
        source: diesel::ConnectionError,
    },
    /// A statement on the cluster failed.
    #[error("could not {action}: {source}")]
    Query {
        /// What was being done.
        action: String,
        /// The cause.
        #[source]
        source: diesel::result::Error,
    },
}

/// How much a cluster protects its data against power loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// PostgreSQL's defaults: every commit reaches the disk. For the application's data.
    Durable,
    /// No fsync and a larger connection limit: fast, for throw-away test clusters only.
    Ephemeral,
}

/// A PostgreSQL server running on a data folder owned by this process, reachable only through
/// a unix socket. Stopped by [`EmbeddedCluster::stop`] or when dropped.
#[derive(Debug)]
pub struct EmbeddedCluster {
    bin_dir: PathBuf,
    pgdata: PathBuf,
    socket_dir: PathBuf,
    log_file: PathBuf,
    run_as: Option<RunAs>,
    stopped: AtomicBool,
}

/// The unprivileged account that runs the binaries when this process is root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RunAs {
    uid: u32,
    gid: u32,
}

/// How `pg_ctl stop` ends the server.
#[derive(Clone, Copy, Debug)]
pub(crate) enum StopMode {
    /// Disconnect clients, checkpoint, exit.
    Fast,
    /// Exit at once; recovery runs at next start. For clusters about to be deleted.
    #[cfg(any(test, feature = "testing"))]
    Immediate,
}

impl StopMode {
    fn as_arg(self) -> &'static str {
        match self {
            StopMode::Fast => "fast",
            #[cfg(any(test, feature = "testing"))]
            StopMode::Immediate => "immediate",
        }
    }
}

impl EmbeddedCluster {
    /// Starts (creating it on first use) the durable cluster kept in `data_dir/postgres`, with
    /// its log in `data_dir/postgres.log`. Data survives restarts.
    pub fn start(data_dir: &Path) -> Result<EmbeddedCluster, EmbeddedError> {
        EmbeddedCluster::start_with(data_dir, Durability::Durable)
    }

    /// Like [`EmbeddedCluster::start`], choosing the durability.
    pub fn start_with(
        data_dir: &Path,
        durability: Durability,
    ) -> Result<EmbeddedCluster, EmbeddedError> {
        let bin_dir = find_bin_dir()?;
        create_dir(data_dir)?;
        // Absolute paths: the server runs with `/` as its working folder.
        let data_dir = fs::canonicalize(data_dir).map_err(io_error(data_dir))?;
        let pgdata = data_dir.join("postgres");
        let log_file = data_dir.join("postgres.log");
        let run_as = run_as_for(&pgdata)?;
        if let Some(run_as) = run_as {
            check_traversable(&data_dir, run_as)?;
        }
        create_private_dir(&pgdata, run_as)?;
        prepare_log_file(&log_file, run_as)?;
        let socket_dir = socket_dir_for(&pgdata);
        if socket_dir != pgdata {
            create_private_dir(&socket_dir, run_as)?;
        }
        let cluster = EmbeddedCluster {
            bin_dir,
            pgdata,
            socket_dir,
            log_file,
            run_as,
            stopped: AtomicBool::new(true),
        };
        if !cluster.pgdata.join("PG_VERSION").exists() {
            cluster.initdb(durability)?;
        }
        cluster.clear_previous_postmaster()?;
        cluster.start_server(durability)?;
        cluster.stopped.store(false, Ordering::SeqCst);
        tracing::info!(data = %cluster.pgdata.display(), socket = %cluster.socket_dir.display(),
            "private PostgreSQL started");
        Ok(cluster)
    }

    /// A libpq key/value connection string for database `dbname` of this cluster, usable by
    /// `PgConnection::establish` and r2d2.
    pub fn database_url(&self, dbname: &str) -> String {
        format!(
            "host={} port={PORT} user={SUPERUSER} dbname={}",
            conninfo_value(&self.socket_dir.to_string_lossy()),
            conninfo_value(dbname)
        )
    }

    /// Creates database `name` unless it exists.
    pub fn ensure_database(&self, name: &str) -> Result<(), EmbeddedError> {
        let url = self.database_url("postgres");
        let mut admin = PgConnection::establish(&url)
            .map_err(|source| EmbeddedError::Connect { url, source })?;
        if database_exists(&mut admin, name)? {
            return Ok(());
        }
        match create_database(&mut admin, name, None) {
            // Another process may have created it meanwhile.
            Err(_) if database_exists(&mut admin, name)? => Ok(()),
            other => other,
        }
    }

    /// The folder holding the server's socket (the `host` of [`Self::database_url`]).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// Stops the server (`pg_ctl stop -m fast`). Later calls and the drop do nothing.
    pub fn stop(&mut self) {
        self.halt(StopMode::Fast);
    }

    /// Stops the server once, whatever the number of callers; failures are only logged since
    /// this runs on shutdown paths that cannot report them.
    pub(crate) fn halt(&self, mode: StopMode) {
        if self.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Err(error) = stop_server(&self.bin_dir, &self.pgdata, self.run_as, mode) {
            tracing::warn!(%error, "could not stop the private PostgreSQL");
        }
        if self.socket_dir != self.pgdata {
            // Empty once the server is gone; a non-empty folder is left alone.
            let _ = fs::remove_dir(&self.socket_dir);
        }
    }

    fn initdb(&self, durability: Durability) -> Result<(), EmbeddedError> {
        let mut command = self.command("initdb");
        command.arg("-D").arg(&self.pgdata).args([
            "--auth=trust",
            "-U",
            SUPERUSER,
            "--encoding=UTF8",
            "--locale=C",
        ]);
        if durability == Durability::Ephemeral {
            command.arg("--no-sync");
        }
        run(&mut command).map(drop)
    }

    /// A postmaster left by a crashed run still holds the data folder: stop it so this start
    /// applies its own settings. Lock files naming a process that is not a running PostgreSQL
    /// are handled by `clear_stale_lock`.
    fn clear_previous_postmaster(&self) -> Result<(), EmbeddedError> {
        let pid_file = self.pgdata.join("postmaster.pid");
        match lock_file_pid(&pid_file) {
            Some(pid) if is_postgres_process(pid) => {
                tracing::warn!(pid, "stopping a PostgreSQL left running on the data folder");
                stop_server(&self.bin_dir, &self.pgdata, self.run_as, StopMode::Fast)?;
            }
            Some(pid) => clear_stale_lock(&pid_file, pid)?,
            None => {}
        }
        let socket_lock = self.socket_dir.join(format!(".s.PGSQL.{PORT}.lock"));
        match lock_file_pid(&socket_lock) {
            Some(pid) if !is_postgres_process(pid) => clear_stale_lock(&socket_lock, pid),
            _ => Ok(()),
        }
    }

    fn start_server(&self, durability: Durability) -> Result<(), EmbeddedError> {
        // A month's billing of a million contracts writes about 3.5 GB of WAL; with the 1 GB
        // default a checkpoint ran every 540 MB, back to back for the whole run, each followed
        // by full-page images (decision 0351). Crash recovery replays at most this much.
        // A bulk write (100,000 usage records make about 40 MB of WAL) filled the 4 MB of WAL
        // buffers PostgreSQL sizes from its shared buffers and waited on their writes; 64 MB
        // took a tenth off ingestion (decision 0388).
        let mut options = format!(
            "-k {} -p {PORT} -c listen_addresses='' -c max_wal_size=4GB \
             -c checkpoint_timeout=15min -c wal_buffers=64MB",
            shell_quote(&self.socket_dir.to_string_lossy())
        );
        if durability == Durability::Ephemeral {
            options.push_str(
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                 -c max_connections=300",
            );
        }
        let mut command = self.command("pg_ctl");
        command
            .args(["start", "-w", "-t", "120", "-D"])
            .arg(&self.pgdata)
            .arg("-l")
            .arg(&self.log_file)
            .arg("-o")
            .arg(options);
        run(&mut command)
            .map(drop)
            .map_err(|error| EmbeddedError::Start {
                output: error.to_string(),
                log: self.log_file.clone(),
                tail: log_tail(&self.log_file),
            })
    }

    fn command(&self, program: &str) -> Command {
        pg_command(&self.bin_dir, program, self.run_as)
    }
}

impl Drop for EmbeddedCluster {
    fn drop(&mut self) {
        self.halt(StopMode::Fast);
    }
}

/// The connection string of database `dbname` on the cluster of `data_dir` when a PostgreSQL
/// is running on it right now (a live server), else `None`. Lets a second process (a backup
/// next to the running server) connect instead of starting the cluster, which would stop the
/// running server first (see `clear_previous_postmaster`).
pub fn running_database_url(data_dir: &Path, dbname: &str) -> Option<String> {
    let pgdata = fs::canonicalize(data_dir).ok()?.join("postgres");
    let pid = lock_file_pid(&pgdata.join("postmaster.pid"))?;
    if !is_postgres_process(pid) {
        return None;
    }
    Some(format!(
        "host={} port={PORT} user={SUPERUSER} dbname={}",
        conninfo_value(&socket_dir_for(&pgdata).to_string_lossy()),
        conninfo_value(dbname)
    ))
}

/// Whether `data_dir` already holds a cluster (a restore needs an empty data folder).
pub fn has_cluster(data_dir: &Path) -> bool {
    data_dir.join("postgres").join("PG_VERSION").exists()
}

/// Finds the folder holding `initdb` and `pg_ctl`: on `PATH`, else the highest version under
/// `/usr/lib/postgresql`, else `pg_config --bindir`.
pub fn find_bin_dir() -> Result<PathBuf, EmbeddedError> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    locate_bin_dir(&path, Path::new("/usr/lib/postgresql"))
}

/// [`find_bin_dir`] with the search path and the versions folder given, so tests can simulate
/// a machine without PostgreSQL.
pub(crate) fn locate_bin_dir(
    search_path: &OsStr,
    versions_root: &Path,
) -> Result<PathBuf, EmbeddedError> {
    if let Some(dir) = std::env::split_paths(search_path).find(|dir| has_server_binaries(dir)) {
        return Ok(dir);
    }
    if let Some(dir) = highest_version_bin_dir(versions_root) {
        return Ok(dir);
    }
    let pg_config = std::env::split_paths(search_path)
        .map(|dir| dir.join("pg_config"))
        .find(|file| is_executable(file));
    if let Some(pg_config) = pg_config {
        if let Ok(output) = Command::new(pg_config).arg("--bindir").output() {
            let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
            if output.status.success() && has_server_binaries(&dir) {
                return Ok(dir);
            }
        }
    }
    Err(EmbeddedError::BinariesNotFound)
}

fn highest_version_bin_dir(versions_root: &Path) -> Option<PathBuf> {
    let entries = fs::read_dir(versions_root).ok()?;
    entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let version: Vec<u32> = name
                .split('.')
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            let bin = versions_root.join(&name).join("bin");
            has_server_binaries(&bin).then_some((version, bin))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, bin)| bin)
}

fn has_server_binaries(dir: &Path) -> bool {
    is_executable(&dir.join("initdb")) && is_executable(&dir.join("pg_ctl"))
}

fn is_executable(file: &Path) -> bool {
    fs::metadata(file).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// Where the server puts its socket: in the data folder, unless that path is too long for a
/// unix socket; then in a short folder under `/tmp` named after the data folder.
pub(crate) fn socket_dir_for(pgdata: &Path) -> PathBuf {
    let socket_file = pgdata.join(format!(".s.PGSQL.{PORT}"));
    if socket_file.as_os_str().len() <= SOCKET_PATH_MAX {
        return pgdata.to_path_buf();
    }
    let digest = Sha256::digest(pgdata.as_os_str().as_encoded_bytes());
    let mut name = String::from("mtf-");
    for byte in &digest[..8] {
        let _ = write!(name, "{byte:02x}");
    }
    Path::new("/tmp").join(name)
}

/// `None` when the binaries can run as this process; the account to switch to when root.
/// An existing cluster keeps running as its owner, so a data folder made by a normal user
/// still works when the application is later started as root.
fn run_as_for(pgdata: &Path) -> Result<Option<RunAs>, EmbeddedError> {
    if effective_uid() != Some(0) {
        return Ok(None);
    }
    if let Ok(meta) = fs::metadata(pgdata) {
        if meta.uid() != 0 {
            return Ok(Some(RunAs {
                uid: meta.uid(),
                gid: meta.gid(),
            }));
        }
    }
    ["postgres", "nobody"]
        .iter()
        .find_map(|user| lookup_user(user))
        .map(Some)
        .ok_or(EmbeddedError::NoUnprivilegedUser)
}

/// Through `id`, so accounts from any name service (not only `/etc/passwd`) are found.
fn lookup_user(name: &str) -> Option<RunAs> {
    let id = |flag: &str| -> Option<u32> {
        let output = Command::new("id").args([flag, name]).output().ok()?;
        if !output.status.success() {
            return None;
        }
        String::from_utf8_lossy(&output.stdout).trim().parse().ok()
    };
    Some(RunAs {
        uid: id("-u")?,
        gid: id("-g")?,
    })
}

/// Read from `/proc` because `libc::geteuid` would need `unsafe`; `id -u` elsewhere.
fn effective_uid() -> Option<u32> {
    let from_proc = fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find_map(|line| line.strip_prefix("Uid:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        });
    from_proc.or_else(|| {
        let output = Command::new("id").arg("-u").output().ok()?;
        String::from_utf8_lossy(&output.stdout).trim().parse().ok()
    })
}

/// Root can enter any folder, the PostgreSQL account cannot: say which folder blocks it rather
/// than let `initdb` fail with a bare "permission denied".
fn check_traversable(dir: &Path, run_as: RunAs) -> Result<(), EmbeddedError> {
    for ancestor in dir.ancestors() {
        let meta = fs::metadata(ancestor).map_err(io_error(ancestor))?;
        let mode = meta.permissions().mode();
        let allowed = if meta.uid() == run_as.uid {
            mode & 0o100 != 0
        } else if meta.gid() == run_as.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !allowed {
            return Err(EmbeddedError::NotTraversable {
                dir: ancestor.to_path_buf(),
                uid: run_as.uid,
            });
        }
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<(), EmbeddedError> {
    fs::create_dir_all(dir).map_err(io_error(dir))
}

/// PostgreSQL requires its data and socket folders to belong to the account running it and
/// to be closed to others.
fn create_private_dir(dir: &Path, run_as: Option<RunAs>) -> Result<(), EmbeddedError> {
    create_dir(dir)?;
    if let Some(RunAs { uid, gid }) = run_as {
        std::os::unix::fs::chown(dir, Some(uid), Some(gid)).map_err(io_error(dir))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io_error(dir))
}

/// The log is opened by the server's account, which may not write in `data_dir`.
fn prepare_log_file(log_file: &Path, run_as: Option<RunAs>) -> Result<(), EmbeddedError> {
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_file)
        .map_err(io_error(log_file))?;
    if let Some(RunAs { uid, gid }) = run_as {
        std::os::unix::fs::chown(log_file, Some(uid), Some(gid)).map_err(io_error(log_file))?;
    }
    Ok(())
}

/// A PostgreSQL program run as `run_as` when given. The working folder is `/` because the
/// server account may not enter the caller's.
fn pg_command(bin_dir: &Path, program: &str, run_as: Option<RunAs>) -> Command {
    let mut command = Command::new(bin_dir.join(program));
    command.current_dir("/");
    if let Some(RunAs { uid, gid }) = run_as {
        // std drops root's supplementary groups when it switches the uid.
        command.uid(uid).gid(gid);
    }
    command
}

/// Runs a command to completion; its output on failure becomes the error.
fn run(command: &mut Command) -> Result<String, EmbeddedError> {
    let line = describe(command);
    let output = command.output().map_err(|error| EmbeddedError::Command {
        command: line.clone(),
        output: error.to_string(),
    })?;
    let mut text = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !stdout.trim().is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(stdout.trim());
    }
    if output.status.success() {
        Ok(text)
    } else {
        Err(EmbeddedError::Command {
            command: line,
            output: format!("{}: {text}", output.status),
        })
    }
}

fn describe(command: &Command) -> String {
    let mut line: OsString = command.get_program().into();
    for arg in command.get_args() {
        line.push(" ");
        line.push(arg);
    }
    line.to_string_lossy().into_owned()
}

/// Stops the server of `pgdata` if one runs there.
fn stop_server(
    bin_dir: &Path,
    pgdata: &Path,
    run_as: Option<RunAs>,
    mode: StopMode,
) -> Result<(), EmbeddedError> {
    let mut command = pg_command(bin_dir, "pg_ctl", run_as);
    command
        .args(["stop", "-w", "-t", "60", "-m", mode.as_arg(), "-D"])
        .arg(pgdata);
    run(&mut command).map(drop)
}

/// Stops, without knowing how it was started, a server left running on `pgdata` (a crashed
/// test process's cluster). Does nothing when no PostgreSQL process holds it.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn stop_orphan(pgdata: &Path) -> Result<(), EmbeddedError> {
    let stopped = match lock_file_pid(&pgdata.join("postmaster.pid")) {
        Some(pid) if is_postgres_process(pid) => {
            let run_as = run_as_for(pgdata)?;
            stop_server(&find_bin_dir()?, pgdata, run_as, StopMode::Immediate)
        }
        _ => Ok(()),
    };
    let socket_dir = socket_dir_for(pgdata);
    if socket_dir != pgdata {
        let _ = fs::remove_dir(&socket_dir);
    }
    stopped
}

/// PostgreSQL's lock files start with the pid of the server that wrote them.
fn lock_file_pid(lock: &Path) -> Option<u32> {
    let text = fs::read_to_string(lock).ok()?;
    text.lines().next()?.trim().parse().ok()
}

/// Removes a lock file of a server that is not running, when its pid still exists as a zombie
/// or as another program: PostgreSQL would take it for a live server and refuse to start.
/// A lock whose pid is gone is left to PostgreSQL, which then also checks that no backend of
/// the dead server still uses the shared memory.
fn clear_stale_lock(lock: &Path, pid: u32) -> Result<(), EmbeddedError> {
    if !process_alive(pid) {
        return Ok(());
    }
    tracing::warn!(pid, lock = %lock.display(), "removing a stale PostgreSQL lock file");
    fs::remove_file(lock).map_err(io_error(lock))
}

/// Guards against signalling an unrelated program that reused a dead postmaster's pid. Without
/// `/proc` it answers yes and lets `pg_ctl` decide.
fn is_postgres_process(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    // `/proc/<pid>/stat` reads "pid (comm) state …". A zombie counts as gone: it no longer
    // serves, yet `pg_ctl` would wait for it forever.
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
        return false;
    };
    let comm = &stat[open + 1..close];
    let state = stat[close + 1..].trim_start().chars().next();
    (comm.starts_with("postgres") || comm.starts_with("postmaster"))
        && !matches!(state, Some('Z' | 'X'))
}

/// Whether process `pid` exists. Without `/proc` it answers yes, the safe side for callers
/// that delete what dead processes left.
pub(crate) fn process_alive(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

fn log_tail(log_file: &Path) -> String {
    let text = fs::read_to_string(log_file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> EmbeddedError + '_ {
    move |source| EmbeddedError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Quotes for `/bin/sh`, which `pg_ctl` uses to launch the server with the `-o` options.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Quotes a libpq key/value connection-string value when it needs it.
pub(crate) fn conninfo_value(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '\'' || c == '\\');
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
    }
}

/// Quotes an SQL identifier such as a database name.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(crate) fn database_exists(admin: &mut PgConnection, name: &str) -> Result<bool, EmbeddedError> {
    diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS found")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<Exists>(admin)
        .map(|row| row.found)
        .map_err(|source| EmbeddedError::Query {
            action: format!("look for database {name}"),
            source,
        })
}

/// `CREATE DATABASE`, as a copy of `template` when given.
pub(crate) fn create_database(
    admin: &mut PgConnection,
    name: &str,
    template: Option<&str>,
) -> Result<(), EmbeddedError> {
    let mut sql = format!("CREATE DATABASE {}", quote_ident(name));
    if let Some(template) = template {
        let _ = write!(sql, " TEMPLATE {}", quote_ident(template));
    }
    admin
        .batch_execute(&sql)
        .map_err(|source| EmbeddedError::Query {
            action: format!("create database {name}"),
            source,
        })
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::rows::scalar::{Count, TextValue};
    use crate::testing::scratch_dir;

    fn select_one(url: &str) -> i64 {
        let mut conn = PgConnection::establish(url).expect("connect");
        diesel::sql_query("SELECT 1::BIGINT AS n")
            .get_result::<Count>(&mut conn)
            .expect("select")
            .n
    }

    #[test]
    fn a_started_cluster_answers_select_one_on_its_socket_only() {
        let cluster = EmbeddedCluster::start_with(&scratch_dir("answers"), Durability::Ephemeral)
            .expect("start");
        assert_eq!(select_one(&cluster.database_url("postgres")), 1);
        assert!(cluster.socket_dir().join(".s.PGSQL.5432").exists());
        let conf = fs::read_to_string(cluster.pgdata.join("postmaster.pid")).expect("pid file");
        // Line 6 of postmaster.pid is the listen address: empty means no TCP listener.
        assert_eq!(conf.lines().nth(5).map(str::trim), Some(""));
    }

    #[test]
    fn data_survives_a_stop_and_a_restart_even_with_a_long_path() {
        let long = "a-folder-name-long-enough-to-overflow-a-unix-socket-path";
        let dir = scratch_dir("restart").join(long).join(long);
        let mut cluster = EmbeddedCluster::start(&dir).expect("first start");
        let socket_dir = cluster.socket_dir().to_string_lossy().into_owned();
        assert!(
            socket_dir.starts_with("/tmp/mtf-"),
            "short socket folder, not {socket_dir}"
        );
        cluster.ensure_database("kept").expect("create database");
        cluster
            .ensure_database("kept")
            .expect("existing database is fine");
        let url = cluster.database_url("kept");
        let mut conn = PgConnection::establish(&url).expect("connect");
        conn.batch_execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept');")
            .expect("write");
        drop(conn);
        cluster.stop();
        assert!(
            PgConnection::establish(&url).is_err(),
            "stopped cluster refuses connections"
        );
        drop(cluster);

        let cluster = EmbeddedCluster::start(&dir).expect("second start");
        let mut conn = PgConnection::establish(&cluster.database_url("kept")).expect("reconnect");
        let notes: Vec<TextValue> = diesel::sql_query("SELECT body AS value FROM notes")
            .load(&mut conn)
            .expect("read");
        assert_eq!(
            notes.iter().map(|n| n.value.as_str()).collect::<Vec<_>>(),
            ["kept"]
        );
    }

    #[test]
    fn missing_binaries_say_what_to_install() {
        let empty = scratch_dir("no-binaries");
        fs::create_dir_all(&empty).expect("folder");
        let error = locate_bin_dir(empty.as_os_str(), &empty).expect_err("nothing to find");
        let message = error.to_string();
        assert!(message.starts_with("PostgreSQL server binaries (initdb, pg_ctl) not found"));
        assert!(message.contains("apt-get install postgresql"));
        assert!(message.contains("DATABASE_URL"));
    }

    #[test]
    fn binaries_on_the_search_path_are_found_first() {
        let bin = scratch_dir("fake-bin");
        fs::create_dir_all(&bin).expect("folder");
        for name in ["initdb", "pg_ctl"] {
            fs::write(bin.join(name), "#!/bin/sh\n").expect("write");
            fs::set_permissions(bin.join(name), fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        assert_eq!(
            locate_bin_dir(bin.as_os_str(), Path::new("/nonexistent")).ok(),
            Some(bin)
        );
    }

    #[test]
    fn connection_values_with_spaces_or_quotes_are_quoted() {
        assert_eq!(conninfo_value("/tmp/x"), "/tmp/x");
        assert_eq!(conninfo_value("/tmp/a b"), "'/tmp/a b'");
        assert_eq!(conninfo_value(r"it's\"), r"'it\'s\\'");
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }
}
