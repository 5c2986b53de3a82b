//! The HTTP layer over the domain's published mocks alone (no database): how another Rust
//! service can test against `domain` and its ports.

use std::sync::Arc;

use actix_web::test::{call_service, init_service, read_body_json, TestRequest};
use actix_web::web;
use domain::access::{Actor, MockCredentials, Role};
use domain::services::Services;
use domain::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use time::OffsetDateTime;

fn services_with_viewer() -> Services {
    let mut uow = MockUnitOfWork::default();
    uow.actors
        .expect_find_by_token_hash()
        .withf(|hash| hash == "hashed:viewer-token")
        .returning(|_| {
            Ok(Some(Actor {
                id: domain::typed_ids::ActorId::from_stored("act_01JD0000000000000000000000"),
                name: "Nadia (viewer)".into(),
                roles: vec![Role::Viewer],
                active: true,
                created_at: OffsetDateTime::UNIX_EPOCH,
                updated_at: OffsetDateTime::UNIX_EPOCH,
            }))
        });
    uow.actors
        .expect_find_by_token_hash()
        .returning(|_| Ok(None));
    let mut credentials = MockCredentials::new();
    credentials
        .expect_hash_token()
        .returning(|token| format!("hashed:{token}"));
    let mut ports = ports(
        MockTransactions::new(uow),
        fixed_clock(OffsetDateTime::UNIX_EPOCH),
    );
    ports.credentials = Arc::new(credentials);
    Services::new(ports)
}

#[actix_web::test]
async fn a_viewer_authenticated_through_mocked_ports_reads_me_but_cannot_ping_admin() {
    let app = init_service(http_actix::app(
        web::Data::new(services_with_viewer()),
        web::Data::new(http_actix::network::HttpSettings::default()),
    ))
    .await;
    let me = call_service(
        &app,
        TestRequest::get()
            .uri("/api/v1/me")
            .insert_header(("authorization", "Bearer viewer-token"))
            .to_request(),
    )
    .await;
    assert_eq!(me.status(), 200);
    let body: serde_json::Value = read_body_json(me).await;
    assert_eq!(body["roles"], serde_json::json!(["viewer"]));

    let ping = call_service(
        &app,
        TestRequest::get()
            .uri("/api/v1/admin/ping")
            .insert_header(("authorization", "Bearer viewer-token"))
            .to_request(),
    )
    .await;
    assert_eq!(ping.status(), 403);

    let stranger = call_service(
        &app,
        TestRequest::get()
            .uri("/api/v1/me")
            .insert_header(("authorization", "Bearer unknown"))
            .to_request(),
    )
    .await;
    assert_eq!(stranger.status(), 401);
}
