//! MT-Facturation's HTTP API on actix-web: routes, request/response DTOs, authentication,
//! idempotency, problem+json errors and the OpenAPI document. It depends on the domain only
//! and receives the use cases ready-made.

pub mod auth;
pub mod blocking;
pub mod compression;
pub mod csv;
pub mod download;
pub mod edges;
pub mod event_encoder;
pub mod export_stream;
pub mod fallback;
pub mod idempotency;
pub mod json;
pub mod merge_patch;
pub mod metrics;
pub mod network;
pub mod openapi;
pub mod openapi_conventions;
pub mod path_ids;
pub mod portal;
pub mod problem;
pub mod public_links;
pub mod query;
pub mod readiness;
pub mod request_context;
pub mod responses;
pub mod route_table;
pub mod routes;
pub mod strict_json;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App};
use domain::services::Services;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::network::HttpSettings;
use crate::openapi::ApiDocument;
use crate::route_table::RouteTable;

/// Path of the served OpenAPI document.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// Builds the application: every route of `/api/v1`, the docs page at `/docs/`, the client
/// portal at `/` (pages, kept out of the OpenAPI document), problem+json answers for unknown
/// routes, and the request-context middleware. `network` says which peers are trusted
/// gateways and proxies.
pub fn app(
    services: web::Data<Services>,
    network: web::Data<HttpSettings>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .app_data(services)
        .app_data(network)
        .app_data(web::PayloadConfig::new(json::MAX_BODY_BYTES))
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    let routes = web::Data::new(RouteTable::registered(&api.paths));
    let document = web::Data::new(ApiDocument::new(&api));
    app.app_data(document)
        .app_data(routes)
        .configure(portal::configure)
        .service(
            web::resource("/docs")
                .route(web::get().to(docs_redirect))
                .route(web::head().to(docs_redirect)),
        )
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::new([OPENAPI_PATH])))
        .default_service(web::to(fallback::fallback))
        .wrap(from_fn(fallback::unrouted_method))
        .wrap(from_fn(edges::edges))
        .wrap(from_fn(metrics::record))
        .wrap(from_fn(request_context::request_context))
        .wrap(from_fn(compression::mark_small))
        // Near the outside, so every answer of a kilobyte or more (JSON, problems, portal
        // files) is compressed for clients that accept it; smaller ones are sent as they are
        // (decision 0391).
        .wrap(Compress::default())
        .wrap(from_fn(compression::unmark))
}

/// `/docs` without its slash: 308 to the docs page, so the address people type works and a
/// client keeps its method.
async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/docs/"))
        .finish()
}
