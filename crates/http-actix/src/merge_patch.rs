//! Updates of a whole resource (decision 0191): `PUT` takes the complete representation and
//! names each member left out; `PATCH` takes a JSON Merge Patch (RFC 7396) that is applied to
//! the current representation, whose result is then validated as a `PUT` body.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use domain::error::{Error, FieldError};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::json::{from_document, ApiJson};
use crate::problem::ApiError;

/// Media type of a JSON Merge Patch.
pub const MERGE_PATCH_JSON: &str = "application/merge-patch+json";

/// A `PATCH` body: a JSON object sent as `application/merge-patch+json`. A body that is not
/// one is kept as its error and answered only by [`MergePatch::check`], so the handler
/// answers 401, 403 and 404 first, as for every other write.
#[derive(Debug)]
pub struct MergePatch(Result<serde_json::Map<String, Value>, ApiError>);

impl MergePatch {
    /// The patch's members, or the error its body deserves (415 wrong media type, 400 not
    /// JSON or not an object, 413 too large).
    pub fn check(self) -> Result<CheckedPatch, ApiError> {
        self.0.map(CheckedPatch)
    }
}

/// A merge patch whose body was read and is a JSON object.
#[derive(Debug)]
pub struct CheckedPatch(serde_json::Map<String, Value>);

impl CheckedPatch {
    /// `current` (the resource as a `PUT` body) with this patch applied, typed as `T`. A
    /// result that is not a valid body (a required member removed, a member of the wrong
    /// type) is 422 `validation_failed` naming the member: the patch was well-formed JSON, its
    /// outcome is what is invalid.
    pub fn apply<T: DeserializeOwned>(self, mut current: Value) -> Result<T, ApiError> {
        merge(&mut current, Value::Object(self.0));
        from_document(current).map_err(|error| match error {
            ApiError::BadRequest { errors, .. } => Error::Validation(errors).into(),
            other => other,
        })
    }
}

/// RFC 7396 § 2: `null` removes a member, an object merges member by member, anything else
/// replaces.
pub fn merge(target: &mut Value, patch: Value) {
    let Value::Object(patch) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(members) = target {
        for (name, value) in patch {
            if value.is_null() {
                members.remove(&name);
            } else {
                merge(members.entry(name).or_insert(Value::Null), value);
            }
        }
    }
}

/// `PUT` replaces the resource, so it must say every member: 422 `validation_failed` names
/// each one absent from `document` (`null` is a value: no value, or the default).
pub fn require_members(document: &Value, members: &[&str]) -> Result<(), ApiError> {
    let missing: Vec<FieldError> = members
        .iter()
        .filter(|name| document.get(**name).is_none())
        .map(|name| {
            FieldError::new(
                *name,
                "required: PUT replaces the whole resource (send null for no value, or use \
                 PATCH to change some members)",
            )
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(missing).into())
    }
}

/// A `PUT` body: every member of `members` present (else 422 naming each absent one), then
/// typed as `T` (400 for a malformed member, as on `POST`).
pub fn replacement<T: DeserializeOwned>(document: Value, members: &[&str]) -> Result<T, ApiError> {
    require_members(&document, members)?;
    from_document(document)
}

fn is_merge_patch(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(MERGE_PATCH_JSON))
}

impl FromRequest for MergePatch {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let merge_patch = is_merge_patch(req);
        // Same limits, time-out and JSON rules as every other body.
        let body = ApiJson::<Value>::from_request(req, payload);
        Box::pin(async move {
            if !merge_patch {
                return Ok(MergePatch(Err(ApiError::UnsupportedMediaType {
                    expected: MERGE_PATCH_JSON,
                })));
            }
            Ok(MergePatch(body.await.and_then(|json| match json.body {
                Value::Object(members) => Ok(members),
                _ => Err(ApiError::bad_field(
                    "invalid_body",
                    "body",
                    "a merge patch of a resource is a JSON object",
                )),
            })))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_follows_the_examples_of_rfc_7396() {
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": "b"}),
                json!({"b": "c"}),
                json!({"a": "b", "b": "c"}),
            ),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (
                json!({"a": "b", "b": "c"}),
                json!({"a": null}),
                json!({"b": "c"}),
            ),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
            (
                json!([1, 2]),
                json!({"a": "b", "c": null}),
                json!({"a": "b"}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (mut target, patch, expected) in cases {
            merge(&mut target, patch);
            assert_eq!(target, expected);
        }
    }

    #[test]
    fn put_names_every_absent_member_and_accepts_null() {
        let document = json!({"code": "A", "description": null});
        match require_members(&document, &["code", "name", "description", "status"]) {
            Err(ApiError::Domain(Error::Validation(errors))) => {
                let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["name", "status"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert!(require_members(&document, &["code", "description"]).is_ok());
    }
}
