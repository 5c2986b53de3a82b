//! Open-loop load for `POST /api/v1/collections/payments`, used by `just bench-http` where
//! `oha` cannot serve: every payment needs its own `Idempotency-Key`, and `oha` sends the same
//! headers on every request. Same method as `oha -q RATE --latency-correction`: requests
//! leave on a fixed schedule (request `i` at `i / RATE` seconds) whatever the answers, and
//! each latency counts from the scheduled instant, so a stalled server cannot hide its queue
//! by slowing the sender (no coordinated omission; decision 0341).
//!
//! Environment: `TARGET` (e.g. `http://127.0.0.1:8080`), `RATE` (requests/s), `DURATION`
//! (seconds), `BENCH_TOKEN`, `BENCH_IDS` (a file of client ids, one a line), `BENCH_TAG`
//! (unique per run, part of every key), `BENCH_PATH` (default `/api/v1/collections/payments`).
//! Prints one line `OPEN {json}`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use awc::Client;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    ok: u64,
    failed: u64,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

#[actix_web::main]
async fn main() {
    let target = env("TARGET").expect("TARGET");
    let rate: f64 = env("RATE")
        .expect("RATE")
        .parse()
        .expect("RATE is a number");
    let seconds: f64 = env("DURATION")
        .unwrap_or_else(|| "20".into())
        .parse()
        .expect("DURATION is a number of seconds");
    let token = env("BENCH_TOKEN").expect("BENCH_TOKEN");
    let tag = env("BENCH_TAG").unwrap_or_else(|| ulid::Ulid::new().to_string());
    let path = env("BENCH_PATH").unwrap_or_else(|| "/api/v1/collections/payments".into());
    let ids: Vec<String> = std::fs::read_to_string(env("BENCH_IDS").expect("BENCH_IDS"))
        .expect("ids file")
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    assert!(!ids.is_empty(), "no ids in BENCH_IDS");
    let client = Client::builder()
        .connector(awc::Connector::new().limit(512))
        .timeout(Duration::from_secs(30))
        .finish();
    let url = format!("{target}{path}");
    let tally = Rc::new(RefCell::new(Tally::default()));
    let total = (rate * seconds).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let scheduled = started + interval.mul_f64(i as f64);
        actix_web::rt::time::sleep_until(scheduled.into()).await;
        let client_id = &ids[(i as usize * 7919) % ids.len()];
        let body = format!(
            r#"{{"client_id":"{client_id}","amount":100,"method":"cash","reference":"BENCH"}}"#
        );
        let request = client
            .post(&url)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("Content-Type", "application/json"))
            .insert_header(("Idempotency-Key", format!("{tag}-open-{i}")));
        let tally = tally.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let outcome = request.send_body(body).await;
            let ok = match outcome {
                Ok(mut response) => {
                    let _ = response.body().await;
                    response.status().is_success()
                }
                Err(_) => false,
            };
            let mut tally = tally.borrow_mut();
            tally
                .latencies_us
                .push(scheduled.elapsed().as_micros() as u64);
            if ok {
                tally.ok += 1;
            } else {
                tally.failed += 1;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut tally = tally.borrow_mut();
    tally.latencies_us.sort_unstable();
    let sorted = &tally.latencies_us;
    println!(
        "OPEN {{\"target_rps\":{rate:.1},\"requests\":{},\"ok\":{},\"failed\":{},\
         \"achieved_rps\":{:.1},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"max_ms\":{:.3}}}",
        sorted.len(),
        tally.ok,
        tally.failed,
        tally.ok as f64 / elapsed,
        percentile(sorted, 50.0),
        percentile(sorted, 99.0),
        sorted.last().copied().unwrap_or(0) as f64 / 1000.0,
    );
}
