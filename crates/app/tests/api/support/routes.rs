//! Every operation of the API contract, as (OpenAPI path, lower-case method).

/// The operations that must be documented and routed.
pub const ALL: &[(&str, &str)] = &[
    ("/api/v1/health", "get"),
    ("/api/v1/me", "get"),
    ("/api/v1/admin/ping", "get"),
    ("/api/v1/admin/actors", "post"),
    ("/api/v1/openapi.json", "get"),
    ("/api/v1/collections/payments", "post"),
    (
        "/api/v1/collections/invoices/{invoice_id}/approve-paid",
        "post",
    ),
    ("/api/v1/collections/payments", "get"),
    ("/api/v1/collections/dunning/runs", "post"),
    ("/api/v1/collections/overview", "get"),
    ("/api/v1/collections/cases", "get"),
    ("/api/v1/collections/cases/{case_id}", "get"),
    ("/api/v1/collections/cases/{case_id}/actions", "get"),
    ("/api/v1/collections/cases/{case_id}/actions", "post"),
    ("/api/v1/collections/cases/{case_id}/status", "put"),
];
