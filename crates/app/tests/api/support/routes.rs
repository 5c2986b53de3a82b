//! Every operation of the API contract, as (OpenAPI path, lower-case method).

/// The operations that must be documented and routed.
pub const ALL: &[(&str, &str)] = &[
    ("/api/v1/health", "get"),
    ("/api/v1/me", "get"),
    ("/api/v1/admin/ping", "get"),
    ("/api/v1/admin/actors", "post"),
    ("/api/v1/openapi.json", "get"),
    ("/api/v1/contracts/provision", "post"),
    ("/api/v1/contracts", "post"),
    ("/api/v1/contracts", "get"),
    ("/api/v1/contracts/{contract_id}", "get"),
    ("/api/v1/contracts/{contract_id}/status", "put"),
    ("/api/v1/contracts/{contract_id}/offer", "put"),
    ("/api/v1/contracts/{contract_id}/audit", "get"),
];
