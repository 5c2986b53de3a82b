//! Every operation of the API contract, as (OpenAPI path, lower-case method).

/// The operations that must be documented and routed.
pub const ALL: &[(&str, &str)] = &[
    ("/api/v1/health", "get"),
    ("/api/v1/me", "get"),
    ("/api/v1/admin/ping", "get"),
    ("/api/v1/admin/actors", "post"),
    ("/api/v1/openapi.json", "get"),
    ("/api/v1/offers", "post"),
    ("/api/v1/offers", "get"),
    ("/api/v1/offers/{offer_id}", "get"),
    ("/api/v1/offers/{offer_id}", "put"),
    ("/api/v1/offers/{offer_id}", "delete"),
    ("/api/v1/offer-categories", "get"),
    ("/api/v1/offer-families", "get"),
    ("/api/v1/customers", "post"),
    ("/api/v1/customers", "get"),
    ("/api/v1/customers/{client_id}", "get"),
    ("/api/v1/customers/{client_id}", "put"),
    ("/api/v1/customers/{client_id}", "delete"),
    ("/api/v1/subscribers", "get"),
    ("/api/v1/subscribers", "post"),
    ("/api/v1/subscribers/{subscriber_id}", "get"),
    ("/api/v1/subscribers/{subscriber_id}", "put"),
];
