//! The OpenAPI 3.1 document: base information and security schemes here; every operation is
//! collected from the handlers registered through `utoipa_actix_web`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};

use crate::problem::{FieldProblem, Problem};

/// Name of the bearer-token security scheme.
pub const BEARER: &str = "bearer";
/// Name of the `X-Actor-Id` security scheme.
pub const ACTOR_ID: &str = "actor_id";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "MT-Facturation API",
        description = "Billing back office of a telecom operator: catalog, clients, contracts, \
                       landing self-service, billing, payments and collections. Money is in \
                       integer centimes; errors are application/problem+json."
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Health, identity and administration (P0)"),
        (name = "catalog", description = "Offers and categories (P1, P2)"),
        (name = "clients", description = "Clients and subscribers (P3)"),
        (name = "contracts", description = "Contracts (P4–P6)"),
        (name = "landing", description = "Public self-service (P7–P10, P13)"),
        (name = "billing", description = "Billing runs and invoices (P11, P12)"),
        (name = "collections", description = "Payments and collections (P14, P15)")
    )
)]
struct BaseDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            ACTOR_ID,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Actor-Id",
                "An actor asserted by the operator's gateway: honoured only from a peer address \
                 in MTF_TRUSTED_GATEWAYS (default loopback) or together with the bearer token of \
                 a `gateway` actor; otherwise 401 `actor_header_not_trusted`.",
            ))),
        );
    }
}

/// The base document every operation is added to.
pub fn base() -> OpenApiDoc {
    let mut doc = BaseDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// The finished document, serialised once, and its path templates for 404/405 answers.
pub struct ApiDocument {
    /// The JSON served at `/api/v1/openapi.json`.
    pub json: Vec<u8>,
    /// (path template segments, methods) of every operation.
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl ApiDocument {
    /// Serialises `doc` with the API-wide conventions added and indexes its paths.
    pub fn new(doc: &OpenApiDoc) -> ApiDocument {
        let mut value = serde_json::to_value(doc).unwrap_or_default();
        crate::openapi_conventions::apply(&mut value);
        let json = serde_json::to_vec(&value).unwrap_or_default();
        let mut routes = Vec::new();
        if let Some(paths) = value.get("paths").and_then(|p| p.as_object()) {
            for (path, item) in paths {
                let methods = item
                    .as_object()
                    .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                    .unwrap_or_default();
                routes.push((split(path), methods));
            }
        }
        ApiDocument { json, routes }
    }

    /// Methods accepted at `path`, if some documented operation matches it. Like the router,
    /// a literal segment wins over a parameter: `/contracts/provision` is not a contract id.
    pub fn methods_for(&self, path: &str) -> Option<Vec<String>> {
        let segments = split(path);
        let matching: Vec<&(Vec<String>, Vec<String>)> = self
            .routes
            .iter()
            .filter(|(template, _)| matches(template, &segments))
            .collect();
        let fewest = matching.iter().map(|(t, _)| parameters(t)).min()?;
        let mut methods: Vec<String> = matching
            .into_iter()
            .filter(|(template, _)| parameters(template) == fewest)
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }
}

fn split(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

fn parameters(template: &[String]) -> usize {
    template.iter().filter(|t| t.starts_with('{')).count()
}

fn matches(template: &[String], segments: &[String]) -> bool {
    template.len() == segments.len()
        && template
            .iter()
            .zip(segments)
            .all(|(t, s)| (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s)
}
