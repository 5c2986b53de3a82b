//! Configuration from the environment (names are part of the operator's contract; see README).

use std::path::PathBuf;

use domain::documents::SellerIdentity;
use domain::rate_limit::Limit;
use domain::settings::Settings;
use http_actix::network::{parse_cidrs, HttpSettings};

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
    /// `MTF_VERIFY_CIN_PER_MINUTE` (default 10) and other landing limits.
    pub landing_limits: LandingLimits,
    /// `MTF_DUNNING_SCHEDULE` (`on`/`off`, default on): the daily in-process dunning run.
    pub dunning_schedule: bool,
    /// `MTF_TRUSTED_GATEWAYS` (default loopback) and `MTF_TRUSTED_PROXIES` (default none).
    pub network: HttpSettings,
    /// Business settings (`MTF_SELLER_*`, `MTF_DUE_IN_DAYS`, `MTF_DRAFT_TTL_DAYS`,
    /// `MTF_DOCUMENT_LINK_TTL_DAYS`, `MTF_LANDING_OTP`).
    pub settings: Settings,
    /// `MTF_OTP_SENDER`, `MTF_OTP_SMS_URL`, `MTF_OTP_SMS_TOKEN`: where one-time codes go.
    pub otp_sender: OtpSenderConfig,
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
        let defaults = Settings::default();
        let seller = SellerIdentity {
            name: lookup("MTF_SELLER_NAME").unwrap_or(defaults.seller.name.clone()),
            address: lookup("MTF_SELLER_ADDRESS").unwrap_or(defaults.seller.address.clone()),
            ice: lookup("MTF_SELLER_ICE").unwrap_or(defaults.seller.ice.clone()),
            if_number: lookup("MTF_SELLER_IF").unwrap_or(defaults.seller.if_number.clone()),
            rc: lookup("MTF_SELLER_RC").unwrap_or(defaults.seller.rc.clone()),
            tva_number: lookup("MTF_SELLER_TVA").unwrap_or(defaults.seller.tva_number.clone()),
        };
        let verify_cin_per_minute = number("MTF_VERIFY_CIN_PER_MINUTE", 10)?;
        let landing_per_minute = number("MTF_LANDING_PER_MINUTE", 120)?;
        let settings = Settings {
            seller,
            due_in_days: number("MTF_DUE_IN_DAYS", defaults.due_in_days)?,
            draft_ttl_days: number("MTF_DRAFT_TTL_DAYS", defaults.draft_ttl_days)?,
            document_link_ttl_days: number(
                "MTF_DOCUMENT_LINK_TTL_DAYS",
                defaults.document_link_ttl_days,
            )?,
            lookup_token_ttl_minutes: defaults.lookup_token_ttl_minutes,
            dunning_ladder: defaults.dunning_ladder,
            verify_cin_per_minute,
            landing_per_minute,
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
            network,
            settings,
            otp_sender,
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
}
