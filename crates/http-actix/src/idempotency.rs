//! HTTP side of idempotent writes: the `Idempotency-Key` header, the request fingerprint and
//! the replayed response. The mechanism itself is `domain::idempotency::execute`.

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use domain::idempotency::{self, IdempotencyRequest, Outcome, StoredResponse};
use domain::services::Services;
use domain::tx::UnitOfWork;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::blocking::blocking;
use crate::problem::ApiError;

/// Request header carrying the key.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// Response header set on replays.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The key sent by the client: required, 1 to 255 visible ASCII characters.
pub fn required_key(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(IDEMPOTENCY_KEY_HEADER)
        .ok_or_else(|| ApiError::BadRequest {
            code: "idempotency_key_required",
            detail: "this write requires an Idempotency-Key header".into(),
            errors: Vec::new(),
        })?;
    let key = value.to_str().unwrap_or("").trim();
    if idempotency::is_valid_key(key) {
        Ok(key.to_owned())
    } else {
        Err(ApiError::BadRequest {
            code: "invalid_idempotency_key",
            detail: "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
            errors: Vec::new(),
        })
    }
}

/// Digest of method, path and canonical JSON body (object keys sorted), so the same request
/// with other whitespace or key order is still the same request.
pub fn fingerprint(req: &HttpRequest, document: &serde_json::Value) -> String {
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b"\n");
    hasher.update(req.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(serde_json::to_vec(document).unwrap_or_default());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Encodes a JSON response to be stored and replayed.
pub fn json_response<T: Serialize>(status: StatusCode, body: &T) -> domain::Result<StoredResponse> {
    let body = serde_json::to_vec(body)
        .map_err(|e| domain::Error::Storage(format!("response encoding: {e}")))?;
    Ok(StoredResponse {
        status: status.as_u16(),
        body,
    })
}

/// Runs `work` idempotently for `scope` (the actor id, or `cin:<CIN>` on the landing) and
/// answers with the stored response, marked `Idempotent-Replayed: true` on replays.
pub async fn run<T, W, E>(
    services: &Services,
    req: &HttpRequest,
    scope: String,
    document: &serde_json::Value,
    work: W,
    encode: E,
) -> Result<HttpResponse, ApiError>
where
    T: 'static,
    W: FnMut(&mut dyn UnitOfWork) -> domain::Result<T> + Send + 'static,
    E: Fn(&T) -> domain::Result<StoredResponse> + Send + 'static,
{
    let request = IdempotencyRequest {
        scope,
        key: required_key(req)?,
        fingerprint: fingerprint(req, document),
    };
    let tx = services.ports.tx.clone();
    let now = services.ports.clock.now();
    let outcome =
        blocking(move || idempotency::execute(tx.as_ref(), &request, now, work, encode)).await?;
    let (stored, replayed) = match outcome {
        Outcome::Fresh(stored) => (stored, false),
        Outcome::Replayed(stored) => (stored, true),
    };
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "application/json"));
    if replayed {
        response.insert_header((
            HeaderName::from_static(REPLAYED_HEADER),
            HeaderValue::from_static("true"),
        ));
    }
    Ok(response.body(stored.body))
}

/// The HTTP answer of an idempotent write's outcome: the stored status and JSON body, with
/// `Idempotent-Replayed: true` on replays (for writes that run their own idempotency, like
/// billing runs, instead of [`run`]).
pub fn respond(outcome: Outcome) -> HttpResponse {
    let (stored, replayed) = match outcome {
        Outcome::Fresh(stored) => (stored, false),
        Outcome::Replayed(stored) => (stored, true),
    };
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "application/json"));
    if replayed {
        response.insert_header((
            HeaderName::from_static(REPLAYED_HEADER),
            HeaderValue::from_static("true"),
        ));
    }
    response.body(stored.body)
}
