//! Builds the use-case services over the real adapters.

use std::sync::Arc;

use adapters_pdf::GenPdfRenderer;
use adapters_postgres::{PgKeyLocks, PgStore};
use adapters_ubl::UblDocuments;
use domain::archive::ArchiveService;
use domain::clock::Clock;
use domain::einvoicing::{ClearanceSettings, ClearanceWorker, TaxAuthority};
use domain::ids::UlidGenerator;
use domain::landing::OtpSender;
use domain::ports::Ports;
use domain::services::Services;
use domain::settings::Settings;
use domain::webhooks::{WebhookService, WebhookSettings};
use http_actix::event_encoder::ApiEventEncoder;

use crate::config::OtpSenderConfig;
use crate::crypto::{HmacOtpCodes, HmacTokens, Sha256Credentials};
use crate::einvoicing::{
    EinvoicingConfig, EinvoicingMode, HttpTaxAuthority, Simulator, SimulatorHandle,
};
use crate::otp::{HttpSmsSender, LogOtpSender};
use crate::webhooks::AesSecretCipher;

/// Every service over PostgreSQL, the given clock, the token secret (which also keys the
/// one-time-code hashes) and the one-time-code sender.
pub fn services(
    store: PgStore,
    clock: Arc<dyn Clock>,
    token_secret: &[u8],
    settings: Settings,
    otp_sender: Arc<dyn OtpSender>,
) -> domain::Result<Services> {
    let key_locks = Arc::new(PgKeyLocks::new(&store));
    Ok(Services::new(Ports {
        // Events are written with the API's shapes, which only the HTTP adapter knows.
        tx: Arc::new(store.with_event_encoder(Arc::new(ApiEventEncoder))),
        clock,
        ids: Arc::new(UlidGenerator),
        credentials: Arc::new(Sha256Credentials),
        tokens: Arc::new(HmacTokens::new(token_secret.to_vec())),
        renderer: Arc::new(GenPdfRenderer::new()?),
        ubl: Arc::new(UblDocuments::new()),
        settings: Arc::new(settings),
        key_locks,
        otp_sender,
        otp_codes: Arc::new(HmacOtpCodes::new(token_secret.to_vec())),
    }))
}

/// The webhook use cases over PostgreSQL, their secrets sealed under `key`.
pub fn webhooks(
    store: PgStore,
    clock: Arc<dyn Clock>,
    key: &[u8; 32],
    settings: WebhookSettings,
) -> WebhookService {
    WebhookService::new(
        // Webhooks only read events; the encoder is there so the store is the same as the
        // services'.
        Arc::new(store.with_event_encoder(Arc::new(ApiEventEncoder))),
        clock,
        Arc::new(UlidGenerator),
        Arc::new(AesSecretCipher::new(key)),
        settings,
    )
}

/// The configured tax authority, `None` when e-invoicing is off; with the simulator, the
/// handle that steers it.
pub fn tax_authority(
    config: &EinvoicingConfig,
    clock: Arc<dyn Clock>,
) -> Option<(Arc<dyn TaxAuthority>, Option<SimulatorHandle>)> {
    match &config.mode {
        EinvoicingMode::Off => None,
        EinvoicingMode::Simulator => {
            let (simulator, handle) = Simulator::new(clock);
            Some((Arc::new(simulator), Some(handle)))
        }
        EinvoicingMode::Http { url, bearer_token } => Some((
            Arc::new(HttpTaxAuthority::new(
                url.clone(),
                bearer_token.clone(),
                config.timeout,
                clock,
            )),
            None,
        )),
    }
}

/// The clearance worker over the services' ports (storage, clock, UBL renderer): submits
/// through `authority`.
pub fn clearance_worker(
    ports: &Ports,
    authority: Arc<dyn TaxAuthority>,
    settings: ClearanceSettings,
) -> ClearanceWorker {
    ClearanceWorker::new(
        (ports.tx.clone(), ports.clock.clone(), ports.ids.clone()),
        authority,
        ports.ubl.clone(),
        settings,
    )
}

/// The archive's sealing and verification over the services' ports.
pub fn archive(services: &Services) -> ArchiveService {
    ArchiveService::new(&services.ports)
}

/// The configured one-time-code sender.
pub fn otp_sender(config: &OtpSenderConfig) -> Arc<dyn OtpSender> {
    match config {
        OtpSenderConfig::Log => Arc::new(LogOtpSender),
        OtpSenderConfig::SmsHttp { url, bearer_token } => {
            Arc::new(HttpSmsSender::new(url.clone(), bearer_token.clone()))
        }
    }
}
