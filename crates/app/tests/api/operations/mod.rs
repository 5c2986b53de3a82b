//! Production operations (issue #17): metrics, the readiness check, and database outages.

mod metrics;
mod outages;
mod proxy;
mod readiness;

use std::sync::Arc;

use actix_web::test;
use actix_web::web;
use adapters_postgres::PgStore;
use app::readiness::PgReadiness;
use domain::services::Services;
use http_actix::network::HttpSettings;
use http_actix::readiness::ReadinessProbe;

use crate::support::Answer;

/// `GET path` through the whole application over `services`, with the readiness probe of
/// `store` registered as the server registers it.
pub async fn get_with_probe(
    services: web::Data<Services>,
    store: &PgStore,
    path: &str,
    token: Option<&str>,
) -> Answer {
    let probe: Arc<dyn ReadinessProbe> = Arc::new(PgReadiness::new(store.clone()));
    let service = test::init_service(
        http_actix::app(services, web::Data::new(HttpSettings::default()))
            .app_data(web::Data::from(probe)),
    )
    .await;
    let mut request = test::TestRequest::get()
        .uri(path)
        .peer_addr(crate::support::DEFAULT_PEER.parse().unwrap());
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    let response = test::call_service(&service, request.to_request()).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = test::read_body(response).await.to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// A connection string to a port where nothing listens: PostgreSQL is down.
pub const DOWN_DATABASE: &str = "host=127.0.0.1 port=1 dbname=mtf user=mtf connect_timeout=1";
