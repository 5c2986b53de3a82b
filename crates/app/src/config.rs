//! Configuration from the environment (names are part of the operator's contract; see README).

use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::time::Duration;

use domain::billing::MAX_DUE_IN_DAYS;
use domain::collections::schedule::DailyAt;
use domain::documents::SellerIdentity;
use domain::exports::TvaRegime;
use domain::rate_limit::Limit;
use domain::retention::{MIN_EVENT_RETENTION_DAYS, MIN_IDEMPOTENCY_RETENTION_HOURS};
use domain::settings::Settings;
use domain::text::{check_text, TextKind};
use domain::webhooks::{RetrySchedule, WebhookSettings};
use http_actix::network::{parse_cidrs, ForwardedHeader, HttpSettings};
use http_actix::public_links::PublicBaseUrl;

use crate::einvoicing::EinvoicingConfig;
use crate::logging::LogFormat;
use crate::sealer::SealerSettings;
use crate::webhooks::{SenderSettings, WorkerSettings};

/// Largest `MTF_MAX_FUTURE_DAYS`: ten years.
const MAX_FUTURE_DAYS_SETTING: i64 = 3660;

/// Everything the server reads at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `MTF_BIND`, default `127.0.0.1:8080`.
    pub bind: String,
    /// `DATABASE_URL`; when absent the embedded cluster is used.
    pub database_url: Option<String>,
    /// `MTF_DATA_DIR`, default `.data`.
    pub data_dir: PathBuf,
    /// `MTF_BOOTSTRAP_ADMIN_TOKEN`: an admin with this bearer token is ensured at start.
    pub bootstrap_admin_token: Option<String>,
    /// `MTF_TOKEN_SECRET`: signing key of landing tokens; generated in the data dir if absent.
    pub token_secret: Option<String>,
    /// `MTF_DB_POOL_SIZE`, default 16.
    pub pool_size: u32,
    /// `MTF_DB_CONCURRENCY`: requests doing database work at once, the others waiting in
    /// arrival order; default the pool size (decision 0095).
    pub db_concurrency: usize,
    /// `MTF_WORKERS`: HTTP worker threads, default the number of cores.
    pub workers: Option<usize>,
    /// `MTF_VERIFY_CIN_PER_MINUTE` (default 10) and other landing limits (the per-CIN and
    /// drafts-per-address caps live in `settings`).
    pub landing_limits: LandingLimits,
    /// `MTF_DUNNING_SCHEDULE` (`on`/`off`, default on): the daily in-process dunning run.
    pub dunning_schedule: bool,
    /// `MTF_DUNNING_AT` (`HH:MM`, default `02:00`): its local time in Morocco
    /// (Africa/Casablanca, Ramadan's UTC+0 included; decision 0195).
    pub dunning_at: DailyAt,
    /// `MTF_TRUSTED_GATEWAYS` (default loopback), `MTF_TRUSTED_PROXIES` (default none) and
    /// `MTF_FORWARDED_HEADER` (default `x-forwarded-for`), `MTF_BODY_READ_TIMEOUT_SECS`
    /// (default 10).
    pub network: HttpSettings,
    /// Business settings (`MTF_SELLER_*`, `MTF_DUE_IN_DAYS`, `MTF_DRAFT_TTL_DAYS`,
    /// `MTF_DOCUMENT_LINK_TTL_DAYS`, `MTF_VERIFY_CIN_PER_CIN_PER_HOUR`,
    /// `MTF_DRAFTS_PER_ADDRESS`, `MTF_MAX_FUTURE_DAYS`, `MTF_LANDING_OTP`,
    /// `MTF_IDEMPOTENCY_RETENTION_HOURS`, `MTF_EVENT_RETENTION_DAYS`, `MTF_DUNNING_BATCH`).
    pub settings: Settings,
    /// `MTF_OTP_SENDER`, `MTF_OTP_SMS_URL`, `MTF_OTP_SMS_TOKEN`: where one-time codes go.
    pub otp_sender: OtpSenderConfig,
    /// `MTF_METRICS_BIND`: address of the Prometheus listener; unset, no metrics.
    pub metrics_bind: Option<String>,
    /// `MTF_LOG_FORMAT` (`text` or `json`, default text), read again by `logging::init`.
    pub log_format: LogFormat,
    /// `MTF_WEBHOOK_*`: the webhook key, rules, retry schedule and worker.
    pub webhooks: WebhookConfig,
    /// `MTF_EINVOICING*`: clearance of documents by the tax authority (issue #18).
    pub einvoicing: EinvoicingConfig,
    /// `MTF_ARCHIVE_SEALER`, `MTF_ARCHIVE_BATCH`, `MTF_ARCHIVE_POLL_MS`: the archive's sealer.
    pub sealer: SealerSettings,
}

/// Webhook configuration.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `MTF_WEBHOOK_KEY` (32 bytes, base64 or hex); generated in the data folder if absent.
    pub key: Option<[u8; 32]>,
    /// `MTF_WEBHOOK_ALLOW_PRIVATE`, `MTF_WEBHOOK_RETRY_SCHEDULE`,
    /// `MTF_WEBHOOK_DISABLE_AFTER_HOURS`, `MTF_WEBHOOK_LEASE_SECS`.
    pub settings: WebhookSettings,
    /// `MTF_WEBHOOK_WORKER` (`on`/`off`, default on): this instance delivers.
    pub worker_enabled: bool,
    /// `MTF_WEBHOOK_BATCH`, `MTF_WEBHOOK_POLL_MS`, `MTF_WEBHOOK_TIMEOUT_SECS`.
    pub worker: WorkerSettings,
}

/// How one-time codes of `verify-cin` are delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtpSenderConfig {
    /// `log`: written to the server log (development; the default without an SMS URL).
    Log,
    /// `sms-http`: POSTed as JSON `{to, text}` to the gateway (the default with a URL).
    SmsHttp {
        /// `MTF_OTP_SMS_URL`.
        url: String,
        /// `MTF_OTP_SMS_TOKEN`, sent as `Authorization: Bearer …` when set.
        bearer_token: Option<String>,
    },
}

/// Per-client-address limits of the public endpoints.
#[derive(Debug, Clone, Copy)]
pub struct LandingLimits {
    /// `verify-cin` calls per minute.
    pub verify_cin: Limit,
    /// Every other landing call per minute.
    pub other: Limit,
}

/// A configuration value that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration {name}={value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: &'static str,
}

impl ConfigError {
    /// A value named `name` that could not be used, and why.
    pub(crate) fn new(name: &'static str, value: String, reason: &'static str) -> Self {
        Self {
            name,
            value,
            reason,
        }
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `raw` (the environment, or a map in tests). A blank value
    /// counts as unset, except for the trust lists, where set-but-empty means "trust nobody".
    pub fn from_lookup(raw: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let lookup = |name: &str| raw(name).filter(|v| !v.trim().is_empty());
        let number = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(value) => {
                    value
                        .trim()
                        .parse::<i64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or(ConfigError {
                            name,
                            value,
                            reason: "expected a positive whole number",
                        })
                }
            }
        };
        // Bounded settings: days, so that date arithmetic on them stays in the calendar, and
        // time-outs.
        let bounded = |name: &'static str, default: i64, max: i64, reason: &'static str| {
            let value = number(name, default)?;
            if value > max {
                return Err(ConfigError {
                    name,
                    value: value.to_string(),
                    reason,
                });
            }
            Ok(value)
        };
        let defaults = Settings::default();
        // Printed on every document: refused at start-up rather than printed as `?`.
        let printed = |name: &'static str, default: &str| match lookup(name) {
            None => Ok(default.to_owned()),
            Some(value) => match check_text(&value, TextKind::Printed) {
                Ok(()) => Ok(value),
                Err(_) => Err(ConfigError {
                    name,
                    value,
                    reason: "printed on every document: Latin script (Windows-1252) only, \
                             without control or bidi formatting characters",
                }),
            },
        };
        let seller = SellerIdentity {
            name: printed("MTF_SELLER_NAME", &defaults.seller.name)?,
            address: printed("MTF_SELLER_ADDRESS", &defaults.seller.address)?,
            ice: printed("MTF_SELLER_ICE", &defaults.seller.ice)?,
            if_number: printed("MTF_SELLER_IF", &defaults.seller.if_number)?,
            rc: printed("MTF_SELLER_RC", &defaults.seller.rc)?,
            tva_number: printed("MTF_SELLER_TVA", &defaults.seller.tva_number)?,
            tp: printed("MTF_SELLER_TP", &defaults.seller.tp)?,
        };
        let verify_cin_per_minute = number("MTF_VERIFY_CIN_PER_MINUTE", 10)?;
        let landing_per_minute = number("MTF_LANDING_PER_MINUTE", 120)?;
        let idempotency_retention_hours = number(
            "MTF_IDEMPOTENCY_RETENTION_HOURS",
            defaults.idempotency_retention_hours,
        )?;
        // A client retrying within a day must get its stored answer back, not a second write.
        if idempotency_retention_hours < MIN_IDEMPOTENCY_RETENTION_HOURS {
            return Err(ConfigError {
                name: "MTF_IDEMPOTENCY_RETENTION_HOURS",
                value: idempotency_retention_hours.to_string(),
                reason: "expected at least 24 (hours)",
            });
        }
        let event_retention_days =
            number("MTF_EVENT_RETENTION_DAYS", defaults.event_retention_days)?;
        let dunning_batch_size = number("MTF_DUNNING_BATCH", defaults.dunning_batch_size)?;
        // Consumers are promised a month to catch up on the feed or replay a webhook.
        if event_retention_days < MIN_EVENT_RETENTION_DAYS {
            return Err(ConfigError {
                name: "MTF_EVENT_RETENTION_DAYS",
                value: event_retention_days.to_string(),
                reason: "expected at least 30 (days)",
            });
        }
        let einvoicing = EinvoicingConfig::from_lookup(&lookup)?;
        let settings = Settings {
            seller,
            due_in_days: bounded(
                "MTF_DUE_IN_DAYS",
                defaults.due_in_days,
                MAX_DUE_IN_DAYS,
                "expected a whole number from 1 to 365",
            )?,
            draft_ttl_days: number("MTF_DRAFT_TTL_DAYS", defaults.draft_ttl_days)?,
            document_link_ttl_days: number(
                "MTF_DOCUMENT_LINK_TTL_DAYS",
                defaults.document_link_ttl_days,
            )?,
            lookup_token_ttl_minutes: defaults.lookup_token_ttl_minutes,
            dunning_ladder: defaults.dunning_ladder,
            verify_cin_per_minute,
            landing_per_minute,
            verify_cin_per_cin_per_hour: number(
                "MTF_VERIFY_CIN_PER_CIN_PER_HOUR",
                defaults.verify_cin_per_cin_per_hour,
            )?,
            drafts_per_address: number("MTF_DRAFTS_PER_ADDRESS", defaults.drafts_per_address)?,
            max_future_days: bounded(
                "MTF_MAX_FUTURE_DAYS",
                defaults.max_future_days,
                MAX_FUTURE_DAYS_SETTING,
                "expected a whole number from 1 to 3660",
            )?,
            landing_otp: match lookup("MTF_LANDING_OTP").as_deref().map(str::trim) {
                None | Some("off") => false,
                Some("on") => true,
                Some(other) => {
                    return Err(ConfigError {
                        name: "MTF_LANDING_OTP",
                        value: other.to_owned(),
                        reason: "expected on or off",
                    })
                }
            },
            idempotency_retention_hours,
            tva_regime: match lookup("MTF_TVA_REGIME") {
                None => defaults.tva_regime,
                Some(raw) => TvaRegime::parse(&raw).map_err(|_| ConfigError {
                    name: "MTF_TVA_REGIME",
                    value: raw.clone(),
                    reason: "expected debits or encaissements",
                })?,
            },
            event_retention_days,
            einvoicing: einvoicing.enabled(),
            dunning_batch_size,
        };
        let sms_url = lookup("MTF_OTP_SMS_URL").map(|u| u.trim().to_owned());
        let otp_sender = match (lookup("MTF_OTP_SENDER").as_deref().map(str::trim), sms_url) {
            (Some("log"), _) | (None, None) => OtpSenderConfig::Log,
            (Some("sms-http") | None, Some(url)) => {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(ConfigError {
                        name: "MTF_OTP_SMS_URL",
                        value: url,
                        reason: "expected an http:// or https:// URL",
                    });
                }
                OtpSenderConfig::SmsHttp {
                    url,
                    bearer_token: lookup("MTF_OTP_SMS_TOKEN"),
                }
            }
            (Some("sms-http"), None) => {
                return Err(ConfigError {
                    name: "MTF_OTP_SMS_URL",
                    value: String::new(),
                    reason: "required with MTF_OTP_SENDER=sms-http",
                })
            }
            (Some(other), _) => {
                return Err(ConfigError {
                    name: "MTF_OTP_SENDER",
                    value: other.to_owned(),
                    reason: "expected log or sms-http",
                })
            }
        };
        let on_off =
            |name: &'static str, default: bool| match lookup(name).as_deref().map(str::trim) {
                None => Ok(default),
                Some("on" | "true" | "1") => Ok(true),
                Some("off" | "false" | "0") => Ok(false),
                Some(other) => Err(ConfigError {
                    name,
                    value: other.to_owned(),
                    reason: "expected on or off (1 or 0)",
                }),
            };
        let webhook_defaults = WebhookSettings::default();
        let allow_private = on_off("MTF_WEBHOOK_ALLOW_PRIVATE", false)?;
        let sealer = SealerSettings {
            enabled: on_off("MTF_ARCHIVE_SEALER", true)?,
            batch: usize::try_from(bounded(
                "MTF_ARCHIVE_BATCH",
                100,
                1_000,
                "expected a whole number from 1 to 1000",
            )?)
            .unwrap_or(100),
            poll: Duration::from_millis(
                u64::try_from(bounded(
                    "MTF_ARCHIVE_POLL_MS",
                    1_000,
                    60_000,
                    "expected milliseconds from 1 to 60000",
                )?)
                .unwrap_or(1_000),
            ),
        };
        let webhooks = WebhookConfig {
            key: match lookup("MTF_WEBHOOK_KEY") {
                None => None,
                Some(value) => Some(crate::webhooks::cipher::parse_key(&value).ok_or(
                    ConfigError {
                        name: "MTF_WEBHOOK_KEY",
                        value: "(hidden)".to_owned(),
                        reason: "expected 32 bytes as 64 hex digits or base64",
                    },
                )?),
            },
            settings: WebhookSettings {
                allow_private,
                retry_schedule: match lookup("MTF_WEBHOOK_RETRY_SCHEDULE") {
                    None => RetrySchedule::standard(),
                    Some(value) => RetrySchedule::parse(&value).map_err(|_| ConfigError {
                        name: "MTF_WEBHOOK_RETRY_SCHEDULE",
                        value,
                        reason: "expected delays such as 5s,30s,2m,10m,1h,6h,24h",
                    })?,
                },
                disable_after: Duration::from_secs(
                    u64::try_from(bounded(
                        "MTF_WEBHOOK_DISABLE_AFTER_HOURS",
                        72,
                        24 * 365,
                        "expected a whole number of hours from 1 to 8760",
                    )?)
                    .unwrap_or(72)
                        * 3_600,
                ),
                lease: Duration::from_secs(
                    u64::try_from(bounded(
                        "MTF_WEBHOOK_LEASE_SECS",
                        60,
                        3_600,
                        "expected a whole number of seconds from 1 to 3600",
                    )?)
                    .unwrap_or(60),
                ),
                ..webhook_defaults
            },
            worker_enabled: on_off("MTF_WEBHOOK_WORKER", true)?,
            worker: WorkerSettings {
                batch: usize::try_from(bounded(
                    "MTF_WEBHOOK_BATCH",
                    64,
                    1_000,
                    "expected a whole number from 1 to 1000",
                )?)
                .unwrap_or(64),
                poll: Duration::from_millis(
                    u64::try_from(bounded(
                        "MTF_WEBHOOK_POLL_MS",
                        250,
                        60_000,
                        "expected milliseconds from 1 to 60000",
                    )?)
                    .unwrap_or(250),
                ),
                dispatch_batch: 1_000,
                sender: SenderSettings {
                    timeout: Duration::from_secs(
                        u64::try_from(bounded(
                            "MTF_WEBHOOK_TIMEOUT_SECS",
                            10,
                            60,
                            "expected a whole number of seconds from 1 to 60",
                        )?)
                        .unwrap_or(10),
                    ),
                    allow_private,
                },
            },
        };
        // A lease shorter than a request would let a second worker send while the first waits.
        if webhooks.settings.lease <= webhooks.worker.sender.timeout {
            return Err(ConfigError {
                name: "MTF_WEBHOOK_LEASE_SECS",
                value: webhooks.settings.lease.as_secs().to_string(),
                reason: "must be longer than MTF_WEBHOOK_TIMEOUT_SECS",
            });
        }
        let dunning_schedule = match lookup("MTF_DUNNING_SCHEDULE").as_deref() {
            None | Some("on") | Some("true") | Some("1") => true,
            Some("off") | Some("false") | Some("0") => false,
            Some(other) => {
                return Err(ConfigError {
                    name: "MTF_DUNNING_SCHEDULE",
                    value: other.to_owned(),
                    reason: "expected on or off",
                })
            }
        };
        let dunning_at = match lookup("MTF_DUNNING_AT") {
            None => DailyAt::DEFAULT,
            Some(value) => DailyAt::parse(&value).map_err(|_| ConfigError {
                name: "MTF_DUNNING_AT",
                value,
                reason: "expected a local time of day HH:MM, 00:00 to 23:59",
            })?,
        };
        let cidrs = |name: &'static str, default: Vec<ipnet::IpNet>| match raw(name) {
            None => Ok(default),
            Some(value) => parse_cidrs(&value).map_err(|_| ConfigError {
                name,
                value,
                reason: "expected a comma-separated list of CIDRs or addresses",
            }),
        };
        let network = HttpSettings {
            trusted_gateways: cidrs(
                "MTF_TRUSTED_GATEWAYS",
                HttpSettings::default().trusted_gateways,
            )?,
            trusted_proxies: cidrs("MTF_TRUSTED_PROXIES", Vec::new())?,
            forwarded_header: match lookup("MTF_FORWARDED_HEADER") {
                None => ForwardedHeader::default(),
                Some(value) => ForwardedHeader::parse(&value).ok_or(ConfigError {
                    name: "MTF_FORWARDED_HEADER",
                    value,
                    reason: "expected x-forwarded-for or forwarded",
                })?,
            },
            body_read_timeout: Duration::from_secs(
                u64::try_from(bounded(
                    "MTF_BODY_READ_TIMEOUT_SECS",
                    10,
                    300,
                    "expected a whole number of seconds from 1 to 300",
                )?)
                .unwrap_or(10),
            ),
            public_base_url: match lookup("MTF_PUBLIC_BASE_URL") {
                None => None,
                Some(value) => {
                    Some(PublicBaseUrl::parse(&value).map_err(|reason| ConfigError {
                        name: "MTF_PUBLIC_BASE_URL",
                        value,
                        reason,
                    })?)
                }
            },
        };
        let log_format = match lookup("MTF_LOG_FORMAT") {
            None => LogFormat::default(),
            Some(value) => LogFormat::parse(&value).ok_or(ConfigError {
                name: "MTF_LOG_FORMAT",
                value,
                reason: "expected text or json",
            })?,
        };
        let metrics_bind = match lookup("MTF_METRICS_BIND") {
            None => None,
            Some(value) => {
                let value = value.trim().to_owned();
                if value.to_socket_addrs().is_err() {
                    return Err(ConfigError {
                        name: "MTF_METRICS_BIND",
                        value,
                        reason: "expected host:port",
                    });
                }
                Some(value)
            }
        };
        let pool_size = u32::try_from(number("MTF_DB_POOL_SIZE", 16)?).unwrap_or(16);
        Ok(Config {
            bind: lookup("MTF_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url: lookup("DATABASE_URL"),
            data_dir: PathBuf::from(lookup("MTF_DATA_DIR").unwrap_or_else(|| ".data".into())),
            bootstrap_admin_token: lookup("MTF_BOOTSTRAP_ADMIN_TOKEN"),
            token_secret: lookup("MTF_TOKEN_SECRET"),
            pool_size,
            db_concurrency: usize::try_from(number("MTF_DB_CONCURRENCY", i64::from(pool_size))?)
                .unwrap_or(1),
            workers: lookup("MTF_WORKERS").and_then(|v| v.parse().ok()),
            landing_limits: LandingLimits {
                verify_cin: Limit {
                    max: verify_cin_per_minute,
                    window_secs: 60,
                },
                other: Limit {
                    max: landing_per_minute,
                    window_secs: 60,
                },
            },
            dunning_schedule,
            dunning_at,
            network,
            settings,
            otp_sender,
            metrics_bind,
            log_format,
            webhooks,
            einvoicing,
            sealer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_environment() {
        let c = config(&[]).map_err(|e| e.to_string());
        let c = c
            .as_ref()
            .map(|c| (c.bind.clone(), c.database_url.clone(), c.data_dir.clone()));
        assert_eq!(
            c,
            Ok(("127.0.0.1:8080".into(), None, PathBuf::from(".data")))
        );
    }

    #[test]
    fn tva_regime_defaults_to_encaissements_and_names_a_bad_value() {
        let regime = |vars: &[(&str, &str)]| config(vars).map(|c| c.settings.tva_regime);
        assert_eq!(regime(&[]).ok(), Some(TvaRegime::Encaissements));
        assert_eq!(
            regime(&[("MTF_TVA_REGIME", "debits")]).ok(),
            Some(TvaRegime::Debits)
        );
        let error = regime(&[("MTF_TVA_REGIME", "monthly")]).map_err(|e| e.to_string());
        assert!(
            matches!(&error, Err(e) if e.contains("MTF_TVA_REGIME")),
            "{error:?}"
        );
    }

    #[test]
    fn idempotency_retention_defaults_to_a_week_and_is_never_below_a_day() {
        assert_eq!(
            config(&[])
                .map(|c| c.settings.idempotency_retention_hours)
                .ok(),
            Some(168)
        );
        assert_eq!(
            config(&[("MTF_IDEMPOTENCY_RETENTION_HOURS", "24")])
                .map(|c| c.settings.idempotency_retention_hours)
                .ok(),
            Some(24)
        );
        let error = config(&[("MTF_IDEMPOTENCY_RETENTION_HOURS", "23")]).map(|_| ());
        assert!(
            matches!(&error, Err(e) if e.name == "MTF_IDEMPOTENCY_RETENTION_HOURS"),
            "{error:?}"
        );
    }

    #[test]
    fn the_dunning_batch_defaults_to_five_hundred_clients_and_is_at_least_one() {
        let size = |vars: &[(&str, &str)]| config(vars).map(|c| c.settings.dunning_batch_size);
        assert_eq!(size(&[]).ok(), Some(500));
        assert_eq!(size(&[("MTF_DUNNING_BATCH", "2")]).ok(), Some(2));
        let error = size(&[("MTF_DUNNING_BATCH", "0")]);
        assert!(
            matches!(&error, Err(e) if e.name == "MTF_DUNNING_BATCH"),
            "{error:?}"
        );
    }

    #[test]
    fn event_retention_defaults_to_thirty_days_and_is_never_below() {
        let days = |vars: &[(&str, &str)]| config(vars).map(|c| c.settings.event_retention_days);
        assert_eq!(days(&[]).ok(), Some(30));
        assert_eq!(days(&[("MTF_EVENT_RETENTION_DAYS", "90")]).ok(), Some(90));
        let error = days(&[("MTF_EVENT_RETENTION_DAYS", "29")]);
        assert!(
            matches!(&error, Err(e) if e.name == "MTF_EVENT_RETENTION_DAYS"),
            "{error:?}"
        );
    }

    #[test]
    fn seller_identity_the_documents_cannot_print_is_refused_at_start_up() {
        for (name, value) in [
            ("MTF_SELLER_NAME", "اتصالات المغرب"),
            ("MTF_SELLER_ADDRESS", "Avenue Annakhil\u{1b}[8m"),
            ("MTF_SELLER_TP", "25123456\u{202e}"),
        ] {
            let error = config(&[(name, value)]).unwrap_err();
            assert_eq!(error.name, name);
        }
        let accepted = config(&[("MTF_SELLER_NAME", "Maghreb Télécom S.A.")]).unwrap();
        assert_eq!(accepted.settings.seller.name, "Maghreb Télécom S.A.");
    }

    #[test]
    fn the_seller_tp_comes_from_its_setting() {
        assert_eq!(config(&[]).unwrap().settings.seller.tp, "25123456");
        let set = config(&[("MTF_SELLER_TP", "40512345")]).unwrap();
        assert_eq!(set.settings.seller.tp, "40512345");
    }

    #[test]
    fn bad_numbers_are_reported_with_their_name() {
        let error = config(&[("MTF_DUE_IN_DAYS", "soon")])
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("MTF_DUE_IN_DAYS")));
    }

    #[test]
    fn landing_limits_reach_the_settings_the_http_layer_reads() {
        let c = config(&[
            ("MTF_VERIFY_CIN_PER_MINUTE", "4"),
            ("MTF_LANDING_PER_MINUTE", "50"),
        ])
        .map_err(|e| e.to_string())
        .unwrap();
        assert_eq!(c.settings.verify_cin_per_minute, 4);
        assert_eq!(c.settings.landing_per_minute, 50);
        assert_eq!(c.landing_limits.verify_cin.max, 4);
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert_eq!(defaults.settings.verify_cin_per_minute, 10);
        assert_eq!(defaults.settings.landing_per_minute, 120);
    }

    #[test]
    fn per_cin_and_per_address_draft_caps_are_settings() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.settings.verify_cin_per_cin_per_hour, 20);
        assert_eq!(defaults.settings.drafts_per_address, 20);
        let c = config(&[
            ("MTF_VERIFY_CIN_PER_CIN_PER_HOUR", "5"),
            ("MTF_DRAFTS_PER_ADDRESS", "3"),
        ])
        .unwrap();
        assert_eq!(c.settings.verify_cin_per_cin_per_hour, 5);
        assert_eq!(c.settings.drafts_per_address, 3);
        let bad = config(&[("MTF_DRAFTS_PER_ADDRESS", "0")]).err();
        assert!(bad.is_some_and(|e| e.to_string().contains("MTF_DRAFTS_PER_ADDRESS")));
    }

    #[test]
    fn the_forwarded_header_is_one_of_two_names() {
        let defaults = config(&[]).unwrap();
        assert_eq!(
            defaults.network.forwarded_header,
            ForwardedHeader::XForwardedFor
        );
        let c = config(&[("MTF_FORWARDED_HEADER", "Forwarded")]).unwrap();
        assert_eq!(c.network.forwarded_header, ForwardedHeader::Forwarded);
        let bad = config(&[("MTF_FORWARDED_HEADER", "x-real-ip")]).err();
        assert!(bad.is_some_and(|e| e.to_string().contains("MTF_FORWARDED_HEADER")));
    }

    #[test]
    fn metrics_listener_and_log_format_are_checked_at_start_up() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.metrics_bind, None);
        assert_eq!(defaults.log_format, LogFormat::Text);
        let c = config(&[
            ("MTF_METRICS_BIND", "127.0.0.1:9187"),
            ("MTF_LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(c.metrics_bind.as_deref(), Some("127.0.0.1:9187"));
        assert_eq!(c.log_format, LogFormat::Json);
        let bad = config(&[("MTF_METRICS_BIND", "everywhere")]).err();
        assert!(bad.is_some_and(|e| e.to_string().contains("MTF_METRICS_BIND")));
        let bad = config(&[("MTF_LOG_FORMAT", "xml")]).err();
        assert!(bad.is_some_and(|e| e.to_string().contains("MTF_LOG_FORMAT")));
    }

    #[test]
    fn database_concurrency_defaults_to_the_pool_size() {
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert_eq!((defaults.pool_size, defaults.db_concurrency), (16, 16));
        let pool = config(&[("MTF_DB_POOL_SIZE", "8")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!(pool.db_concurrency, 8);
        let both = config(&[("MTF_DB_POOL_SIZE", "8"), ("MTF_DB_CONCURRENCY", "4")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!(both.db_concurrency, 4);
        let bad = config(&[("MTF_DB_CONCURRENCY", "many")])
            .err()
            .map(|e| e.to_string());
        assert!(bad.is_some_and(|e| e.contains("MTF_DB_CONCURRENCY")));
    }

    #[test]
    fn day_and_time_out_settings_are_bounded() {
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert_eq!(defaults.settings.max_future_days, 366);
        let set = config(&[("MTF_MAX_FUTURE_DAYS", "30"), ("MTF_DUE_IN_DAYS", "30")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!(
            (set.settings.max_future_days, set.settings.due_in_days),
            (30, 30)
        );
        let timeout = config(&[("MTF_BODY_READ_TIMEOUT_SECS", "3")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!(timeout.network.body_read_timeout, Duration::from_secs(3));
        for (name, value) in [
            ("MTF_BODY_READ_TIMEOUT_SECS", "301"),
            ("MTF_MAX_FUTURE_DAYS", "3661"),
            ("MTF_MAX_FUTURE_DAYS", "0"),
            ("MTF_DUE_IN_DAYS", "366"),
            ("MTF_DUE_IN_DAYS", "-1"),
        ] {
            let error = config(&[(name, value)]).err().map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains(name)), "{name}={value}");
        }
    }

    #[test]
    fn the_one_time_code_is_off_by_default_and_its_sender_follows_the_url() {
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert!(!defaults.settings.landing_otp);
        assert_eq!(defaults.otp_sender, OtpSenderConfig::Log);
        let on = config(&[
            ("MTF_LANDING_OTP", "on"),
            ("MTF_OTP_SMS_URL", "https://sms.example.ma/send"),
        ])
        .map_err(|e| e.to_string())
        .unwrap();
        assert!(on.settings.landing_otp);
        assert_eq!(
            on.otp_sender,
            OtpSenderConfig::SmsHttp {
                url: "https://sms.example.ma/send".into(),
                bearer_token: None
            }
        );
        let forced_log = config(&[
            ("MTF_OTP_SENDER", "log"),
            ("MTF_OTP_SMS_URL", "https://sms.example.ma/send"),
        ])
        .map_err(|e| e.to_string())
        .unwrap();
        assert_eq!(forced_log.otp_sender, OtpSenderConfig::Log);
        for (pairs, name) in [
            (vec![("MTF_LANDING_OTP", "yes")], "MTF_LANDING_OTP"),
            (vec![("MTF_OTP_SENDER", "sms-http")], "MTF_OTP_SMS_URL"),
            (vec![("MTF_OTP_SENDER", "pigeon")], "MTF_OTP_SENDER"),
            (
                vec![("MTF_OTP_SMS_URL", "sms.example.ma")],
                "MTF_OTP_SMS_URL",
            ),
        ] {
            let error = config(&pairs).err().map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains(name)), "{name}");
        }
    }

    #[test]
    fn the_dunning_time_defaults_to_two_in_the_morning_and_is_checked() {
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert_eq!(defaults.dunning_at, DailyAt::DEFAULT);
        let set = config(&[("MTF_DUNNING_AT", "05:30")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!(set.dunning_at, DailyAt::parse("05:30").unwrap());
        let bad = config(&[("MTF_DUNNING_AT", "25:00")])
            .err()
            .map(|e| e.to_string());
        assert!(bad.is_some_and(|e| e.contains("MTF_DUNNING_AT")));
    }

    #[test]
    fn the_public_base_url_is_unset_by_default_and_checked_at_start_up() {
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert_eq!(defaults.network.public_base_url, None);
        let set = config(&[("MTF_PUBLIC_BASE_URL", "https://espace.operateur.ma/")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert_eq!(
            set.network.public_base_url.as_ref().map(|b| b.as_str()),
            Some("https://espace.operateur.ma")
        );
        for bad in ["espace.operateur.ma", "https://espace.operateur.ma/?utm=1"] {
            let error = config(&[("MTF_PUBLIC_BASE_URL", bad)])
                .err()
                .map(|e| e.to_string());
            assert!(
                error.is_some_and(|e| e.contains("MTF_PUBLIC_BASE_URL")),
                "{bad}"
            );
        }
    }

    #[test]
    fn trust_lists_default_to_loopback_gateways_and_no_proxy() {
        let defaults = config(&[]).map_err(|e| e.to_string()).unwrap();
        assert_eq!(defaults.network, HttpSettings::default());
        let nobody = config(&[("MTF_TRUSTED_GATEWAYS", "")])
            .map_err(|e| e.to_string())
            .unwrap();
        assert!(nobody.network.trusted_gateways.is_empty());
        let set = config(&[
            ("MTF_TRUSTED_GATEWAYS", "10.0.0.0/8"),
            ("MTF_TRUSTED_PROXIES", "192.168.0.1, 192.168.0.2"),
        ])
        .map_err(|e| e.to_string())
        .unwrap();
        assert_eq!(set.network.trusted_gateways.len(), 1);
        assert_eq!(set.network.trusted_proxies.len(), 2);
        let bad = config(&[("MTF_TRUSTED_PROXIES", "proxy.local")])
            .err()
            .map(|e| e.to_string());
        assert!(bad.is_some_and(|e| e.contains("MTF_TRUSTED_PROXIES")));
    }

    #[test]
    fn webhook_settings_have_the_issues_defaults_and_are_checked() {
        let defaults = Config::from_lookup(|_| None).unwrap().webhooks;
        assert!(!defaults.settings.allow_private);
        assert_eq!(defaults.settings.retry_schedule, RetrySchedule::standard());
        assert_eq!(
            defaults.settings.disable_after,
            Duration::from_secs(72 * 3_600)
        );
        assert!(defaults.worker_enabled);
        assert!(defaults.key.is_none());
        let set = |pairs: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(move |name| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        let c = set(&[
            ("MTF_WEBHOOK_ALLOW_PRIVATE", "1"),
            ("MTF_WEBHOOK_RETRY_SCHEDULE", "1s,2s"),
            (
                "MTF_WEBHOOK_KEY",
                "0101010101010101010101010101010101010101010101010101010101010101",
            ),
        ])
        .unwrap()
        .webhooks;
        assert!(c.settings.allow_private && c.worker.sender.allow_private);
        assert_eq!(c.settings.retry_schedule.max_attempts(), 3);
        assert_eq!(c.key, Some([1; 32]));
        for bad in [
            &[("MTF_WEBHOOK_RETRY_SCHEDULE", "soon")][..],
            &[("MTF_WEBHOOK_KEY", "too-short")][..],
            &[("MTF_WEBHOOK_ALLOW_PRIVATE", "maybe")][..],
            &[("MTF_WEBHOOK_LEASE_SECS", "5")][..],
        ] {
            assert!(set(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_archive_sealer_is_on_by_default_and_its_settings_are_checked() {
        let defaults = Config::from_lookup(|_| None).unwrap().sealer;
        assert_eq!(defaults, SealerSettings::default());
        assert!(defaults.enabled);
        let set = |pairs: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(move |name| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        let c = set(&[
            ("MTF_ARCHIVE_SEALER", "off"),
            ("MTF_ARCHIVE_BATCH", "500"),
            ("MTF_ARCHIVE_POLL_MS", "250"),
        ])
        .unwrap()
        .sealer;
        assert!(!c.enabled);
        assert_eq!(c.batch, 500);
        assert_eq!(c.poll, Duration::from_millis(250));
        for bad in [
            &[("MTF_ARCHIVE_SEALER", "maybe")][..],
            &[("MTF_ARCHIVE_BATCH", "0")][..],
            &[("MTF_ARCHIVE_BATCH", "1001")][..],
            &[("MTF_ARCHIVE_POLL_MS", "60001")][..],
        ] {
            assert!(set(bad).is_err(), "{bad:?}");
        }
    }
}
