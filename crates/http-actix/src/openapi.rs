//! The OpenAPI 3.1 document: base information and security schemes here; every operation is
//! collected from the handlers registered through `utoipa_actix_web`.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};

use crate::problem::{FieldProblem, Problem};
use crate::routes::usage::UsageRecordRequest;

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
    components(schemas(Problem, FieldProblem, UsageRecordRequest)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "system", description = "Health, identity and administration (P0)"),
        (name = "catalog", description = "Offers and categories (P1, P2)"),
        (name = "clients", description = "Clients and subscribers (P3)"),
        (name = "contracts", description = "Contracts (P4–P6)"),
        (name = "landing", description = "Public self-service (P7–P10, P13)"),
        (name = "billing", description = "Billing runs and invoices (P11, P12)"),
        (name = "collections", description = "Payments and collections (P14, P15)"),
        (name = "ledger", description = "Client balance, statement, refunds and payment reversals"),
        (name = "exports", description = "Accounting journals and monthly reports, CSV or JSON (billing and viewer roles)"),
        (name = "events", description = "Business events: the gap-safe pull feed (issue #16)"),
        (name = "webhooks", description = "Signed event deliveries (Standard Webhooks): endpoints, delivery log, retries"),
        (name = "archive", description = "Tamper-evident archive: verification of the hash chains of issued documents"),
        (name = "usage", description = "Usage records from the network's mediation system (issue #21; mediation role)")
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

/// The finished document, serialised once.
pub struct ApiDocument {
    /// The JSON served at `/api/v1/openapi.json`.
    pub json: Vec<u8>,
}

impl ApiDocument {
    /// Serialises `doc` with the API-wide conventions added.
    pub fn new(doc: &OpenApiDoc) -> ApiDocument {
        let mut value = serde_json::to_value(doc).unwrap_or_default();
        crate::openapi_conventions::apply(&mut value);
        let json = serde_json::to_vec(&value).unwrap_or_default();
        ApiDocument { json }
    }
}
