//! Per-request context: the `X-Request-Id` (echoed or generated), and one log line per
//! request with method, path, status, latency and actor.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;

/// Header carrying the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled, if called inside one.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The authenticated actor of a request, recorded by the auth extractor for the log line.
#[derive(Debug, Clone)]
pub struct ActorTag(pub String);

fn accepted_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| text.to_owned())
}

/// Middleware: assigns the request id, runs the request inside its scope, logs the outcome.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(accepted_id)
        .unwrap_or_else(|| ulid::Ulid::new().to_string());
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let mut response = REQUEST_ID.scope(request_id.clone(), next.call(req)).await?;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    let actor = response
        .request()
        .extensions()
        .get::<ActorTag>()
        .map(|tag| tag.0.clone())
        .unwrap_or_else(|| "-".into());
    tracing::info!(
        request_id = %request_id,
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        actor = %actor,
        "request"
    );
    Ok(response)
}
