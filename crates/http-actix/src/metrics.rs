//! Request metrics (decision 0160): a count and a latency histogram of every answer by
//! method, route template and status, and the landing's rate-limit refusals. Labelled with
//! the route template, like the request log, never the raw path (which holds CINs, draft ids
//! and tokens), so the number of series stays bounded.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;

use crate::request_context::logged_route;

/// Counter: answers, by `method`, `route` and `status`.
pub const HTTP_REQUESTS: &str = "mtf_http_requests_total";
/// Histogram (seconds): time to answer, by `method`, `route` and `status`.
pub const HTTP_REQUEST_DURATION: &str = "mtf_http_request_duration_seconds";
/// Counter: landing calls refused by a per-address or per-CIN limit (429), by `route`.
pub const LANDING_RATE_LIMITED: &str = "mtf_landing_rate_limited_total";
/// Gauge: requests waiting at the admission gate for their turn to use the database.
pub const ADMISSION_WAITING: &str = "mtf_admission_waiting_requests";

/// Prefix of the landing's public routes.
const LANDING_PREFIX: &str = "/api/v1/landing";

/// Middleware: records the answer's count and latency.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = logged_route(req.request());
    let outcome = next.call(req).await;
    let status = match &outcome {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    observe(&method, &route, status, started.elapsed().as_secs_f64());
    outcome
}

/// Records one answer.
fn observe(method: &str, route: &str, status: StatusCode, seconds: f64) {
    let labels = [
        ("method", method.to_owned()),
        ("route", route.to_owned()),
        ("status", status.as_str().to_owned()),
    ];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_REQUEST_DURATION, &labels).record(seconds);
    if status == StatusCode::TOO_MANY_REQUESTS && route.starts_with(LANDING_PREFIX) {
        metrics::counter!(LANDING_RATE_LIMITED, "route" => route.to_owned()).increment(1);
    }
}
