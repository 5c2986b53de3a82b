//! Test support: a fresh database per test, the real application over it, and request helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod clock;
pub mod pdf_text;
pub mod routes;
pub mod seed;

use std::sync::Arc;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use actix_web::web;
use adapters_postgres::testing::{fresh_database, TestDatabase};
use adapters_postgres::PgStore;
use domain::archive::ArchiveService;
use domain::services::Services;
use domain::settings::Settings;
use domain::webhooks::{RetrySchedule, WebhookService, WebhookSettings};
use http_actix::network::HttpSettings;
use serde_json::Value;
use time::macros::datetime;

pub use clock::ManualClock;

/// The TCP peer of test requests unless [`Call::peer`] says otherwise: loopback, like a local
/// gateway.
pub const DEFAULT_PEER: &str = "127.0.0.1:40000";

/// Bearer token of the admin every test app starts with.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// The application over its own database, with a manual clock.
pub struct TestApp {
    pub services: web::Data<Services>,
    /// Trusted gateways and proxies (the server's defaults unless a test changes them).
    pub network: web::Data<HttpSettings>,
    pub clock: Arc<ManualClock>,
    pub store: PgStore,
    pub db: TestDatabase,
    /// Every one-time code "sent" (the tests read codes here instead of a phone).
    pub otp: Arc<RecordingOtpSender>,
    /// The webhook use cases, on the system clock, internal addresses allowed (the tests'
    /// receivers listen on loopback) and [`test_webhook_settings`].
    pub webhooks: web::Data<WebhookService>,
    /// The archive's sealer and verification, over the same ports as `services`.
    pub archive: web::Data<ArchiveService>,
}

/// The webhook key of test apps.
pub const WEBHOOK_KEY: [u8; 32] = [42; 32];

/// Webhook settings of the tests: loopback receivers allowed, retries 100 ms apart, a
/// 5-second lease.
pub fn test_webhook_settings() -> WebhookSettings {
    WebhookSettings {
        allow_private: true,
        retry_schedule: RetrySchedule::parse("100ms,100ms,100ms,100ms").unwrap(),
        lease: std::time::Duration::from_secs(5),
        ..WebhookSettings::default()
    }
}

/// An `OtpSender` that keeps the messages; sends by SMS and e-mail.
#[derive(Default)]
pub struct RecordingOtpSender {
    pub sent: std::sync::Mutex<Vec<domain::landing::OtpMessage>>,
}

impl domain::landing::OtpSender for RecordingOtpSender {
    fn supports(&self, _channel: domain::landing::OtpChannel) -> bool {
        true
    }

    fn send(&self, message: &domain::landing::OtpMessage) -> domain::Result<()> {
        self.sent
            .lock()
            .expect("otp messages")
            .push(message.clone());
        Ok(())
    }
}

/// What a request answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics with the body text if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "status {} body is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The problem `code` of an error answer.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status,
            expected,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// Asserts a problem+json answer with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> &Self {
        self.assert_status(status);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json")
        );
        assert_eq!(
            self.code(),
            code,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// The fields named in a validation problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A request being built.
pub struct Call<'a> {
    app: &'a TestApp,
    request: TestRequest,
    instance: Option<web::Data<Services>>,
    webhooks: Option<web::Data<WebhookService>>,
}

impl<'a> Call<'a> {
    /// Authenticates with a bearer token.
    pub fn token(mut self, token: &str) -> Self {
        self.request = self
            .request
            .insert_header(("authorization", format!("Bearer {token}")));
        self
    }

    /// Authenticates as the test admin.
    pub fn admin(self) -> Self {
        self.token(ADMIN_TOKEN)
    }

    /// Sends from this TCP peer (`ip:port`); requests come from [`DEFAULT_PEER`] otherwise.
    pub fn peer(mut self, addr: &str) -> Self {
        self.request = self.request.peer_addr(addr.parse().unwrap());
        self
    }

    /// Sends to another server instance over the same database (see
    /// [`TestApp::other_instance`]) instead of this app's.
    pub fn on(mut self, instance: &web::Data<Services>) -> Self {
        self.instance = Some(instance.clone());
        self
    }

    /// Sends to an application whose webhook use cases are these (other settings).
    pub fn with_webhooks(mut self, webhooks: &web::Data<WebhookService>) -> Self {
        self.webhooks = Some(webhooks.clone());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.insert_header((
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        ));
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &Value) -> Self {
        self.request = self.request.set_json(body);
        self
    }

    /// Sets a raw body with a content type.
    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.request = self
            .request
            .insert_header(("content-type", content_type))
            .set_payload(body.into());
        self
    }

    /// Sends it through the whole application.
    pub async fn send(self) -> Answer {
        let services = self.instance.unwrap_or_else(|| self.app.services.clone());
        // The readiness probe over this app's database, registered as the server does.
        let probe: Arc<dyn http_actix::readiness::ReadinessProbe> =
            Arc::new(app::readiness::PgReadiness::new(self.app.store.clone()));
        let service = test::init_service(
            http_actix::app(services, self.app.network.clone())
                .app_data(web::Data::from(probe))
                .app_data(self.webhooks.unwrap_or_else(|| self.app.webhooks.clone()))
                .app_data(self.app.archive.clone()),
        )
        .await;
        let response = test::call_service(&service, self.request.to_request()).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = test::read_body(response).await.to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }
}

impl TestApp {
    /// A new application over a fresh database, clock at 2026-03-10 09:00 UTC, with an admin
    /// whose token is [`ADMIN_TOKEN`].
    pub async fn new() -> TestApp {
        Self::with_settings(Settings::default()).await
    }

    /// Same, with business settings.
    pub async fn with_settings(settings: Settings) -> TestApp {
        let db = fresh_database();
        // Encoding events as the server does, for tests that build services on the store.
        let store = PgStore::connect(&db.url, 8)
            .expect("pool")
            .with_event_encoder(Arc::new(http_actix::event_encoder::ApiEventEncoder));
        let clock = Arc::new(ManualClock::new(datetime!(2026-03-10 09:00 UTC)));
        let otp = Arc::new(RecordingOtpSender::default());
        let services = app::wiring::services(
            store.clone(),
            clock.clone(),
            b"test-secret-test-secret-test-secret",
            settings,
            otp.clone(),
        )
        .expect("services");
        services
            .access
            .ensure_bootstrap_admin(Some(ADMIN_TOKEN))
            .expect("bootstrap admin");
        // As the server does at start.
        services
            .invoices
            .adopt_legacy_seller()
            .expect("seller identity of earlier invoices");
        let webhooks = web::Data::new(app::wiring::webhooks(
            store.clone(),
            Arc::new(domain::clock::SystemClock),
            &WEBHOOK_KEY,
            test_webhook_settings(),
        ));
        let archive = web::Data::new(app::wiring::archive(&services));
        TestApp {
            webhooks,
            archive,
            services: web::Data::new(services),
            network: web::Data::new(HttpSettings::default()),
            clock,
            store,
            db,
            otp,
        }
    }

    /// The one-time codes sent so far, oldest first.
    pub fn otp_messages(&self) -> Vec<domain::landing::OtpMessage> {
        self.otp.sent.lock().expect("otp messages").clone()
    }

    /// A request with any method to a path under `/api/v1` (or absolute when it starts
    /// with `/api`, `/docs` or `/`).
    pub fn call(&self, method: Method, path: &str) -> Call<'_> {
        let uri = if path.starts_with("/api") || path.starts_with("/docs") || path == "/" {
            path.to_owned()
        } else {
            format!("/api/v1{path}")
        };
        Call {
            app: self,
            request: TestRequest::default()
                .method(method)
                .uri(&uri)
                .peer_addr(DEFAULT_PEER.parse().unwrap()),
            instance: None,
            webhooks: None,
        }
    }

    /// A second server instance over the same database and clock, with its own in-memory
    /// caches: what another instance behind the load balancer would see.
    pub fn other_instance(&self) -> web::Data<Services> {
        let services = app::wiring::services(
            self.store.clone(),
            self.clock.clone(),
            b"test-secret-test-secret-test-secret",
            self.services.ports.settings.as_ref().clone(),
            self.otp.clone(),
        )
        .expect("services");
        web::Data::new(services)
    }

    /// Another server instance over the same database and clock whose settings differ:
    /// what the application serves after a restart with a changed configuration.
    pub fn restarted_with(&self, settings: Settings) -> web::Data<Services> {
        let services = app::wiring::services(
            self.store.clone(),
            self.clock.clone(),
            b"test-secret-test-secret-test-secret",
            settings,
            self.otp.clone(),
        )
        .expect("services");
        web::Data::new(services)
    }

    /// Webhook use cases over this app's database with other settings.
    pub fn webhooks_with(&self, settings: WebhookSettings) -> web::Data<WebhookService> {
        web::Data::new(app::wiring::webhooks(
            self.store.clone(),
            Arc::new(domain::clock::SystemClock),
            &WEBHOOK_KEY,
            settings,
        ))
    }

    /// Trusts these gateway addresses (CIDRs) instead of loopback.
    pub fn trust_gateways(&mut self, cidrs: &str) {
        self.network = web::Data::new(HttpSettings {
            trusted_gateways: http_actix::network::parse_cidrs(cidrs).unwrap(),
            ..HttpSettings::default()
        });
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        self.call(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call<'_> {
        self.call(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Call<'_> {
        self.call(Method::PUT, path)
    }

    pub fn patch(&self, path: &str) -> Call<'_> {
        self.call(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        self.call(Method::DELETE, path)
    }

    /// The clock's current instant.
    pub fn clock_now(&self) -> time::OffsetDateTime {
        use domain::clock::Clock;
        self.clock.now()
    }

    /// Creates an actor with these roles and returns its bearer token.
    pub async fn actor_token(&self, roles: &[&str]) -> String {
        self.new_actor(roles).await.1
    }

    /// Creates an actor with these roles and returns its id and bearer token.
    pub async fn new_actor(&self, roles: &[&str]) -> (String, String) {
        let answer = self
            .post("/admin/actors")
            .admin()
            .json(&serde_json::json!({"name": format!("{roles:?}"), "roles": roles}))
            .send()
            .await;
        answer.assert_status(201);
        let body = answer.json();
        (
            body["id"].as_str().unwrap().to_owned(),
            body["token"].as_str().unwrap().to_owned(),
        )
    }

    /// The id of the test admin.
    pub async fn admin_id(&self) -> String {
        let me = self.get("/me").admin().send().await.json();
        me["actor_id"].as_str().unwrap().to_owned()
    }

    /// Runs SQL directly on this test's database (seeding, inspection).
    pub fn sql(&self, statement: &str) {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = diesel::PgConnection::establish(&self.db.url).unwrap();
        diesel::sql_query(statement).execute(&mut conn).unwrap();
    }

    /// Runs a `SELECT count(*) …` and returns the count.
    pub fn count(&self, query: &str) -> i64 {
        use diesel::sql_types::BigInt;
        use diesel::{Connection, QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            count: i64,
        }
        let mut conn = diesel::PgConnection::establish(&self.db.url).unwrap();
        let row: Count = diesel::sql_query(format!("SELECT ({query})::bigint AS count"))
            .get_result(&mut conn)
            .unwrap();
        row.count
    }
}
