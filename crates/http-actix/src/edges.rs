//! Edge protections applied to every answer: a length limit on the request URI (414), no
//! caching and no MIME sniffing of answers that carry tokens or personal data, and a content
//! security policy with frame protection on the API docs page (decision 0117).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::problem::ApiError;

/// Longest accepted path and query, in bytes. Proxies and browsers commonly stop at 8 KiB;
/// the longest URL the API needs (a list with every filter) is far shorter.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Paths whose answers carry a landing token or a client's personal data.
const PRIVATE_PREFIXES: [&str; 3] = [
    "/api/v1/landing",
    "/api/v1/customers",
    "/api/v1/subscribers",
];

/// Path prefix of the Swagger UI page.
const DOCS_PREFIX: &str = "/docs";

/// Policy of the Swagger UI page: its scripts and styles come from the server itself; the UI
/// sets inline `style` attributes and draws icons as `data:` images, so those two are allowed;
/// nothing may frame it.
pub const DOCS_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Middleware: refuses over-long URIs, then adds the headers each kind of answer needs.
pub async fn edges<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_len > MAX_URI_BYTES {
        let answer = ApiError::UriTooLong.error_response();
        return Ok(req.into_response(answer).map_into_right_body());
    }
    let kind = PathKind::of(req.path());
    let mut response = next.call(req).await?;
    add_headers(kind, response.headers_mut());
    Ok(response.map_into_left_body())
}

/// Which headers a path's answers get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathKind {
    /// Tokens or personal data: never stored by a cache, never sniffed.
    Private,
    /// The Swagger UI page and its assets.
    Docs,
    /// Everything else keeps its handler's headers.
    Other,
}

impl PathKind {
    fn of(path: &str) -> PathKind {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if PRIVATE_PREFIXES.iter().any(|prefix| under(prefix)) {
            PathKind::Private
        } else if under(DOCS_PREFIX) {
            PathKind::Docs
        } else {
            PathKind::Other
        }
    }
}

fn add_headers(kind: PathKind, headers: &mut HeaderMap) {
    let nosniff = (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    match kind {
        PathKind::Private => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert(nosniff.0, nosniff.1);
        }
        PathKind::Docs => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DOCS_CONTENT_SECURITY_POLICY),
            );
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            headers.insert(nosniff.0, nosniff.1);
        }
        PathKind::Other => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_paths_are_the_landing_the_customers_and_their_lines() {
        for path in [
            "/api/v1/landing/clients/verify-cin",
            "/api/v1/landing/bootstrap",
            "/api/v1/customers",
            "/api/v1/customers/cli_1",
            "/api/v1/subscribers/sub_1",
        ] {
            assert_eq!(PathKind::of(path), PathKind::Private, "{path}");
        }
        for path in [
            "/api/v1/offers",
            "/api/v1/customersx",
            "/",
            "/api/v1/openapi.json",
        ] {
            assert_eq!(PathKind::of(path), PathKind::Other, "{path}");
        }
        assert_eq!(PathKind::of("/docs/"), PathKind::Docs);
        assert_eq!(PathKind::of("/docs/swagger-ui.css"), PathKind::Docs);
    }

    #[test]
    fn the_docs_policy_allows_no_inline_script_and_no_framing() {
        assert!(DOCS_CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
        assert!(DOCS_CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert!(!DOCS_CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
    }
}
