//! Every operation of the API contract, as (OpenAPI path, lower-case method).

/// The operations that must be documented and routed.
pub const ALL: &[(&str, &str)] = &[
    ("/api/v1/health", "get"),
    ("/api/v1/me", "get"),
    ("/api/v1/admin/ping", "get"),
    ("/api/v1/admin/actors", "post"),
    ("/api/v1/openapi.json", "get"),
    ("/api/v1/billing/runs", "post"),
    ("/api/v1/billing/runs", "get"),
    ("/api/v1/billing/runs/{billing_run_id}", "get"),
    ("/api/v1/invoices", "get"),
    ("/api/v1/invoices/{invoice_id}", "get"),
    ("/api/v1/invoices/{invoice_id}/pdf", "get"),
    ("/api/v1/landing/clients/{cin}/invoices", "get"),
    ("/api/v1/landing/invoices/{invoice_id}/document", "get"),
];
