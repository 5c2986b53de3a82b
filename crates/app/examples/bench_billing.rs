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
//! 0322); `BENCH_SEALER=0` leaves it off.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use adapters_postgres::embedded::{Durability, EmbeddedCluster};
use adapters_postgres::{migrations, PgStore};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use domain::billing::{BillingService, RunRequest};
use domain::clock::SystemClock;
use domain::idempotency::{IdempotencyRequest, Outcome};
use domain::settings::Settings;
use http_actix::idempotency::json_response;
use http_actix::routes::billing_runs::BillingRunResponse;

type Failure = Box<dyn Error>;

#[path = "common/billing_seed.rs"]
mod billing_seed;
use billing_seed::seed_accounts;

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
    let result = bench(&url, contracts, account_size);
    if let Some(cluster) = cluster.as_mut() {
        cluster.stop();
        if let Ok(keep) = std::env::var("BENCH_KEEP_LOG") {
            std::fs::copy(folder.join("postgres.log"), keep).ok();
        }
        std::fs::remove_dir_all(&folder).ok();
    }
    result
}

fn bench(url: &str, contracts: i64, account_size: i64) -> Result<(), Failure> {
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

    if std::env::var("BENCH_KEEP_LOG").is_ok() {
        diesel::sql_query("ALTER DATABASE mtf_bench SET log_min_duration_statement = 0")
            .execute(&mut conn)?;
    }
    checkpoint(&mut conn);
    let store = PgStore::connect(url, 4)?;
    let services = app::wiring::services(
        store,
        Arc::new(SystemClock),
        b"bench-secret-bench-secret-bench-secret",
        Settings::default(),
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
        json_response(StatusCode::CREATED, &BillingRunResponse::of_report(report))
    })?;
    let run_time = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let sealed_during_run = sealer.map(|t| t.join().unwrap_or(0));
    let Outcome::Fresh(response) = outcome else {
        return Err("the run was replayed instead of executed".into());
    };
    let answer: serde_json::Value = serde_json::from_slice(&response.body)?;
    let invoices = count(&mut conn, "SELECT count(*) AS n FROM invoices")?;
    let lines = count(&mut conn, "SELECT count(*) AS n FROM invoice_lines")?;
    let written_events = count(&mut conn, "SELECT count(*) AS n FROM events")?;
    let peak_rss = peak_rss_kib()?;
    let floor = physical_floor(&mut conn, invoices, lines, None)?;
    let run_id = answer["billing_run_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let floor_fk = physical_floor(&mut conn, invoices, lines, Some(&run_id))?;

    let per_second = invoices as f64 / run_time.as_secs_f64();
    let ratio = run_time.as_secs_f64() / floor.as_secs_f64();
    println!(
        "billing run (BillingService::run, batches of {batch}, one transaction each, two in flight)"
    );
    println!("  invoices written        {invoices}");
    println!("  invoice lines written   {lines}");
    println!("  events written          {written_events} (invoice.issued: {events})");
    match sealed_during_run {
        Some(n) => println!("  sealed during the run   {n} documents (archive sealer on)"),
        None => println!("  archive sealer          off (BENCH_SEALER=0)"),
    }
    println!("  answer invoice_count    {}", answer["invoice_count"]);
    println!("  answer totals           {}", answer["totals"]);
    println!("  answer size             {} bytes", response.body.len());
    println!("  wall time               {:.3} s", run_time.as_secs_f64());
    println!("  throughput              {per_second:.0} invoices/s");
    println!(
        "  peak RSS (VmHWM)        {:.1} MiB",
        peak_rss as f64 / 1024.0
    );
    println!("physical floor (INSERT … SELECT generate_series into scratch copies, one commit)");
    println!("  wall time               {:.3} s", floor.as_secs_f64());
    println!("ratio run / floor         {ratio:.2}");
    println!(
        "for comparison, the same floor with five per-row foreign keys (run, client, contract, \
         offer; line → invoice: the schema before decision 0094)"
    );
    println!("  wall time               {:.3} s", floor_fk.as_secs_f64());
    println!(
        "ratio run / floor with FKs {:.2}",
        run_time.as_secs_f64() / floor_fk.as_secs_f64()
    );
    let expected = (contracts + account_size - 1) / account_size;
    if invoices != expected {
        return Err(format!("expected {expected} invoices, found {invoices}").into());
    }
    Ok(())
}

/// Times the same number of invoice and line rows written by one server-side statement each
/// into scratch copies of the tables (same columns, defaults and indexes; no integrity
/// checks), or, when `run_id` names the run the rows then refer to, with five per-row foreign
/// keys in place of the real tables' statement-level checks (decision 0094).
fn physical_floor(
    conn: &mut PgConnection,
    invoices: i64,
    lines: i64,
    run_id: Option<&str>,
) -> Result<Duration, Failure> {
    diesel::sql_query("CREATE TABLE scratch_invoices (LIKE invoices INCLUDING ALL)")
        .execute(conn)?;
    diesel::sql_query("CREATE TABLE scratch_invoice_lines (LIKE invoice_lines INCLUDING ALL)")
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
    }
    checkpoint(conn);
    let started = Instant::now();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::sql_query(format!(
            "INSERT INTO scratch_invoices SELECT 'inv_' || lpad(n::text, 26, '0'), \
             'FAC-2099-' || lpad(n::text, 6, '0'), '{run}', \
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
        Ok(())
    })?;
    let elapsed = started.elapsed();
    diesel::sql_query("DROP TABLE scratch_invoice_lines, scratch_invoices").execute(conn)?;
    Ok(elapsed)
}

/// Writes the dirty pages out before a timed step, so that no step pays for the previous
/// one's checkpoint. Needs a superuser (or `pg_checkpoint`); without it the step is timed as is.
fn checkpoint(conn: &mut PgConnection) {
    if let Err(error) = diesel::sql_query("CHECKPOINT").execute(conn) {
        println!("(no CHECKPOINT before the next step: {error})");
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut PgConnection, query: &str) -> Result<i64, Failure> {
    Ok(diesel::sql_query(query).get_result::<Count>(conn)?.n)
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
