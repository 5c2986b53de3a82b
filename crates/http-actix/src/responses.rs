//! Named sets of error responses for `#[utoipa::path(responses(…))]`: the lines whose meaning
//! is the same on every endpoint are written once here. A line that says something particular
//! to its endpoint (which `…_not_found`, which guard) stays written out at the endpoint.

use utoipa::IntoResponses;

use crate::problem::Problem;

/// Any authenticated endpoint: 401 without valid credentials.
#[derive(IntoResponses)]
pub enum AuthErrors {
    /// Missing, unknown or revoked token.
    #[response(
        status = 401,
        description = "No or bad credentials",
        content_type = "application/problem+json"
    )]
    Unauthenticated(Problem),
}

/// An agent's endpoint: 401, and 403 for other roles.
#[derive(IntoResponses)]
pub enum AgentErrors {
    /// Missing, unknown or revoked token.
    #[response(
        status = 401,
        description = "No or bad credentials",
        content_type = "application/problem+json"
    )]
    Unauthenticated(Problem),
    /// Authenticated without the agent role.
    #[response(
        status = 403,
        description = "Not an agent",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

/// An admin's endpoint: 401, and 403 for other roles.
#[derive(IntoResponses)]
pub enum AdminErrors {
    /// Missing, unknown or revoked token.
    #[response(
        status = 401,
        description = "No or bad credentials",
        content_type = "application/problem+json"
    )]
    Unauthenticated(Problem),
    /// Authenticated without the admin role.
    #[response(
        status = 403,
        description = "Not an admin",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

/// A collections endpoint: 401, and 403 for other roles.
#[derive(IntoResponses)]
pub enum CollectionsErrors {
    /// Missing, unknown or revoked token.
    #[response(
        status = 401,
        description = "No or bad credentials",
        content_type = "application/problem+json"
    )]
    Unauthenticated(Problem),
    /// Authenticated without a collections role.
    #[response(
        status = 403,
        description = "Not a collections actor",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

/// A billing endpoint (billing role, or admin): 401, and 403 for other roles.
#[derive(IntoResponses)]
pub enum BillingErrors {
    /// Missing, unknown or revoked token.
    #[response(
        status = 401,
        description = "No or bad credentials",
        content_type = "application/problem+json"
    )]
    Unauthenticated(Problem),
    /// Authenticated without the billing role.
    #[response(
        status = 403,
        description = "Not a billing actor",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

/// A landing endpoint: 429 past the per-address budget (the `throttle` middleware).
#[derive(IntoResponses)]
pub enum LandingErrors {
    /// `rate_limited`, with `Retry-After`.
    #[response(
        status = 429,
        description = "Too many calls from this address",
        content_type = "application/problem+json"
    )]
    RateLimited(Problem),
}
