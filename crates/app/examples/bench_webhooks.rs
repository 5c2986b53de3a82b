//! `just bench-webhooks`: webhook delivery throughput to a local receiver, and the outbox lag
//! (event commit to delivery) at a steady event rate. A private PostgreSQL cluster (or
//! `DATABASE_URL`, a throw-away database), the real worker (dispatcher + awc sender) and an
//! actix receiver on loopback, all in this process.
//!
//! Knobs: BENCH_EVENTS (10000: the throughput burst), BENCH_WEBHOOK_BATCH (128: deliveries
//! claimed per round), BENCH_LAG_RATE (200 events/s) and BENCH_LAG_SECS (5).

use std::collections::HashMap;
use std::error::Error;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use adapters_postgres::embedded::{Durability, EmbeddedCluster};
use adapters_postgres::{migrations, PgStore};
use app::webhooks::{SenderSettings, WorkerSettings};
use diesel::{Connection, PgConnection, RunQueryDsl};
use domain::clock::SystemClock;
use domain::webhooks::{EndpointInput, RetrySchedule, WebhookSettings};
use time::OffsetDateTime;

type Failure = Box<dyn Error>;

/// What the receiver saw: when each `webhook-id` first arrived, and the event's
/// `occurred_at` (the commit instant of the lag phase's events).
#[derive(Default)]
struct Seen {
    first: HashMap<String, (Instant, OffsetDateTime, OffsetDateTime)>,
    requests: usize,
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[actix_web::main]
async fn main() -> Result<(), Failure> {
    let folder = std::env::temp_dir().join(format!("mtf-bench-webhooks-{}", std::process::id()));
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
    let result = bench(&url).await;
    if let Some(cluster) = cluster.as_mut() {
        cluster.stop();
        std::fs::remove_dir_all(&folder).ok();
    }
    result
}

async fn bench(url: &str) -> Result<(), Failure> {
    let events = env("BENCH_EVENTS", 10_000);
    let batch = usize::try_from(env("BENCH_WEBHOOK_BATCH", 128))?;
    let lag_rate = env("BENCH_LAG_RATE", 200);
    let lag_secs = env("BENCH_LAG_SECS", 5);
    let mut conn = PgConnection::establish(url)?;
    migrations::run_pending(&mut conn)?;

    let seen = Arc::new(Mutex::new(Seen::default()));
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let shared = web::Data::from(seen.clone());
    let receiver = HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .default_service(web::to(receive))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run();
    let receiver_handle = receiver.handle();
    actix_web::rt::spawn(receiver);

    let store = PgStore::connect(url, 16)?;
    let webhooks = app::wiring::webhooks(
        store,
        Arc::new(SystemClock),
        &[7; 32],
        WebhookSettings {
            allow_private: true,
            retry_schedule: RetrySchedule::parse("1s,5s")?,
            ..WebhookSettings::default()
        },
    );
    let setup = webhooks.clone();
    let input = EndpointInput {
        url: format!("http://127.0.0.1:{port}/hooks"),
        event_types: vec!["*".into()],
        description: None,
    };
    actix_web::rt::task::spawn_blocking(move || setup.create_endpoint(&input)).await??;

    // Throughput: a backlog of events committed at once, then the worker started.
    diesel::sql_query(format!(
        "INSERT INTO events (id, type, occurred_at, data) \
         SELECT 'evt_' || lpad(g::text, 26, '0'), 'client.created', clock_timestamp(), \
                jsonb_build_object('id', 'cli_' || g, 'first_name', 'Bench', 'n', g) \
         FROM generate_series(1, {events}) g"
    ))
    .execute(&mut conn)?;
    let settings = WorkerSettings {
        batch,
        poll: Duration::from_millis(10),
        dispatch_batch: 1_000,
        sender: SenderSettings {
            timeout: Duration::from_secs(10),
            allow_private: true,
        },
    };
    let started = Instant::now();
    let worker = app::webhooks::worker::spawn(webhooks.clone(), settings);
    wait_for(&seen, usize::try_from(events)?, Duration::from_secs(600)).await?;
    let elapsed = started.elapsed();
    let requests = seen.lock().map_err(|_| "poisoned")?.requests;
    println!(
        "throughput: {events} events delivered in {:.2} s = {:.0} events/s \
         (batch {batch}, {requests} requests)",
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64()
    );

    // Lag: events committed one by one at a steady rate; commit -> first delivery.
    let total = lag_rate * lag_secs;
    let pause = Duration::from_secs_f64(1.0 / lag_rate as f64);
    let emit_start = Instant::now();
    for n in 0..total {
        diesel::sql_query(format!(
            "INSERT INTO events (id, type, occurred_at, data) VALUES \
             ('evt_L{n:025}', 'client.updated', clock_timestamp(), '{{\"n\": {n}}}')"
        ))
        .execute(&mut conn)?;
        let due = pause * u32::try_from(n + 1)?;
        if let Some(wait) = due.checked_sub(emit_start.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    wait_for(
        &seen,
        usize::try_from(events + total)?,
        Duration::from_secs(120),
    )
    .await?;
    let mut lags: Vec<f64> = seen
        .lock()
        .map_err(|_| "poisoned")?
        .first
        .iter()
        .filter(|(id, _)| id.starts_with("evt_L"))
        .map(|(_, (_, occurred, received))| (*received - *occurred).as_seconds_f64() * 1000.0)
        .collect();
    lags.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| lags[((lags.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "outbox lag at {lag_rate} events/s for {lag_secs} s ({} events): \
         p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        lags.len(),
        pct(0.5),
        pct(0.95),
        pct(0.99),
        pct(1.0)
    );
    for task in worker {
        task.abort();
    }
    receiver_handle.stop(false).await;
    Ok(())
}

async fn wait_for(seen: &Mutex<Seen>, n: usize, limit: Duration) -> Result<(), Failure> {
    let start = Instant::now();
    loop {
        let got = seen.lock().map_err(|_| "poisoned")?.first.len();
        if got >= n {
            return Ok(());
        }
        if start.elapsed() > limit {
            return Err(format!("only {got} of {n} events delivered after {limit:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn receive(
    request: HttpRequest,
    body: web::Bytes,
    seen: web::Data<Mutex<Seen>>,
) -> HttpResponse {
    let now = OffsetDateTime::now_utc();
    let id = request
        .headers()
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let occurred = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["occurred_at"].as_str().map(str::to_owned))
        .and_then(|t| {
            OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
        })
        .unwrap_or(now);
    if let Ok(mut seen) = seen.lock() {
        seen.requests += 1;
        seen.first
            .entry(id)
            .or_insert((Instant::now(), occurred, now));
    }
    HttpResponse::NoContent().finish()
}
