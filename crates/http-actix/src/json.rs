//! `ApiJson<T>`: the JSON body extractor. Unlike actix's `Json`, its errors are problem+json
//! and name the offending field (`client.cin`), and it keeps the parsed document so
//! idempotent writes can fingerprint the request.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::rt::time::timeout;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use domain::error::FieldError;
use serde::de::DeserializeOwned;

use crate::network::{HttpSettings, DEFAULT_BODY_READ_TIMEOUT};
use crate::problem::ApiError;
use crate::strict_json::{self, StrictJsonError};

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body of type `T`.
#[derive(Debug)]
pub struct ApiJson<T> {
    /// The typed body.
    pub body: T,
    /// The body as a JSON document (object keys sorted on output), for fingerprints.
    pub document: serde_json::Value,
}

/// Parses a JSON document into `T`, naming the field at fault on error.
pub fn from_document<T: DeserializeOwned>(document: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(document).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        let field = missing_or_unknown_field(&message)
            .map(|name| {
                if path == "." || path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                }
            })
            .unwrap_or_else(|| if path == "." { "body".into() } else { path });
        ApiError::BadRequest {
            code: "invalid_body",
            detail: format!("{field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    })
}

/// JSON does not tell `12` from `12.0`, and JSON Schema's `integer` (hence the OpenAPI
/// document) accepts both; serde's integer fields take only the first spelling. Whole numbers
/// within the `i64` range are therefore rewritten as integers before typing (fractions still
/// fail on integer fields), which also gives both spellings one idempotency fingerprint.
pub fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    /// 2^63: the first float beyond `i64`.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    match value {
        serde_json::Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64()) {
                if float.fract() == 0.0 && (-LIMIT..LIMIT).contains(&float) {
                    // Exact: a whole float in range converts without loss.
                    #[allow(clippy::cast_possible_truncation)]
                    let whole = float as i64;
                    *number = whole.into();
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(fields) => {
            fields.values_mut().for_each(whole_numbers_as_integers)
        }
        _ => {}
    }
}

/// Path of the first string or key holding U+0000: PostgreSQL text and jsonb cannot store it,
/// so it is refused here as a client mistake instead of failing in the database.
pub fn nul_character_at(value: &serde_json::Value, path: &str) -> Option<String> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(text) if text.contains('\0') => Some(if path.is_empty() {
            "body".into()
        } else {
            path.to_owned()
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_character_at(item, &join(&i.to_string()))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                Some(join(&key.replace('\0', "\\0")))
            } else {
                nul_character_at(item, &join(key))
            }
        }),
        _ => None,
    }
}

/// serde reports a missing field at its parent's path; pull out the name. (Unknown fields
/// are already part of the path.)
fn missing_or_unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

/// Whether the request announces a body over `MAX_BODY_BYTES` (refused before reading it).
pub(crate) fn declared_too_large(req: &HttpRequest) -> bool {
    declared_over(req, MAX_BODY_BYTES)
}

/// Whether the request announces a body over `limit` bytes.
pub(crate) fn declared_over(req: &HttpRequest, limit: usize) -> bool {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|len| len > limit)
}

/// How long a body may take to arrive (`HttpSettings::body_read_timeout`).
pub(crate) fn body_read_timeout(req: &HttpRequest) -> std::time::Duration {
    req.app_data::<web::Data<HttpSettings>>()
        .map_or(DEFAULT_BODY_READ_TIMEOUT, |s| s.body_read_timeout)
}

/// The request's media type without its parameters, lower-cased (`text/csv`), if any.
pub(crate) fn media_type(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

fn is_json(req: &HttpRequest) -> bool {
    media_type(req).is_some_and(|mime| {
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let too_large = declared_too_large(req);
        let read_timeout = body_read_timeout(req);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if too_large {
                return Err(ApiError::PayloadTooLarge);
            }
            if !json {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                });
            }
            // A client that trickles its body would otherwise hold a worker's connection.
            let bytes = timeout(read_timeout, bytes)
                .await
                .map_err(|_| ApiError::RequestTimeout)?;
            let bytes = bytes.map_err(|error| {
                if error.as_response_error().status_code().as_u16() == 413 {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest {
                        code: "invalid_body",
                        detail: "the request body could not be read".into(),
                        errors: Vec::new(),
                    }
                }
            })?;
            let mut document = strict_json::parse(&bytes).map_err(|error| match error {
                StrictJsonError::Malformed(error) => ApiError::BadRequest {
                    code: "malformed_json",
                    detail: format!("the body is not valid JSON: {error}"),
                    errors: Vec::new(),
                },
                StrictJsonError::DuplicateKey(field) => {
                    ApiError::bad_field("duplicate_key", &field, "appears more than once")
                }
            })?;
            whole_numbers_as_integers(&mut document);
            if let Some(field) = nul_character_at(&document, "") {
                return Err(ApiError::bad_field(
                    "invalid_body",
                    &field,
                    "must not contain the NUL character",
                ));
            }
            let body = from_document(document.clone())?;
            Ok(ApiJson { body, document })
        })
    }
}

/// A JSON body that may be left out entirely: a request with no body and no `Content-Type`
/// reads as `{}` (the process map calls `approve-paid` that way). A body that is sent is
/// read exactly as [`ApiJson`] reads it.
#[derive(Debug)]
pub struct OptionalApiJson<T>(pub ApiJson<T>);

fn has_no_body(req: &HttpRequest) -> bool {
    let headers = req.headers();
    !headers.contains_key(header::CONTENT_TYPE)
        && !headers.contains_key(header::TRANSFER_ENCODING)
        && headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|len| len.trim() == "0")
}

/// The empty body `{}` as `T`.
fn empty_body<T: DeserializeOwned>() -> Result<ApiJson<T>, ApiError> {
    let document = serde_json::Value::Object(serde_json::Map::new());
    Ok(ApiJson {
        body: from_document(document.clone())?,
        document,
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if has_no_body(req) {
            let empty = empty_body();
            return Box::pin(async move { empty.map(OptionalApiJson) });
        }
        // A JSON `null` body also means "no body" (the document marks the body optional).
        let full = ApiJson::<Option<T>>::from_request(req, payload);
        Box::pin(async move {
            let ApiJson { body, document } = full.await?;
            match body {
                Some(body) => Ok(OptionalApiJson(ApiJson { body, document })),
                None => empty_body().map(OptionalApiJson),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        cin: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        client: Inner,
        amount: i64,
    }

    fn field_of(value: serde_json::Value) -> String {
        match from_document::<Outer>(value) {
            Err(ApiError::BadRequest { errors, .. }) => errors[0].field.clone(),
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn whole_floats_become_integers_and_fractions_stay() {
        let mut value = serde_json::json!({"a": 12.0, "b": [-3.0, 1.5], "c": {"d": 1e300}});
        whole_numbers_as_integers(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"a": 12, "b": [-3, 1.5], "c": {"d": 1e300}})
        );
        let mut outer = serde_json::json!({"client": {"cin": "A1"}, "amount": 9900.0});
        whole_numbers_as_integers(&mut outer);
        assert!(from_document::<Outer>(outer).is_ok());
    }

    #[test]
    fn nul_characters_are_found_with_their_path() {
        let value = serde_json::json!({"client": {"cin": "A\u{0}1"}, "amount": 1});
        assert_eq!(nul_character_at(&value, "").as_deref(), Some("client.cin"));
        let value = serde_json::json!({"lines": ["ok", "b\u{0}"]});
        assert_eq!(nul_character_at(&value, "").as_deref(), Some("lines.1"));
        assert_eq!(nul_character_at(&serde_json::json!({"a": "b"}), ""), None);
    }

    #[test]
    fn names_missing_nested_fields_with_their_path() {
        let value = serde_json::json!({"client": {}, "amount": 1});
        assert_eq!(field_of(value), "client.cin");
    }

    #[test]
    fn names_unknown_and_mistyped_fields() {
        assert_eq!(
            field_of(serde_json::json!({"client": {"cin": "A1"}, "amount": 1, "x": 1})),
            "x"
        );
        assert_eq!(
            field_of(serde_json::json!({"client": {"cin": "A1"}, "amount": "1"})),
            "amount"
        );
    }
}
