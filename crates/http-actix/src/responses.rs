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

/// A role's endpoint: 401 without valid credentials, 403 (with `$forbidden`) for an actor
/// without the role. One declaration per role, the same two lines each.
macro_rules! role_errors {
    ($($(#[$doc:meta])* $name:ident => $forbidden:literal, $role:literal;)*) => {$(
        $(#[$doc])*
        #[derive(IntoResponses)]
        pub enum $name {
            /// Missing, unknown or revoked token.
            #[response(
                status = 401,
                description = "No or bad credentials",
                content_type = "application/problem+json"
            )]
            Unauthenticated(Problem),
            #[doc = concat!("Authenticated without ", $role, ".")]
            #[response(
                status = 403,
                description = $forbidden,
                content_type = "application/problem+json"
            )]
            Forbidden(Problem),
        }
    )*};
}

role_errors! {
    /// An agent's endpoint: 401, and 403 for other roles.
    AgentErrors => "Not an agent", "the agent role";
    /// An admin's endpoint: 401, and 403 for other roles.
    AdminErrors => "Not an admin", "the admin role";
    /// A collections endpoint: 401, and 403 for other roles.
    CollectionsErrors => "Not a collections actor", "a collections role";
    /// A billing endpoint (billing role, or admin): 401, and 403 for other roles.
    BillingErrors => "Not a billing actor", "the billing role";
    /// An accounting export or report (billing or viewer role, or admin): 401, and 403 for
    /// other roles.
    ExportErrors => "Neither a billing actor nor a viewer", "the billing or viewer role";
    /// A contract change that may correct invoices: 401, and 403 for an actor without the
    /// agent role, or without the billing role when it sends `regularize: true` (that issues
    /// credit notes, a billing act).
    RegularizingAgentErrors =>
        "Not an agent, or `regularize: true` without the billing role",
        "the agent role (and the billing role for `regularize: true`)";
    /// The usage records endpoint (mediation role, or admin): 401, and 403 for other roles.
    MediationErrors => "Not a mediation actor", "the mediation role";
    /// A read endpoint for viewers (or admins): 401, and 403 for other roles.
    ViewerErrors => "Neither a viewer nor an admin", "the viewer role";
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
