//! Exports benchmark: bills the billing benchmark's 100,000 contracts (100,000 invoices
//! issued on 1 March 2026), then streams the sales journal of that day through the whole HTTP
//! application in process, as CSV and as JSON, reading the body chunk by chunk and throwing
//! it away, and prints the size, the time and the process's peak resident memory during each
//! export against the memory it had before.
//!
//! `cargo run --release -p app --example bench_exports` (or `just bench-exports`). Without
//! `DATABASE_URL` it starts a private PostgreSQL cluster in a temporary folder and deletes it
//! afterwards; with `DATABASE_URL` it uses that database, which must be a throw-away one.
//! `BENCH_CONTRACTS` changes the count (compare 10,000 and 100,000: the peak should not move).

use std::error::Error;
use std::future::poll_fn;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::{test, web};
use adapters_postgres::embedded::{Durability, EmbeddedCluster};
use adapters_postgres::{migrations, PgStore};
use diesel::{Connection, PgConnection};
use domain::billing::RunRequest;
use domain::clock::SystemClock;
use domain::idempotency::IdempotencyRequest;
use domain::settings::Settings;
use http_actix::network::HttpSettings;
use http_actix::routes::billing_runs::run_answer;

#[path = "common/billing_seed.rs"]
mod billing_seed;

type Failure = Box<dyn Error>;

const TOKEN: &str = "bench-exports-admin-token-0123456789";

fn main() -> Result<(), Failure> {
    let contracts: i64 = std::env::var("BENCH_CONTRACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let folder = std::env::temp_dir().join(format!("mtf-bench-exports-{}", std::process::id()));
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
    let result = bench(&url, contracts);
    if let Some(cluster) = cluster.as_mut() {
        cluster.stop();
        std::fs::remove_dir_all(&folder).ok();
    }
    result
}

fn bench(url: &str, contracts: i64) -> Result<(), Failure> {
    let mut conn = PgConnection::establish(url)?;
    migrations::run_pending(&mut conn)?;
    billing_seed::seed_accounts(&mut conn, contracts, 1)?;
    let store = PgStore::connect(url, 4)?;
    let services = app::wiring::services(
        store,
        Arc::new(SystemClock),
        b"bench-secret-bench-secret-bench-secret",
        Settings::default(),
        Arc::new(app::otp::LogOtpSender),
    )?;
    services.access.ensure_bootstrap_admin(Some(TOKEN))?;
    let started = Instant::now();
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
    services
        .billing
        .run("act_bench", &request, &key, |report| {
            run_answer(StatusCode::CREATED, report)
        })?;
    println!(
        "seeded and billed {contracts} contracts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let services = web::Data::new(services);
    actix_web::rt::System::new().block_on(async move {
        for format in ["csv", "json"] {
            export(&services, format).await?;
        }
        Ok(())
    })
}

async fn export(
    services: &web::Data<domain::services::Services>,
    format: &str,
) -> Result<(), Failure> {
    let app = test::init_service(http_actix::app(
        services.clone(),
        web::Data::new(HttpSettings::default()),
    ))
    .await;
    // Resets the peak (VmHWM) to the current resident size, so the peak read afterwards is
    // this export's.
    std::fs::write("/proc/self/clear_refs", "5")?;
    let before = memory("VmRSS:")?;
    let started = Instant::now();
    let request = test::TestRequest::get()
        .uri(&format!(
            "/api/v1/exports/sales-journal?from=2026-03-01&to=2026-03-01&format={format}"
        ))
        .insert_header(("authorization", format!("Bearer {TOKEN}")))
        .to_request();
    let response = test::call_service(&app, request).await;
    if response.status() != StatusCode::OK {
        return Err(format!("export answered {}", response.status()).into());
    }
    let mut body = pin!(response.into_body());
    let (mut bytes, mut chunks, mut lines) = (0usize, 0usize, 0usize);
    while let Some(chunk) = poll_fn(|cx| body.as_mut().poll_next(cx)).await {
        let chunk = chunk.map_err(|e| -> Failure { e.into() })?;
        bytes += chunk.len();
        chunks += 1;
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let peak = memory("VmHWM:")?;
    println!("sales journal, format={format}");
    println!(
        "  body                    {:.1} MiB in {chunks} chunks ({lines} lines)",
        bytes as f64 / 1_048_576.0
    );
    println!("  wall time               {elapsed:.2} s");
    println!(
        "  resident before         {:.1} MiB",
        before as f64 / 1024.0
    );
    println!(
        "  peak during the export  {:.1} MiB (+{:.1} MiB)",
        peak as f64 / 1024.0,
        (peak.saturating_sub(before)) as f64 / 1024.0
    );
    Ok(())
}

/// A memory figure of this process, KiB (`VmRSS`, `VmHWM` of /proc/self/status).
fn memory(field: &str) -> Result<u64, Failure> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("{field} not found in /proc/self/status").into())
}
