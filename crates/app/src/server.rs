//! Starts the HTTP server and stops everything cleanly on Ctrl-C or SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, HttpServer};
use domain::clock::SystemClock;
use http_actix::readiness::ReadinessProbe;

use crate::config::Config;
use crate::database;
use crate::metrics;
use crate::readiness::PgReadiness;
use crate::scheduler;
use crate::secrets::{token_secret, webhook_key};
use crate::wiring;

/// Longest wait for a request's line and headers.
const HEAD_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Database start, connection or migration.
    #[error(transparent)]
    Database(#[from] database::DatabaseError),
    /// Files of the data folder.
    #[error("data folder: {0}")]
    Io(#[from] std::io::Error),
    /// A use case failed at start.
    #[error("start-up: {0}")]
    Domain(#[from] domain::Error),
}

/// Runs the server until a shutdown signal, then stops the embedded cluster if any.
pub async fn run(config: Config) -> Result<(), ServerError> {
    let data_dir = config.data_dir.clone();
    let url = config.database_url.clone();
    let pool_size = config.pool_size;
    let mut db = web::block(move || database::open(url.as_deref(), &data_dir, pool_size))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    let secret = token_secret(config.token_secret.as_deref(), &config.data_dir)?;
    let services = wiring::services(
        db.store.clone(),
        Arc::new(SystemClock),
        &secret,
        config.settings.clone(),
        wiring::otp_sender(&config.otp_sender),
    )?;
    if config.settings.landing_otp && config.otp_sender == crate::config::OtpSenderConfig::Log {
        tracing::warn!("MTF_LANDING_OTP=on with the log sender: codes are written to the log, not sent (development only)");
    }
    let key = webhook_key(config.webhooks.key, &config.data_dir)?;
    let webhooks = wiring::webhooks(
        db.store.clone(),
        services.ports.clock.clone(),
        &key,
        config.webhooks.settings.clone(),
    );
    let bootstrap = config.bootstrap_admin_token.clone();
    let access = services.access.clone();
    let created = web::block(move || access.ensure_bootstrap_admin(bootstrap.as_deref()))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    if let Some(token) = created {
        // Printed once, on the very first start, so an operator can log in.
        println!("First admin created. Bearer token (shown only once): {token}");
    }
    // Invoices issued before documents were fixed at issue take the seller identity of this
    // first start after the migration (decision 0200); later starts change nothing.
    let invoices = services.invoices.clone();
    let adopted = web::block(move || invoices.adopt_legacy_seller())
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    if adopted {
        tracing::info!("invoices issued before this version now name the configured seller identity (MTF_SELLER_*)");
    }
    // The daily dunning run at MTF_DUNNING_AT, Morocco time, with its start-up catch-up
    // (MTF_DUNNING_SCHEDULE=off disables both on this instance).
    let schedule = config.dunning_schedule.then(|| {
        scheduler::spawn(
            services.dunning.clone(),
            services.ports.clock.clone(),
            config.dunning_at,
            scheduler::FIRST_RUN_DELAY,
        )
    });
    // The daily purge of expired working data, on every instance (SKIP LOCKED batches).
    let purge = scheduler::spawn_purge(
        services.retention.clone(),
        scheduler::FIRST_RUN_DELAY,
        scheduler::DAILY,
    );
    // Webhook delivery on every instance that has not turned it off (claims are SKIP LOCKED,
    // the dispatcher's cursor row is locked; decision 0273).
    let webhook_worker = config
        .webhooks
        .worker_enabled
        .then(|| crate::webhooks::worker::spawn(webhooks.clone(), config.webhooks.worker));
    if config.webhooks.settings.allow_private {
        tracing::warn!(
            "MTF_WEBHOOK_ALLOW_PRIVATE=1: webhooks may reach loopback and private addresses"
        );
    }
    // Clearance by the tax authority on every instance that has not turned its worker off
    // (claims are SKIP LOCKED with a lease; decision 0312).
    let clearance_worker = match crate::wiring::tax_authority(
        &config.einvoicing,
        services.ports.clock.clone(),
    ) {
        Some((authority, _)) if config.einvoicing.worker_enabled => {
            let worker = crate::wiring::clearance_worker(
                &services.ports,
                authority,
                config.einvoicing.clearance,
            );
            tracing::info!(mode = ?config.einvoicing.mode, "e-invoicing on: documents are offered once cleared");
            Some(crate::einvoicing::worker::spawn(
                worker,
                config.einvoicing.poll,
            ))
        }
        _ => None,
    };
    // The archive's sealer on every instance that has not turned it off (each series' head
    // row is locked SKIP LOCKED; decision 0322).
    let archive = wiring::archive(&services);
    let sealer = config
        .sealer
        .enabled
        .then(|| crate::sealer::spawn(archive.clone(), config.sealer));
    http_actix::blocking::admit_at_most(config.db_concurrency);
    let metrics_server = match &config.metrics_bind {
        None => None,
        Some(bind) => {
            let (server, addrs) = metrics::serve(bind, metrics::install(), db.store.clone())?;
            tracing::info!(bind = ?addrs, "metrics listening on /metrics");
            let handle = server.handle();
            tokio::spawn(server);
            Some(handle)
        }
    };
    let readiness: web::Data<dyn ReadinessProbe> =
        web::Data::from(Arc::new(PgReadiness::new(db.store.clone())) as Arc<dyn ReadinessProbe>);
    let services = web::Data::new(services);
    let webhooks = web::Data::new(webhooks);
    let archive = web::Data::new(archive);
    let network = web::Data::new(config.network.clone());
    tracing::info!(
        trusted_gateways = ?config.network.trusted_gateways,
        trusted_proxies = ?config.network.trusted_proxies,
        "X-Actor-Id honoured from the trusted gateways; forwarded addresses from the trusted proxies"
    );
    let mut server = HttpServer::new(move || {
        http_actix::app(services.clone(), network.clone())
            .app_data(readiness.clone())
            .app_data(webhooks.clone())
            .app_data(archive.clone())
    })
    // The request head must arrive within this; the body has its own time-out
    // (`MTF_BODY_READ_TIMEOUT_SECS`, read by the JSON extractor).
    .client_request_timeout(HEAD_READ_TIMEOUT);
    if let Some(workers) = config.workers {
        server = server.workers(workers);
    }
    let server = server.bind(&config.bind)?;
    tracing::info!(bind = %config.bind, "MT-Facturation listening");
    // actix-web stops gracefully on SIGINT and SIGTERM.
    let result = server.run().await;
    if let Some(schedule) = schedule {
        schedule.abort();
    }
    purge.abort();
    if let Some(sealer) = sealer {
        sealer.abort();
    }
    for task in webhook_worker.into_iter().flatten() {
        task.abort();
    }
    if let Some(task) = clearance_worker {
        task.abort();
    }
    if let Some(metrics_server) = metrics_server {
        metrics_server.stop(true).await;
    }
    if let Some(cluster) = db.cluster.as_mut() {
        cluster.stop();
        tracing::info!("embedded PostgreSQL stopped");
    }
    result.map_err(ServerError::from)
}
