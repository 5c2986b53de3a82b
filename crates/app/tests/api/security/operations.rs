//! The served OpenAPI document as a list of operations, with what the suite needs to call
//! each one: who may call it, its parameters, and a body that parses.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::support::TestApp;

/// One documented operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// OpenAPI path template (`/api/v1/offers/{offer_id}`).
    pub path: String,
    /// Lower-case method.
    pub method: String,
    /// The operation object.
    pub spec: Value,
}

/// Values for path parameters and id-like body fields, by name.
pub type Fixtures = BTreeMap<String, String>;

/// Well-formed ids of nothing, one per parameter name.
pub fn placeholder_fixtures() -> Fixtures {
    [
        ("actor_id", "act_01JD0000000000000000000000"),
        ("offer_id", "ofr_01JD0000000000000000000000"),
        ("target_offer_id", "ofr_01JD0000000000000000000000"),
        ("client_id", "cli_01JD0000000000000000000000"),
        ("subscriber_id", "sub_01JD0000000000000000000000"),
        ("contract_id", "ctr_01JD0000000000000000000000"),
        ("draft_id", "drf_01JD0000000000000000000000"),
        ("billing_run_id", "run_01JD0000000000000000000000"),
        ("invoice_id", "inv_01JD0000000000000000000000"),
        ("payment_id", "pay_01JD0000000000000000000000"),
        ("credit_note_id", "cn_01JD0000000000000000000000"),
        ("case_id", "case_01JD0000000000000000000000"),
        ("import_id", "imp_01JD0000000000000000000000"),
        ("receipt_id", "rcp_01JD0000000000000000000000"),
        ("endpoint_id", "whe_01JD0000000000000000000000"),
        ("delivery_id", "whd_01JD0000000000000000000000"),
        ("cin", "ZZ999999"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// The document the application serves.
pub async fn document(app: &TestApp) -> Value {
    let answer = app.get("/openapi.json").send().await;
    answer.assert_status(200);
    answer.json()
}

/// Every operation of the document.
pub fn operations(document: &Value) -> Vec<Operation> {
    let mut all = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, spec) in item.as_object().expect("path item") {
            all.push(Operation {
                path: path.clone(),
                method: method.clone(),
                spec: spec.clone(),
            });
        }
    }
    assert!(all.len() > 30, "the document lists too few operations");
    all
}

impl Operation {
    /// `GET /api/v1/offers` style label.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// Callable without credentials (`security: [{}]`): health, the document, the landing.
    pub fn is_public(&self) -> bool {
        self.spec["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(Map::is_empty)))
    }

    /// Under `/landing/`.
    pub fn is_landing(&self) -> bool {
        self.path.starts_with("/api/v1/landing/")
    }

    /// Changes state (anything but GET).
    pub fn is_write(&self) -> bool {
        self.method != "get"
    }

    /// The role a write needs besides admin, from the first path segment (api-conventions:
    /// agent = catalog, clients, contracts; billing = runs, invoices, credit notes;
    /// collections = payments, cases; mediation = usage records; admin = /admin). `None`: any authenticated actor
    /// (`/me`).
    pub fn required_role(&self) -> Option<&'static str> {
        let segment = self
            .path
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or_default();
        match segment {
            "offers" | "offer-categories" | "offer-families" | "customers" | "subscribers"
            | "contracts" => Some("agent"),
            "billing" | "invoices" | "credit-notes" | "exports" | "reports" | "einvoicing" => {
                Some("billing")
            }
            // The archive's verification (issue #18) reads like an export: billing or viewer.
            "archive" => Some("billing"),
            "collections" => Some("collections"),
            // Webhook endpoints hold secrets and reach out of the network: admins only.
            "admin" | "webhooks" => Some("admin"),
            // The event feed tells about every resource: viewers (and admins) only.
            "events" => Some("viewer"),
            // Usage records come from the network's mediation system (issue #21).
            "usage" => Some("mediation"),
            "me" => None,
            other => panic!(
                "{}: no role is known for /{other}; classify it in security/operations.rs",
                self.label()
            ),
        }
    }

    /// An accounting export or report (issue #22), or the archive's verification (issue
    /// #18): its dates are required parameters.
    pub fn is_export(&self) -> bool {
        self.path.starts_with("/api/v1/exports/")
            || self.path.starts_with("/api/v1/reports/")
            || self.path.starts_with("/api/v1/archive/")
    }

    /// Whether `role` (not admin) may call this read: every role may, except under /admin
    /// and for the accounting exports and reports, which only billing and viewer may read
    /// (issue #22).
    pub fn may_read(&self, role: &str) -> bool {
        // A mediation actor sends usage records and reads nothing (decision 0366).
        if role == "mediation" {
            return false;
        }
        let segment = self
            .path
            .trim_start_matches("/api/v1/")
            .split('/')
            .next()
            .unwrap_or_default();
        match segment {
            "admin" | "webhooks" => false,
            // Clearance figures and the archive's verification are for who issues (billing) and
            // who watches (viewer).
            "exports" | "reports" | "einvoicing" | "archive" => {
                matches!(role, "billing" | "viewer")
            }
            _ => true,
        }
    }

    /// Its parameters.
    pub fn parameters(&self) -> Vec<Value> {
        self.spec["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Whether it has a query parameter `name`.
    pub fn has_query(&self, name: &str) -> bool {
        self.parameters()
            .iter()
            .any(|p| p["in"] == "query" && p["name"] == name)
    }

    /// Whether it takes a JSON body.
    pub fn has_body(&self) -> bool {
        self.body_schema().is_some()
    }

    /// Schema of the JSON body.
    pub fn body_schema(&self) -> Option<Value> {
        let schema = &self.spec["requestBody"]["content"]["application/json"]["schema"];
        (!schema.is_null()).then(|| schema.clone())
    }

    /// Whether it needs an `Idempotency-Key`.
    pub fn needs_idempotency_key(&self) -> bool {
        self.parameters()
            .iter()
            .any(|p| p["in"] == "header" && p["name"] == "Idempotency-Key")
    }

    /// The path with each `{name}` replaced by `fixtures[name]` (or by `override_with` for
    /// every parameter when given).
    pub fn concrete_path(&self, fixtures: &Fixtures, override_with: Option<&str>) -> String {
        let mut path = String::new();
        for segment in self.path.split('/').skip(1) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => path.push_str(override_with.unwrap_or_else(|| {
                    fixtures
                        .get(name)
                        .unwrap_or_else(|| panic!("{}: no fixture for {name}", self.label()))
                })),
                None => path.push_str(segment),
            }
        }
        path
    }

    /// Whether the path has parameters.
    pub fn has_path_parameters(&self) -> bool {
        self.path.contains('{')
    }
}

/// Follows a local `$ref`.
pub fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(document, &document["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A body that parses: every required property with its example, enum value, fixture (by
/// name) or a value of its type. Optional properties are left out.
pub fn example(document: &Value, schema: &Value, name: &str, fixtures: &Fixtures) -> Value {
    let schema = resolve(document, schema);
    if let Some(value) = fixtures.get(name) {
        return json!(value);
    }
    if !schema["example"].is_null() {
        return schema["example"].clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[combinator].as_array().and_then(|c| c.first()) {
            return example(document, first, name, fixtures);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|k| *k != "null")
            .and_then(Value::as_str)
            .unwrap_or("null"),
        Value::String(kind) => kind.as_str(),
        _ if schema["properties"].is_object() => "object",
        _ => "null",
    };
    match kind {
        "object" => {
            let mut body = Map::new();
            for required in schema["required"].as_array().into_iter().flatten() {
                let field = required.as_str().unwrap_or_default();
                let property = &schema["properties"][field];
                body.insert(field.into(), example(document, property, field, fixtures));
            }
            Value::Object(body)
        }
        "array" => json!([]),
        "integer" | "number" => json!(schema["minimum"].as_i64().unwrap_or(1).max(1)),
        "boolean" => json!(false),
        "string" if schema["format"] == "date" => json!("2026-03-10"),
        "string" if schema["format"] == "date-time" => json!("2026-03-10T09:00:00Z"),
        "string" => json!("x"),
        _ => Value::Null,
    }
}

/// The names of the body's properties (top level and nested objects, dotted) that hold
/// dates: format `date`, or named `*_date`, `as_of`, `from`, `to` (and `period`, a month).
pub fn date_fields(document: &Value, schema: &Value, prefix: &str, out: &mut Vec<String>) {
    let schema = resolve(document, schema);
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    for (name, property) in properties {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let resolved = resolve(document, property);
        let is_date = resolved["format"] == "date"
            || name.ends_with("_date")
            || matches!(name.as_str(), "as_of" | "from" | "to" | "period");
        if is_date {
            out.push(path);
        } else if resolved["properties"].is_object() {
            date_fields(document, resolved, &path, out);
        }
    }
}

/// Sets the dotted `path` of `body` to `value` (creating objects on the way).
pub fn set_path(body: &mut Value, path: &str, value: Value) {
    let mut target = body;
    let parts: Vec<&str> = path.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        if !target[*part].is_object() {
            target[*part] = json!({});
        }
        target = &mut target[*part];
    }
    target[parts[parts.len() - 1]] = value;
}
