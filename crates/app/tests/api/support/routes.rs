//! Every operation of the API contract, as (OpenAPI path, lower-case method).

/// The operations that must be documented and routed.
pub const ALL: &[(&str, &str)] = &[
    ("/api/v1/health", "get"),
    ("/api/v1/me", "get"),
    ("/api/v1/admin/ping", "get"),
    ("/api/v1/admin/actors", "post"),
    ("/api/v1/openapi.json", "get"),
    ("/api/v1/landing/bootstrap", "get"),
    ("/api/v1/landing/drafts", "post"),
    ("/api/v1/landing/drafts/{draft_id}", "get"),
    ("/api/v1/landing/drafts/{draft_id}", "put"),
    ("/api/v1/landing/clients/verify-cin", "post"),
    ("/api/v1/landing/clients/{cin}/subscriptions", "get"),
    (
        "/api/v1/landing/contracts/{contract_id}/document-link",
        "post",
    ),
];
