//! Usage ingestion benchmark (issue #21): sends `BENCH_RECORDS` (100,000) usage records in
//! one NDJSON body to `POST /api/v1/usage/records` through the whole application (the body
//! read, every line parsed and validated, the use case: binary COPY into staging,
//! attribution, lateness, duplicates, thresholds and their events, one transaction; the
//! answer serialised), then
//! times a raw binary `COPY` of the same rows into a bare table identical to `usage_records`
//! (same columns, primary key, checks and indexes; no foreign keys), and prints both, the
//! records per second and the ratio to that floor.
//!
//! `cargo run --release -p app --example bench_usage` (or `just bench-usage`). Without
//! `DATABASE_URL` it starts a private PostgreSQL cluster in a temporary folder and deletes it
//! afterwards; with `DATABASE_URL` it uses that database, which must be a throw-away one.
//! `BENCH_CONTRACTS` (10,000) lines and contracts are seeded, all on plans with allowances, so
//! the thresholds are rated for every contract the batch touches.

use std::error::Error;
use std::sync::Arc;
use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{test, web};

use adapters_postgres::embedded::{Durability, EmbeddedCluster};
use adapters_postgres::{migrations, PgStore};
use diesel::{Connection, ExecuteCopyFromDsl, PgConnection, RunQueryDsl};
use domain::clock::SystemClock;
use domain::settings::Settings;
use domain::usage::{UsageKind, UsageRecord};
use http_actix::network::HttpSettings;
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Date, Duration as TimeDuration};

type Failure = Box<dyn Error>;

#[path = "common/sql.rs"]
mod sql;
use sql::{checkpoint, count};
#[path = "common/billing_seed.rs"]
mod billing_seed;
use billing_seed::seed_accounts;

/// Target of issue #21 on the 2-core machine.
const TARGET_PER_SECOND: f64 = 100_000.0;

/// The bootstrap admin's token (admins may send usage records).
const TOKEN: &str = "bench-usage-admin-token-0123456789";

diesel::table! {
    usage_floor (record_id) {
        record_id -> Text,
        contract_id -> Text,
        service_identifier -> Text,
        kind -> Text,
        started_at -> Timestamptz,
        usage_date -> diesel::sql_types::Date,
        quantity -> Int8,
        destination -> Nullable<Text>,
        received_at -> Timestamptz,
        late -> Bool,
    }
}

#[derive(diesel::Insertable)]
#[diesel(table_name = usage_floor, treat_none_as_default_value = false)]
struct FloorRow<'a> {
    record_id: &'a str,
    contract_id: String,
    service_identifier: &'a str,
    kind: &'a str,
    started_at: time::OffsetDateTime,
    usage_date: Date,
    quantity: i64,
    destination: Option<&'a str>,
    received_at: time::OffsetDateTime,
    late: bool,
}

fn env_count(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

fn main() -> Result<(), Failure> {
    let contracts = env_count("BENCH_CONTRACTS", 10_000);
    let records = env_count("BENCH_RECORDS", 100_000);
    let folder = std::env::temp_dir().join(format!("mtf-bench-usage-{}", std::process::id()));
    let (url, mut cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => (url, None),
        _ => {
            println!(
                "starting a private PostgreSQL cluster in {}",
                folder.display()
            );
            let cluster = EmbeddedCluster::start_with(&folder, Durability::Durable)?;
            cluster.ensure_database("mtf_bench_usage")?;
            (cluster.database_url("mtf_bench_usage"), Some(cluster))
        }
    };
    let result = run(&url, contracts, records);
    if let Some(cluster) = cluster.as_mut() {
        cluster.stop();
    }
    if folder.exists() {
        std::fs::remove_dir_all(&folder).ok();
    }
    result
}

fn run(url: &str, contracts: i64, records: i64) -> Result<(), Failure> {
    let mut conn = PgConnection::establish(url)?;
    migrations::run_pending(&mut conn)?;
    println!("seeding {contracts} lines and contracts with allowances");
    seed_accounts(&mut conn, contracts, 1)?;
    diesel::sql_query(
        "UPDATE contract_offer_periods SET usage_terms = true, allowance_voice_seconds = 36000, \
         allowance_sms = 200, allowance_data_bytes = 21474836480, rate_voice_per_minute = 150, \
         rate_sms_each = 50, rate_data_per_mb = 10",
    )
    .execute(&mut conn)?;
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    let batch = batch(contracts, records);
    let store = PgStore::connect(url, 4)?;
    let services = app::wiring::services(
        store,
        Arc::new(SystemClock),
        b"bench-secret-bench-secret-bench-secret",
        Settings::default(),
        Arc::new(app::otp::LogOtpSender),
    )?;
    services.access.ensure_bootstrap_admin(Some(TOKEN))?;
    let body = ndjson(&batch)?;
    checkpoint(&mut conn);
    let timed = actix_web::rt::System::new().block_on(post(services, body))?;
    let (answer, ingest_time, ingest_cpu) = (timed.answer, timed.wall, timed.cpu_seconds);
    let accepted = answer["accepted"].as_u64().unwrap_or(0);
    let rejected = answer["rejected"].as_array().map_or(0, Vec::len);
    if accepted != batch.len() as u64 || rejected != 0 {
        return Err(format!(
            "ingestion stored {accepted} of {} records ({rejected} rejected)",
            batch.len()
        )
        .into());
    }
    let events = count(
        &mut conn,
        "SELECT count(*) AS n FROM events WHERE type = 'usage.allowance_threshold_reached'",
    )?;

    diesel::sql_query(
        "CREATE TABLE usage_floor (LIKE usage_records INCLUDING DEFAULTS INCLUDING CONSTRAINTS \
         INCLUDING INDEXES)",
    )
    .execute(&mut conn)?;
    checkpoint(&mut conn);
    let received_at = time::OffsetDateTime::now_utc();
    let rows: Vec<FloorRow<'_>> = batch
        .iter()
        .map(|r| FloorRow {
            record_id: &r.record_id,
            contract_id: contract_of(&r.service_identifier),
            service_identifier: &r.service_identifier,
            kind: r.kind.as_str(),
            started_at: r.started_at,
            usage_date: r.started_at.date(),
            quantity: r.quantity,
            destination: r.destination.as_deref(),
            received_at,
            late: false,
        })
        .collect();
    let started = Instant::now();
    conn.transaction(|conn| {
        diesel::copy_from(usage_floor::table)
            .from_insertable(rows)
            .execute(conn)
    })?;
    let floor_time = started.elapsed();
    diesel::sql_query("DROP TABLE usage_floor").execute(&mut conn)?;

    let n = batch.len() as f64;
    let per_second = n / ingest_time.as_secs_f64();
    let floor_per_second = n / floor_time.as_secs_f64();
    println!("records:               {}", batch.len());
    println!(
        "ingestion (POST):      {:.3} s, {:.0} records/s, {events} threshold events",
        ingest_time.as_secs_f64(),
        per_second
    );
    println!(
        "  CPU of this process: {ingest_cpu:.3} s (reading, parsing, the use case's side; \
         the rest is PostgreSQL and waiting)"
    );
    println!(
        "floor (raw COPY):      {:.3} s, {:.0} records/s",
        floor_time.as_secs_f64(),
        floor_per_second
    );
    println!(
        "ratio to the floor:    {:.2} x (ingestion time / floor time)",
        ingest_time.as_secs_f64() / floor_time.as_secs_f64()
    );
    println!(
        "target >= {TARGET_PER_SECOND:.0} records/s: {}",
        if per_second >= TARGET_PER_SECOND {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

/// The answer to the request and what it took: wall time and this process's CPU time.
struct Timed {
    answer: serde_json::Value,
    wall: std::time::Duration,
    cpu_seconds: f64,
}

/// The request: `POST /api/v1/usage/records` with the NDJSON body, as the mediation system
/// sends it, timed from its sending to its answer read (the application is built before, as
/// a running server's is).
async fn post(services: domain::services::Services, body: String) -> Result<Timed, Failure> {
    let app = test::init_service(http_actix::app(
        web::Data::new(services),
        web::Data::new(HttpSettings::default()),
    ))
    .await;
    let request = test::TestRequest::post()
        .uri("/api/v1/usage/records")
        .insert_header(("authorization", format!("Bearer {TOKEN}")))
        .insert_header(("content-type", "application/x-ndjson"))
        .set_payload(body)
        .to_request();
    let cpu_before = process_cpu_seconds();
    let started = Instant::now();
    let response = test::call_service(&app, request).await;
    let status = response.status();
    let bytes = test::read_body(response).await;
    let wall = started.elapsed();
    let cpu_seconds = process_cpu_seconds() - cpu_before;
    if status != StatusCode::OK {
        return Err(format!("POST /usage/records answered {status}").into());
    }
    Ok(Timed {
        answer: serde_json::from_slice(&bytes)?,
        wall,
        cpu_seconds,
    })
}

/// The batch as the network writes it: one JSON record per line.
fn ndjson(batch: &[UsageRecord]) -> Result<String, Failure> {
    let mut body = String::with_capacity(batch.len() * 180);
    for record in batch {
        let line = serde_json::json!({
            "record_id": record.record_id,
            "service_identifier": record.service_identifier,
            "kind": record.kind.as_str(),
            "started_at": record.started_at.format(&Rfc3339)?,
            "quantity": record.quantity,
            "destination": record.destination,
        });
        body.push_str(&line.to_string());
        body.push('\n');
    }
    Ok(body)
}

/// CPU time (user + system) this process has used so far, from `/proc/self/stat`.
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces), 1-based as in proc(5): utime
    // is field 14 and stime 15, so indexes 11 and 12 after the ")".
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // The kernel's USER_HZ is 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// `records` records spread over the lines and the days of April 2026 (10:00 to 18:00 UTC,
/// the same day in Morocco), voice, SMS and data in turn.
fn batch(contracts: i64, records: i64) -> Vec<UsageRecord> {
    let april = datetime!(2026-04-01 10:00 UTC);
    (0..records)
        .map(|i| {
            let line = i % contracts + 1;
            let kind = UsageKind::ALL[(i % 3) as usize];
            UsageRecord {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                record_id: format!("CDR-BENCH-{i:09}"),
                service_identifier: format!("+2126{line:08}"),
                kind,
                started_at: april + TimeDuration::days(i % 30) + TimeDuration::seconds(i % 28_800),
                quantity: match kind {
                    UsageKind::Voice => 30 + i % 600,
                    UsageKind::Sms => 1,
                    UsageKind::Data => 1_048_576 + i % 5_000_000,
                },
                destination: (kind != UsageKind::Data).then(|| "+212522000000".to_owned()),
            }
        })
        .collect()
}

/// The seeded contract of a seeded line (`+2126` and its 8-digit number).
fn contract_of(line: &str) -> String {
    let number: i64 = line[5..].parse().unwrap_or(0);
    format!("ctr_B{number:09}")
}
