//! Where a benchmark's wall time goes (issue 19 asks to profile before optimising): the CPU
//! time of this process and of the PostgreSQL cluster's processes over a step, from
//! `/proc/<pid>/stat`. Wall time minus both is waiting: round trips, commits' WAL flushes, locks.

use std::time::Duration;

use diesel::{PgConnection, QueryableByName, RunQueryDsl};

/// CPU time used so far by this process and by the cluster serving `conn`.
#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    pub own: Duration,
    pub postgres: Duration,
}

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
}

/// `None` where `/proc` cannot be read (another OS, or a remote database's processes).
pub fn sample(conn: &mut PgConnection) -> Option<CpuSample> {
    let own = ticks(std::process::id())?;
    // The checkpointer is a child of the postmaster, like every backend.
    let checkpointer: Pid =
        diesel::sql_query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
            .get_result(conn)
            .ok()?;
    let postmaster = parent(u32::try_from(checkpointer.pid).ok()?)?;
    let mut postgres = ticks(postmaster)?;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if parent(pid) == Some(postmaster) {
            postgres += ticks(pid).unwrap_or(0);
        }
    }
    Some(CpuSample {
        own: to_duration(own),
        postgres: to_duration(postgres),
    })
}

/// Prints the CPU of this process and of PostgreSQL between two samples, against the wall time.
pub fn print_split(before: Option<CpuSample>, after: Option<CpuSample>, wall: Duration) {
    let (Some(before), Some(after)) = (before, after) else {
        println!("  CPU split               (not available: /proc not readable)");
        return;
    };
    let own = after.own.saturating_sub(before.own);
    let postgres = after.postgres.saturating_sub(before.postgres);
    println!(
        "  CPU: this process       {:.1} s ({:.0} % of the wall time)",
        own.as_secs_f64(),
        100.0 * own.as_secs_f64() / wall.as_secs_f64()
    );
    println!(
        "  CPU: PostgreSQL         {:.1} s ({:.0} % of the wall time)",
        postgres.as_secs_f64(),
        100.0 * postgres.as_secs_f64() / wall.as_secs_f64()
    );
}

/// utime + stime of `pid`, in clock ticks.
fn ticks(pid: u32) -> Option<u64> {
    let fields = stat_fields(pid)?;
    // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn parent(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// The fields of `/proc/<pid>/stat` after the command name (which may hold spaces).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

fn to_duration(ticks: u64) -> Duration {
    // Linux reports these in USER_HZ, 100 per second on every supported architecture.
    Duration::from_millis(ticks * 10)
}
