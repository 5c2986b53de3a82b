//! The client self-service portal: one HTML page at `/` and its static assets under
//! `/assets/`, embedded in the binary, served with strict security headers.
//!
//! These are pages, not API operations: they are registered outside `/api/v1` and stay out of
//! the OpenAPI document. The page talks to the public `/api/v1/landing/*` endpoints only.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder, ResponseError};
use sha2::{Digest, Sha256};

use crate::problem::ApiError;

/// Content-Security-Policy of every portal response: no inline script or style, nothing from
/// another host.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// One embedded file.
struct Asset {
    /// Name under `/assets/`.
    name: &'static str,
    /// `Content-Type` it is served with.
    content_type: &'static str,
    /// Its bytes, compiled in.
    body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

/// The page itself.
const INDEX: Asset = Asset {
    name: "index.html",
    content_type: "text/html; charset=utf-8",
    body: include_bytes!("../assets/index.html"),
};

/// Everything under `/assets/` (the page's modules, styles and icon).
const ASSETS: &[Asset] = &[
    Asset {
        name: "styles.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/styles.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
    Asset {
        name: "app.js",
        content_type: JS,
        body: include_bytes!("../assets/app.js"),
    },
    Asset {
        name: "api.js",
        content_type: JS,
        body: include_bytes!("../assets/api.js"),
    },
    Asset {
        name: "dom.js",
        content_type: JS,
        body: include_bytes!("../assets/dom.js"),
    },
    Asset {
        name: "format.js",
        content_type: JS,
        body: include_bytes!("../assets/format.js"),
    },
    Asset {
        name: "validate.js",
        content_type: JS,
        body: include_bytes!("../assets/validate.js"),
    },
    Asset {
        name: "messages.js",
        content_type: JS,
        body: include_bytes!("../assets/messages.js"),
    },
    Asset {
        name: "session.js",
        content_type: JS,
        body: include_bytes!("../assets/session.js"),
    },
    Asset {
        name: "catalog.js",
        content_type: JS,
        body: include_bytes!("../assets/catalog.js"),
    },
    Asset {
        name: "subscribe.js",
        content_type: JS,
        body: include_bytes!("../assets/subscribe.js"),
    },
    Asset {
        name: "subscribe-steps.js",
        content_type: JS,
        body: include_bytes!("../assets/subscribe-steps.js"),
    },
    Asset {
        name: "account.js",
        content_type: JS,
        body: include_bytes!("../assets/account.js"),
    },
];

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
    serve(&req, &INDEX)
}

async fn asset(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|a| a.name == name.as_str()) {
        Some(found) => serve(&req, found),
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

/// Answers with the file, or 304 when the browser's copy is current. Files are revalidated on
/// every use (`no-cache`) because their names carry no version: a new binary's assets are then
/// picked up at once, and an unchanged file costs only a 304.
fn serve(req: &HttpRequest, file: &Asset) -> HttpResponse {
    let etag = etag_of(file);
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
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ETAG, etag));
    secure(&mut builder);
    if fresh {
        builder.finish()
    } else {
        builder
            .insert_header((header::CONTENT_TYPE, file.content_type))
            .body(file.body)
    }
}

/// Strong ETag of a file: a digest of its bytes, computed once per process.
fn etag_of(file: &Asset) -> String {
    static TAGS: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        std::iter::once(&INDEX)
            .chain(ASSETS.iter())
            .map(|a| {
                let digest = Sha256::digest(a.body);
                let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
                (a.name, format!("\"{hex}\""))
            })
            .collect()
    });
    tags.get(file.name).cloned().unwrap_or_default()
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
    fn every_module_the_page_imports_is_embedded() {
        // A module imported by the page but missing from ASSETS would 404 in the browser only.
        let names: Vec<&str> = ASSETS.iter().map(|a| a.name).collect();
        for file in std::iter::once(&INDEX).chain(ASSETS.iter()) {
            let text = String::from_utf8_lossy(file.body);
            for part in text
                .split("/assets/")
                .skip(1)
                .chain(text.split("from './").skip(1))
            {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                assert!(
                    names.contains(&name.as_str()),
                    "{} refers to missing {name}",
                    file.name
                );
            }
        }
    }

    #[test]
    fn etags_differ_between_files_and_are_quoted() {
        let a = etag_of(&ASSETS[0]);
        let b = etag_of(&ASSETS[1]);
        assert_ne!(a, b);
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 26);
    }

    #[test]
    fn the_policy_allows_no_inline_code_and_no_other_host() {
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert!(!CONTENT_SECURITY_POLICY.contains("http"));
    }
}
