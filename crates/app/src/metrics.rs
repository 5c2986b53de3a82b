//! Prometheus metrics (decision 0160): the process-wide recorder behind the `metrics` facade,
//! and the separate listener that serves `GET /metrics` in the text exposition format when
//! `MTF_METRICS_BIND` is set.
//!
//! Other parts of the server record through the facade's macros, labelled with bounded
//! values only, for example the purge job:
//! `metrics::counter!("mtf_purged_rows_total", "kind" => "landing_drafts").increment(n)`.
//! Without an installed recorder those calls cost nothing.

use std::io;
use std::net::SocketAddr;
use std::sync::OnceLock;

use actix_web::dev::Server;
use actix_web::{web, App, HttpResponse, HttpServer};
use adapters_postgres::store::{POOL_IDLE, POOL_IN_USE, POOL_MAX, POOL_TIMEOUTS, POOL_WAIT};
use adapters_postgres::PgStore;
use domain::telemetry::{
    BILLING_RUN_DURATION, DUNNING_LAST_SUCCESS, DUNNING_RUN_DURATION, DUNNING_STEPS,
    INVOICES_ISSUED,
};
use http_actix::metrics::{
    ADMISSION_WAITING, HTTP_REQUESTS, HTTP_REQUEST_DURATION, LANDING_RATE_LIMITED,
};
use metrics::Unit;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Gauge set to 1, labelled with the server's `version`.
pub const BUILD_INFO: &str = "mtf_build_info";
/// Counter: rows removed by the retention purge, by `kind`.
pub const PURGED_ROWS: &str = "mtf_purged_rows_total";

/// Histogram buckets (seconds): from a cached read (a few ms) to a long billing run.
const BUCKETS: [f64; 16] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
    600.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once and returns its handle (the same on every call).
/// Falls back to a recorder of its own, not installed, if another one already is.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
            }
            describe();
            handle
        })
        .clone()
}

/// Help texts, and the series that exist before their first event (so that dashboards and
/// alerts see a zero rather than nothing).
fn describe() {
    metrics::describe_counter!(
        HTTP_REQUESTS,
        "HTTP answers by method, route template and status"
    );
    metrics::describe_histogram!(
        HTTP_REQUEST_DURATION,
        Unit::Seconds,
        "Time to answer, by method, route template and status"
    );
    metrics::describe_counter!(
        LANDING_RATE_LIMITED,
        "Landing calls refused by a rate limit (429), by route template"
    );
    metrics::describe_gauge!(
        ADMISSION_WAITING,
        "Requests waiting at the admission gate for their turn to use the database"
    );
    metrics::describe_gauge!(POOL_IN_USE, "Pooled database connections in use");
    metrics::describe_gauge!(POOL_IDLE, "Pooled database connections idle");
    metrics::describe_gauge!(POOL_MAX, "Largest number of pooled database connections");
    metrics::describe_histogram!(POOL_WAIT, Unit::Seconds, "Wait for a pooled connection");
    metrics::describe_counter!(POOL_TIMEOUTS, "Checkouts that gave up waiting (503)");
    metrics::describe_histogram!(
        BILLING_RUN_DURATION,
        Unit::Seconds,
        "Billing of a run, by outcome"
    );
    metrics::describe_counter!(INVOICES_ISSUED, "Invoices written by billing runs");
    metrics::describe_histogram!(
        DUNNING_RUN_DURATION,
        Unit::Seconds,
        "Dunning runs, by outcome"
    );
    metrics::describe_counter!(DUNNING_STEPS, "Steps taken by dunning runs, by step");
    metrics::describe_gauge!(
        DUNNING_LAST_SUCCESS,
        Unit::Seconds,
        "Unix time of the end of the last successful dunning run"
    );
    metrics::describe_counter!(PURGED_ROWS, "Rows removed by the retention purge, by kind");
    metrics::describe_gauge!(BUILD_INFO, "Always 1, labelled with the server version");
    metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    metrics::gauge!(ADMISSION_WAITING).set(0.0);
    metrics::counter!(INVOICES_ISSUED).absolute(0);
    metrics::counter!(POOL_TIMEOUTS).absolute(0);
}

/// The text exposition of every metric, with the pool gauges sampled now.
pub fn render(handle: &PrometheusHandle, store: &PgStore) -> String {
    store.record_pool_state();
    handle.run_upkeep();
    handle.render()
}

/// The metrics listener on `bind`: `GET /metrics` only, one worker. Returns the server (run
/// it, e.g. `tokio::spawn`) and the addresses it is bound to.
pub fn serve(
    bind: &str,
    handle: PrometheusHandle,
    store: PgStore,
) -> io::Result<(Server, Vec<SocketAddr>)> {
    let state = web::Data::new((handle, store));
    let server = HttpServer::new(move || {
        App::new().app_data(state.clone()).route(
            "/metrics",
            web::get().to(|state: web::Data<(PrometheusHandle, PgStore)>| async move {
                HttpResponse::Ok()
                    .content_type("text/plain; version=0.0.4; charset=utf-8")
                    .body(render(&state.0, &state.1))
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .bind(bind)?;
    let addrs = server.addrs();
    Ok((server.run(), addrs))
}
