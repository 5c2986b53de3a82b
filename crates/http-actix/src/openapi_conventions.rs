//! API-wide conventions written into the served OpenAPI document once, instead of in every
//! `#[utoipa::path]`: what shared extractors answer (408/413/415 on every JSON body, 414 on
//! every operation), the `limit`
//! bounds of every list, the `Idempotency-Key` format, the shape of every prefixed id
//! parameter, and that a blank query parameter counts as absent. Applied to the serialised document, so each operation merged later gets them too
//! (decision 0081).

use serde_json::{json, Map, Value};

/// Id parameters by name and the prefix of their ids (`domain::ids::IdKind`).
const ID_PARAMETERS: &[(&str, &str)] = &[
    ("actor_id", "act_"),
    ("offer_id", "ofr_"),
    ("client_id", "cli_"),
    ("subscriber_id", "sub_"),
    ("contract_id", "ctr_"),
    ("draft_id", "drf_"),
    ("billing_run_id", "run_"),
    ("invoice_id", "inv_"),
    ("payment_id", "pay_"),
    ("case_id", "case_"),
];

/// The 26 characters of a ULID, as `ulid::Ulid::from_string` accepts them (either case).
const ULID: &str = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}";

/// Pattern of an id with this prefix.
pub fn id_pattern(prefix: &str) -> String {
    format!("^{prefix}{ULID}$")
}

/// Adds the conventions to a serialised OpenAPI document.
pub fn apply(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            if let Some(operation) = operation.as_object_mut() {
                body_statuses(operation);
                uri_status(operation);
                if let Some(parameters) = operation
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                {
                    parameters.iter_mut().for_each(parameter);
                }
            }
        }
    }
}

/// The edge middleware answers 414 to any request whose path and query exceed 8 KiB.
fn uri_status(operation: &mut Map<String, Value>) {
    if let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    {
        responses
            .entry("414")
            .or_insert_with(|| problem("`uri_too_long`: the path and query are longer than 8 KiB"));
    }
}

/// `ApiJson` answers 408 when the body does not arrive in time, 413 above 1 MiB and 415
/// without a JSON content type, before the handler; a duplicate key is one of its 400s.
fn body_statuses(operation: &mut Map<String, Value>) {
    if !operation.contains_key("requestBody") {
        return;
    }
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (status, description) in [
        (
            "408",
            "`request_timeout`: the body did not arrive within the read time-out",
        ),
        ("413", "`payload_too_large`: the body is larger than 1 MiB"),
        (
            "415",
            "`unsupported_media_type`: the body is not sent as `application/json`",
        ),
    ] {
        responses
            .entry(status)
            .or_insert_with(|| problem(description));
    }
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}
            }
        }
    })
}

fn parameter(parameter: &mut Value) {
    let text = |key: &str| {
        let value = parameter.get(key).and_then(Value::as_str);
        value.unwrap_or_default().to_owned()
    };
    let (name, location) = (text("name"), text("in"));
    let schema = match (location.as_str(), name.as_str()) {
        ("query", "limit") => Some(json!({
            "type": "integer", "format": "int64",
            "minimum": 1, "maximum": domain::page::MAX_LIMIT,
        })),
        ("header", name) if name.eq_ignore_ascii_case("idempotency-key") => Some(json!({
            "type": "string", "minLength": 1, "maxLength": domain::idempotency::MAX_KEY_LEN,
            "pattern": "^[!-~]+$",
        })),
        ("query" | "path", name) => ID_PARAMETERS
            .iter()
            .find(|(id_name, _)| *id_name == name)
            .map(|(_, prefix)| json!({"type": "string", "pattern": id_pattern(prefix)})),
        _ => None,
    };
    let Some(object) = parameter.as_object_mut() else {
        return;
    };
    if let Some(schema) = schema {
        object.insert("schema".into(), schema);
    }
    // Both query parsers take `name=` (blank) as an absent parameter.
    if location == "query" {
        if let Some(schema) = object.remove("schema") {
            let blank = json!({"type": "string", "maxLength": 0});
            object.insert("schema".into(), json!({"anyOf": [schema, blank]}));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        json!({"paths": {"/x/{offer_id}": {"post": {
            "parameters": [
                {"name": "offer_id", "in": "path", "schema": {"type": "string"}},
                {"name": "client_id", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
            ],
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"201": {"description": "made"}}
        }}}})
    }

    #[test]
    fn operations_with_a_body_document_413_and_415() {
        let mut doc = document();
        apply(&mut doc);
        let responses = &doc["paths"]["/x/{offer_id}"]["post"]["responses"];
        assert!(responses["408"].is_object());
        assert!(responses["413"].is_object());
        assert!(responses["414"].is_object());
        assert!(responses["415"].is_object());
        assert_eq!(responses["201"]["description"], "made");
    }

    #[test]
    fn limits_keys_and_ids_get_their_shapes() {
        let mut doc = document();
        apply(&mut doc);
        let parameters = &doc["paths"]["/x/{offer_id}"]["post"]["parameters"];
        assert_eq!(parameters[0]["schema"]["pattern"], id_pattern("ofr_"));
        let client = &parameters[1]["schema"]["anyOf"];
        assert_eq!(client[0]["pattern"], id_pattern("cli_"));
        assert_eq!(client[1]["maxLength"], 0);
        assert_eq!(parameters[2]["schema"]["anyOf"][0]["maximum"], 500);
        assert_eq!(parameters[3]["schema"]["maxLength"], 255);
    }
}
