//! Per-request context: the `X-Request-Id` (echoed or generated), and one log line per
//! request with method, route template, status, latency and actor.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};

/// Header carrying the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled, if called inside one.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The authenticated actor of a request, recorded by the auth extractor for the log line.
#[derive(Debug, Clone)]
pub struct ActorTag(pub String);

fn accepted_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let ok = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| text.to_owned())
}

/// What the log line names for `req`'s path: its route template
/// (`/api/v1/landing/clients/{cin}/invoices`), never the raw path, which holds CINs, draft ids
/// and tokens; [`UNMATCHED_ROUTE`] when no route has that path.
pub fn logged_route(req: &HttpRequest) -> String {
    route_template(req).unwrap_or_else(|| UNMATCHED_ROUTE.to_owned())
}

/// The template of the route that takes `req`'s path, if one does. Actix finds it by
/// matching the path again, pattern by pattern, against the route map; the log line, the
/// metrics and the landing's rate limit all need it, so it is found once per request and
/// kept in the request's extensions.
pub fn route_template(req: &HttpRequest) -> Option<String> {
    if let Some(RouteTemplate(template)) = req.extensions().get::<RouteTemplate>() {
        return template.clone();
    }
    let template = req.match_pattern();
    req.extensions_mut().insert(RouteTemplate(template.clone()));
    template
}

/// A request's route template, once found (`None`: no route takes its path).
#[derive(Clone)]
struct RouteTemplate(Option<String>);

/// Logged for a path no route matches.
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Middleware: assigns the request id, runs the request inside its scope, logs the outcome.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(accepted_id)
        .unwrap_or_else(|| ulid::Ulid::new().to_string());
    let started = Instant::now();
    let method = req.method().to_string();
    let route = logged_route(req.request());
    let mut response = REQUEST_ID.scope(request_id.clone(), next.call(req)).await?;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    let actor = response
        .request()
        .extensions()
        .get::<ActorTag>()
        .map(|tag| tag.0.clone())
        .unwrap_or_else(|| "-".into());
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        actor = %actor,
        "request"
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, web, App};

    async fn route_of(uri: &str) -> String {
        let app = test::init_service(
            App::new()
                .service(web::scope("/api/v1").route(
                    "/landing/clients/{cin}/invoices",
                    web::get().to(|req: HttpRequest| async move { logged_route(&req) }),
                ))
                .default_service(web::to(
                    |req: HttpRequest| async move { logged_route(&req) },
                )),
        )
        .await;
        let response =
            test::call_service(&app, test::TestRequest::get().uri(uri).to_request()).await;
        String::from_utf8(test::read_body(response).await.to_vec()).unwrap_or_default()
    }

    #[actix_web::test]
    async fn a_request_finds_its_route_once_and_keeps_it() {
        let app = test::init_service(App::new().route(
            "/api/v1/offers/{offer_id}",
            web::get().to(|req: HttpRequest| async move {
                let first = route_template(&req);
                let kept = req
                    .extensions()
                    .get::<RouteTemplate>()
                    .and_then(|kept| kept.0.clone());
                format!("{first:?} {kept:?} {:?}", route_template(&req))
            }),
        ))
        .await;
        let response = test::call_service(
            &app,
            test::TestRequest::get()
                .uri("/api/v1/offers/ofr_1")
                .to_request(),
        )
        .await;
        let body = String::from_utf8(test::read_body(response).await.to_vec()).unwrap_or_default();
        let template = Some("/api/v1/offers/{offer_id}");
        assert_eq!(body, format!("{template:?} {template:?} {template:?}"));
    }

    #[actix_web::test]
    async fn the_log_names_the_route_template_never_the_raw_path() {
        assert_eq!(
            route_of("/api/v1/landing/clients/AB123456/invoices").await,
            "/api/v1/landing/clients/{cin}/invoices"
        );
        assert_eq!(
            route_of("/api/v1/drafts/AB123456?cin=AB123456").await,
            UNMATCHED_ROUTE
        );
    }
}
