//! Billing benchmark: bills 100,000 contracts through the same use case `POST /billing/runs`
//! uses, then times a raw server-side `INSERT … SELECT` of as many invoice and line rows (the
//! physical floor) and prints both, their ratio and the peak resident memory.
//!
//! `cargo run --release -p app --example bench_billing` (or `just bench-billing`). Without
//! `DATABASE_URL` it starts a private PostgreSQL cluster in a temporary folder and deletes it
//! afterwards; with `DATABASE_URL` it uses that database, which must be a throw-away one (it
//! migrates it and adds 100,000 clients and contracts). `BENCH_CONTRACTS` changes the count;
//! `BENCH_ACCOUNT_SIZE=k` (default 1) gives each client `k` contracts and, above 1, makes the
//! clients companies billed per account: one invoice for every `k` contracts (decision 0211).
//! `BENCH_NO_EVENTS=1` bills without writing the `invoice.issued` events, to measure what
//! the outbox costs (the application always writes them). The archive's sealer runs during
//! the run as on a server (it renders, stores and hashes each invoice after issue, decision
//! 0322), polling every 100 ms; it yields to billing runs (decision 0325), so it should seal
//! nothing while the run bills; `BENCH_SEALER=0` leaves it off.
//!
//! `BENCH_USAGE_PER_CONTRACT=N` (issue #21's figure uses 10; default 0) gives every plan
//! allowances and rates and each contract N usage records in February, some contracts over
//! their allowances: the run then reads and rates them, and writes usage lines and
//! `invoice_usage` rows (used / included per contract and kind). The floor writes as many
//! usage lines (with their usage columns) and `invoice_usage` rows in plain SQL.
//!
//! At scale (`BENCH_CONTRACTS=1000000`), `BENCH_COMPARE=1` first bills 100,000 contracts in
//! another database of the same private cluster (then dropped), and prints the ratios of the
//! large run to that one: run time (cost per contract stays flat when ≤ 10 × the contract
//! ratio + 10 %) and floor. Peak resident memory is measured per run (`VmHWM`, reset through
//! `/proc/self/clear_refs` before each). The floor with foreign keys is skipped above 200,000
//! contracts unless `BENCH_FK_FLOOR=1`.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use adapters_postgres::embedded::{Durability, EmbeddedCluster};
use adapters_postgres::{migrations, PgStore};
use diesel::{Connection, PgConnection, RunQueryDsl};
use domain::billing::{BillingService, RunRequest};
use domain::clock::SystemClock;
use domain::idempotency::{IdempotencyRequest, Outcome};
use domain::settings::Settings;
use http_actix::routes::billing_runs::run_answer;
use serde::de::IgnoredAny;
use serde::Deserialize;

type Failure = Box<dyn Error>;

#[path = "common/sql.rs"]
mod sql;
use sql::{checkpoint, count};
#[path = "common/billing_seed.rs"]
mod billing_seed;
use billing_seed::{seed_accounts, seed_usage};

/// The size the large run is compared with (`BENCH_COMPARE=1`).
const BASE_CONTRACTS: i64 = 100_000;

fn main() -> Result<(), Failure> {
    let contracts: i64 = std::env::var("BENCH_CONTRACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let account_size: i64 = std::env::var("BENCH_ACCOUNT_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|k| *k >= 1)
        .unwrap_or(1);
    let compare = std::env::var("BENCH_COMPARE").is_ok_and(|v| v.trim() == "1");
    let folder = std::env::temp_dir().join(format!("mtf-bench-billing-{}", std::process::id()));
    let (url, mut cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => (url, None),
        _ => {
            println!(
                "starting a private PostgreSQL cluster in {}",
                folder.display()
            );
            let cluster = EmbeddedCluster::start_with(&folder, Durability::Durable)?;
            cluster.ensure_database("mtf_bench")?;
            (cluster.database_url("mtf_bench"), Some(cluster))
        }
    };
    let result = (|| -> Result<(), Failure> {
        let base = if compare {
            let Some(cluster) = cluster.as_ref() else {
                return Err(
                    "BENCH_COMPARE=1 needs the private cluster (unset DATABASE_URL)".into(),
                );
            };
            cluster.ensure_database("mtf_bench_base")?;
            println!("== {BASE_CONTRACTS} contracts (the comparison run)");
            let base = bench(
                &cluster.database_url("mtf_bench_base"),
                BASE_CONTRACTS,
                account_size,
            );
            // Its disk back before the large run.
            let mut admin = PgConnection::establish(&cluster.database_url("postgres"))?;
            diesel::sql_query("DROP DATABASE mtf_bench_base").execute(&mut admin)?;
            println!("== {contracts} contracts");
            Some(base?)
        } else {
            None
        };
        let large = bench(&url, contracts, account_size)?;
        if let Some(base) = base {
            compare_runs(&base, &large);
        }
        Ok(())
    })();
    if let Some(cluster) = cluster.as_mut() {
        cluster.stop();
        if let Ok(keep) = std::env::var("BENCH_KEEP_LOG") {
            std::fs::copy(folder.join("postgres.log"), keep).ok();
        }
        std::fs::remove_dir_all(&folder).ok();
    }
    result
}

/// What one size measured.
struct Figures {
    contracts: i64,
    run: Duration,
    floor: Duration,
    peak_rss_kib: u64,
}

fn compare_runs(base: &Figures, large: &Figures) {
    let size = large.contracts as f64 / base.contracts as f64;
    let run = large.run.as_secs_f64() / base.run.as_secs_f64();
    let floor = large.floor.as_secs_f64() / base.floor.as_secs_f64();
    println!(
        "{} contracts against {} ({size:.0} × the contracts)",
        large.contracts, base.contracts
    );
    println!("  run time ratio          {run:.2}");
    println!("  floor time ratio        {floor:.2}");
    println!(
        "  run / floor             {:.2} against {:.2}",
        large.run.as_secs_f64() / large.floor.as_secs_f64(),
        base.run.as_secs_f64() / base.floor.as_secs_f64()
    );
    println!(
        "  peak RSS                {:.1} MiB against {:.1} MiB",
        large.peak_rss_kib as f64 / 1024.0,
        base.peak_rss_kib as f64 / 1024.0
    );
}

/// The fields of the answer the benchmark checks; the ids are counted, not kept.
#[derive(Deserialize)]
struct Answer {
    billing_run_id: String,
    invoice_count: i64,
    invoice_ids: Vec<IgnoredAny>,
    totals: serde_json::Value,
}

fn bench(url: &str, contracts: i64, account_size: i64) -> Result<Figures, Failure> {
    let mut conn = PgConnection::establish(url)?;
    migrations::run_pending(&mut conn)?;
    let started = Instant::now();
    seed_accounts(&mut conn, contracts, account_size)?;
    println!(
        "seeded {contracts} contracts, {account_size} per client{} (server-side \
         generate_series) in {:.2} s",
        if account_size > 1 {
            ", billed per account"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );

    let usage_per_contract: i64 = std::env::var("BENCH_USAGE_PER_CONTRACT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if usage_per_contract > 0 {
        let started = Instant::now();
        seed_usage(&mut conn, contracts, usage_per_contract)?;
        println!(
            "seeded {} usage records ({usage_per_contract} per contract, plans with \
             allowances) in {:.2} s",
            contracts * usage_per_contract,
            started.elapsed().as_secs_f64()
        );
    }

    if std::env::var("BENCH_KEEP_LOG").is_ok() {
        diesel::sql_query("ALTER DATABASE mtf_bench SET log_min_duration_statement = 0")
            .execute(&mut conn)?;
    }
    // The peak from here on is the run's, not an earlier run's (Linux 4.0+; else kept).
    std::fs::write("/proc/self/clear_refs", "5").ok();
    checkpoint(&mut conn);
    let store = PgStore::connect(url, 4)?;
    // BENCH_EINVOICING=1: every invoice also waits for clearance (issue #18), one more
    // set-based insert per batch.
    let einvoicing = std::env::var("BENCH_EINVOICING").is_ok_and(|v| v.trim() == "1");
    let services = app::wiring::services(
        store,
        Arc::new(SystemClock),
        b"bench-secret-bench-secret-bench-secret",
        Settings {
            einvoicing,
            ..Settings::default()
        },
        Arc::new(app::otp::LogOtpSender),
    )?;
    let request = RunRequest {
        period: "2026-02".into(),
        issue_date: Some("2026-03-01".into()),
        dry_run: false,
        due_in_days: None,
    };
    let key = IdempotencyRequest {
        scope: "act_bench".into(),
        key: format!("bench-{}", std::process::id()),
        fingerprint: "bench".into(),
    };
    let batch = std::env::var("BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(BillingService::DEFAULT_BATCH_SIZE);
    let billing = services.billing.clone().with_batch_size(batch);
    let events = std::env::var("BENCH_NO_EVENTS").map_or(true, |v| v.trim() != "1");
    let billing = if events {
        billing
    } else {
        billing.without_invoice_events()
    };
    let sealing = std::env::var("BENCH_SEALER").map_or(true, |v| v.trim() != "0");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sealer = sealing.then(|| {
        let archive = app::wiring::archive(&services);
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut sealed = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match archive.seal(100) {
                    Ok(0) => std::thread::sleep(Duration::from_millis(100)),
                    Ok(n) => sealed += n,
                    Err(error) => {
                        eprintln!("sealer: {error}");
                        std::thread::sleep(Duration::from_millis(100));
                    }
                }
            }
            sealed
        })
    });
    let started = Instant::now();
    let outcome = billing.run("act_bench", &request, &key, |report| {
        run_answer(StatusCode::CREATED, report)
    })?;
    let run_time = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let sealed_during_run = sealer.map(|t| t.join().unwrap_or(0));
    let Outcome::Fresh(response) = outcome else {
        return Err("the run was replayed instead of executed".into());
    };
    let peak_rss = peak_rss_kib()?;
    let answer: Answer = serde_json::from_slice(&response.body)?;
    let answer_size = response.body.len();
    drop(response);
    let invoices = count(&mut conn, "SELECT count(*) AS n FROM invoices")?;
    let lines = count(&mut conn, "SELECT count(*) AS n FROM invoice_lines")?;
    let usage_lines = count(
        &mut conn,
        "SELECT count(*) AS n FROM invoice_lines WHERE kind = 'usage'",
    )?;
    let usage_rows = count(&mut conn, "SELECT count(*) AS n FROM invoice_usage")?;
    let rows = Rows {
        invoices,
        lines: lines - usage_lines,
        usage_lines,
        usage_rows,
    };
    let written_events = count(&mut conn, "SELECT count(*) AS n FROM events")?;
    let clearances = count(&mut conn, "SELECT count(*) AS n FROM clearances")?;
    let floor = physical_floor(&mut conn, &rows, None, events)?;
    let with_fk = std::env::var("BENCH_FK_FLOOR").map_or(contracts <= 200_000, |v| v.trim() == "1");
    let floor_fk = if with_fk {
        Some(physical_floor(
            &mut conn,
            &rows,
            Some(&answer.billing_run_id),
            events,
        )?)
    } else {
        None
    };

    let per_second = invoices as f64 / run_time.as_secs_f64();
    let ratio = run_time.as_secs_f64() / floor.as_secs_f64();
    println!(
        "billing run (BillingService::run, batches of {batch}, one transaction each, two in flight)"
    );
    println!("  invoices written        {invoices}");
    println!("  invoice lines written   {lines} (usage lines: {usage_lines})");
    println!(
        "  invoice_usage rows      {usage_rows} (BENCH_USAGE_PER_CONTRACT: {usage_per_contract})"
    );
    println!("  events written          {written_events} (invoice.issued: {events})");
    match sealed_during_run {
        Some(n) => println!("  sealed during the run   {n} documents (archive sealer on)"),
        None => println!("  archive sealer          off (BENCH_SEALER=0)"),
    }
    println!("  clearances written      {clearances} (BENCH_EINVOICING: {einvoicing})");
    println!("  answer invoice_count    {}", answer.invoice_count);
    println!("  answer invoice_ids      {}", answer.invoice_ids.len());
    println!("  answer totals           {}", answer.totals);
    println!("  answer size             {answer_size} bytes");
    println!("  wall time               {:.3} s", run_time.as_secs_f64());
    println!("  throughput              {per_second:.0} invoices/s");
    println!(
        "  peak RSS (VmHWM)        {:.1} MiB",
        peak_rss as f64 / 1024.0
    );
    println!("physical floor (INSERT … SELECT into scratch copies, one commit; events: {events})");
    println!("  wall time               {:.3} s", floor.as_secs_f64());
    println!("ratio run / floor         {ratio:.2}");
    if let Some(floor_fk) = floor_fk {
        println!(
            "for comparison, the same floor with five per-row foreign keys (run, client, \
             contract, offer; line → invoice: the schema before decision 0094)"
        );
        println!("  wall time               {:.3} s", floor_fk.as_secs_f64());
        println!(
            "ratio run / floor with FKs {:.2}",
            run_time.as_secs_f64() / floor_fk.as_secs_f64()
        );
    }
    let expected = (contracts + account_size - 1) / account_size;
    if invoices != expected || answer.invoice_ids.len() as i64 != expected {
        return Err(format!(
            "expected {expected} invoices, found {invoices} ({} in the answer)",
            answer.invoice_ids.len()
        )
        .into());
    }
    Ok(Figures {
        contracts,
        run: run_time,
        floor,
        peak_rss_kib: peak_rss,
    })
}

/// The rows a run wrote, which the floor writes again.
struct Rows {
    invoices: i64,
    /// Subscription and regularisation lines.
    lines: i64,
    usage_lines: i64,
    /// `invoice_usage` rows.
    usage_rows: i64,
}

/// Times the same number of invoice and line rows written by one server-side statement each
/// into scratch copies of the tables (same columns, defaults and indexes; no integrity
/// checks), or, when `run_id` names the run the rows then refer to, with five per-row foreign
/// keys in place of the real tables' statement-level checks (decision 0094). With `events`,
/// the floor also writes the run's `invoice.issued` rows, their data taken as text from the
/// ones the run wrote, since the run writes them too (decision 0264).
fn physical_floor(
    conn: &mut PgConnection,
    rows: &Rows,
    run_id: Option<&str>,
    events: bool,
) -> Result<Duration, Failure> {
    let Rows {
        invoices,
        lines,
        usage_lines,
        usage_rows,
    } = *rows;
    diesel::sql_query("CREATE TABLE scratch_invoices (LIKE invoices INCLUDING ALL)")
        .execute(conn)?;
    diesel::sql_query("CREATE TABLE scratch_invoice_lines (LIKE invoice_lines INCLUDING ALL)")
        .execute(conn)?;
    diesel::sql_query("CREATE TABLE scratch_events (LIKE events INCLUDING ALL)").execute(conn)?;
    diesel::sql_query("CREATE TABLE scratch_invoice_usage (LIKE invoice_usage INCLUDING ALL)")
        .execute(conn)?;
    let run = run_id.unwrap_or("run_01BENCH00000000000000000000");
    if run_id.is_some() {
        diesel::sql_query(
            "ALTER TABLE scratch_invoices \
             ADD FOREIGN KEY (billing_run_id) REFERENCES billing_runs (id), \
             ADD FOREIGN KEY (client_id) REFERENCES clients (id), \
             ADD FOREIGN KEY (contract_id) REFERENCES contracts (id), \
             ADD FOREIGN KEY (offer_id) REFERENCES offers (id)",
        )
        .execute(conn)?;
        diesel::sql_query(
            "ALTER TABLE scratch_invoice_lines \
             ADD FOREIGN KEY (invoice_id) REFERENCES scratch_invoices (id)",
        )
        .execute(conn)?;
        diesel::sql_query(
            "ALTER TABLE scratch_invoice_usage \
             ADD FOREIGN KEY (invoice_id) REFERENCES scratch_invoices (id)",
        )
        .execute(conn)?;
    }
    checkpoint(conn);
    let started = Instant::now();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::sql_query(format!(
            "INSERT INTO scratch_invoices SELECT 'inv_' || lpad(n::text, 26, '0'), \
             'FAC-2099-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END, \
             '{run}', \
             'cli_B' || lpad(n::text, 9, '0'), 'ctr_B' || lpad(n::text, 9, '0'), 'ofr_BENCH0', \
             'mobile', '2026-02', DATE '2026-03-01', DATE '2026-03-16', 'issued', 4900, 980, \
             5880, 0, 'MAD', now(), now(), 0, 'Client N' || n, 'BK' || lpad(n::text, 7, '0'), \
             NULL, 'Rue ' || n, 'Rabat', '+2126' || lpad(n::text, 8, '0'), 1 \
             FROM generate_series(1, {invoices}) n"
        ))
        .execute(conn)?;
        diesel::sql_query(format!(
            "INSERT INTO scratch_invoice_lines (invoice_id, position, description, offer_id, \
             start_date, end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, \
             tax_amount, amount_incl_tax, contract_id) \
             SELECT 'inv_' || lpad(((n - 1) % {invoices} + 1)::text, 26, '0'), 1, \
             'Offre 0 – février 2026', 'ofr_BENCH0', DATE '2026-02-01', DATE '2026-02-28', 28, \
             4900, 4900, 2000, 980, 5880, 'ctr_B' || lpad(n::text, 9, '0') \
             FROM generate_series(1, {lines}) n"
        ))
        .execute(conn)?;
        if usage_lines > 0 {
            diesel::sql_query(format!(
                "INSERT INTO scratch_invoice_lines (invoice_id, position, description, \
                 offer_id, start_date, end_date, days, monthly_price, amount_excl_tax, \
                 tax_rate_bp, tax_amount, amount_incl_tax, contract_id, kind, usage_kind, \
                 quantity, unit_price) \
                 SELECT 'inv_' || lpad(((n - 1) % {invoices} + 1)::text, 26, '0'), 2, \
                 'Appels hors forfait : 15 min', 'ofr_BENCH0', DATE '2026-02-01', \
                 DATE '2026-02-28', 28, 0, 2250, 2000, 450, 2700, \
                 'ctr_B' || lpad(n::text, 9, '0'), 'usage', 'voice', 15, 150 \
                 FROM generate_series(1, {usage_lines}) n"
            ))
            .execute(conn)?;
        }
        if usage_rows > 0 {
            diesel::sql_query(format!(
                "INSERT INTO scratch_invoice_usage (invoice_id, contract_id, kind, used, \
                 included) \
                 SELECT 'inv_' || lpad(((n - 1) / 3 + 1)::text, 26, '0'), \
                 'ctr_B' || lpad(((n - 1) / 3 + 1)::text, 9, '0'), \
                 (ARRAY['voice', 'sms', 'data'])[(n - 1) % 3 + 1], 4500, 3600 \
                 FROM generate_series(1, {usage_rows}) n"
            ))
            .execute(conn)?;
        }
        if events {
            diesel::sql_query(
                "INSERT INTO scratch_events (id, type, occurred_at, actor_id, data) \
                 SELECT id, type, occurred_at, actor_id, data::text::json FROM events \
                 WHERE type = 'invoice.issued'",
            )
            .execute(conn)?;
        }
        Ok(())
    })?;
    let elapsed = started.elapsed();
    diesel::sql_query(
        "DROP TABLE scratch_invoice_usage, scratch_invoice_lines, scratch_invoices, \
         scratch_events",
    )
    .execute(conn)?;
    Ok(elapsed)
}

/// Peak resident set size of this process, KiB (`VmHWM` of /proc/self/status).
fn peak_rss_kib() -> Result<u64, Failure> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "VmHWM not found in /proc/self/status".into())
}
