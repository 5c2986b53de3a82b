//! The client self-service portal: one HTML page at `/` and its static assets under
//! `/assets/`, embedded in the binary, served with strict security headers.
//!
//! These are pages, not API operations: they are registered outside `/api/v1` and stay out of
//! the OpenAPI document. The page talks to the public `/api/v1/landing/*` endpoints only.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError};

use crate::problem::ApiError;

mod files;

use files::{files, Found, Served};

/// Content-Security-Policy of every portal response: no inline script or style, nothing from
/// another host.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// How long a browser may keep a content-hashed file: a year, never revalidated, since the
/// bytes behind that name never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The page and the plain asset names change with each release: revalidated on every use
/// (a 304 when unchanged), so a new binary's page, pointing at new hashed files, is used at once.
const REVALIDATE: &str = "no-cache";

/// Registers `/` and `/assets/{name}` (GET and HEAD; other methods get a problem+json 405).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/")
            .route(web::get().to(index))
            .route(web::head().to(index))
            .default_service(web::to(method_not_allowed)),
    )
    .service(
        web::resource("/assets/{name}")
            .route(web::get().to(asset))
            .route(web::head().to(asset))
            .default_service(web::to(method_not_allowed)),
    );
}

async fn index(req: HttpRequest) -> HttpResponse {
    serve(&req, &files().index, REVALIDATE)
}

async fn asset(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    match files().find(name.as_str()) {
        Some(Found::Hashed(file)) => serve(&req, file, IMMUTABLE),
        Some(Found::Plain(file)) => serve(&req, file, REVALIDATE),
        None => with_security_headers(ApiError::RouteNotFound.error_response()),
    }
}

async fn method_not_allowed() -> HttpResponse {
    with_security_headers(
        ApiError::MethodNotAllowed {
            allow: "GET, HEAD".into(),
        }
        .error_response(),
    )
}

/// Answers with the file (gzipped when the client accepts it), or 304 when the browser's copy
/// is current.
fn serve(req: &HttpRequest, file: &Served, cache_control: &'static str) -> HttpResponse {
    let gzip = accepts_gzip(req) && !file.gzip.is_empty();
    let (body, etag) = if gzip {
        (&file.gzip, file.gzip_etag.as_str())
    } else {
        (&file.body, file.etag.as_str())
    };
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut builder = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::ETAG, etag))
        .insert_header((header::VARY, "accept-encoding"));
    secure(&mut builder);
    if fresh {
        return builder.finish();
    }
    if gzip {
        // Already encoded: the Compress middleware leaves it as it is.
        builder.insert_header((header::CONTENT_ENCODING, "gzip"));
    }
    builder
        .insert_header((header::CONTENT_TYPE, file.content_type))
        .body(body.clone())
}

/// Whether `Accept-Encoding` lists gzip (or `*`) with a non-zero weight.
fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

fn secure(builder: &mut HttpResponseBuilder) {
    for (name, value) in security_headers() {
        builder.insert_header((name, value));
    }
}

fn with_security_headers(mut response: HttpResponse) -> HttpResponse {
    for (name, value) in security_headers() {
        response.headers_mut().insert(name, value);
    }
    response
}

fn security_headers() -> [(header::HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_no_inline_code_and_no_other_host() {
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert!(!CONTENT_SECURITY_POLICY.contains("http"));
    }
}
