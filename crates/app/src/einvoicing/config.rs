//! `MTF_EINVOICING*`: whether and how documents are cleared.

use std::time::Duration;

use domain::einvoicing::ClearanceSettings;

use crate::config::ConfigError;

/// Which tax authority clears documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EinvoicingMode {
    /// `off` (default): no clearance; documents are offered at issue, as before issue #18.
    Off,
    /// `simulator`: the built-in simulator (development, tests, demo).
    Simulator,
    /// `http`: the platform at `MTF_EINVOICING_URL`.
    Http {
        /// `MTF_EINVOICING_URL`.
        url: String,
        /// `MTF_EINVOICING_TOKEN`, sent as `Authorization: Bearer …` when set.
        bearer_token: Option<String>,
    },
}

/// E-invoicing configuration.
#[derive(Debug, Clone)]
pub struct EinvoicingConfig {
    /// `MTF_EINVOICING`: `off`, `simulator` or `http`.
    pub mode: EinvoicingMode,
    /// `MTF_EINVOICING_TIMEOUT_SECS` (default 30): one submission, connection included.
    pub timeout: Duration,
    /// `MTF_EINVOICING_WORKER` (`on`/`off`, default on): this instance submits.
    pub worker_enabled: bool,
    /// `MTF_EINVOICING_POLL_MS` (default 1000): pause when nothing is due.
    pub poll: Duration,
    /// `MTF_EINVOICING_BATCH`, `MTF_EINVOICING_RETRY_SECS`, `MTF_EINVOICING_RETRY_MAX_SECS`;
    /// the lease covers a whole batch at the time-out.
    pub clearance: ClearanceSettings,
}

impl EinvoicingConfig {
    /// Whether documents wait for clearance.
    pub fn enabled(&self) -> bool {
        self.mode != EinvoicingMode::Off
    }

    /// Reads the `MTF_EINVOICING*` values through `lookup` (blank counts as unset).
    pub fn from_lookup(
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<EinvoicingConfig, ConfigError> {
        let whole = |name: &'static str, default: u64, max: u64| -> Result<u64, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(raw) => raw
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| ConfigError::new(name, raw, "out of range or not a number")),
            }
        };
        let url = lookup("MTF_EINVOICING_URL").map(|u| u.trim().to_owned());
        let mode = match lookup("MTF_EINVOICING").as_deref().map(str::trim) {
            None | Some("off") => EinvoicingMode::Off,
            Some("simulator") => EinvoicingMode::Simulator,
            Some("http") => match url {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    EinvoicingMode::Http {
                        url,
                        bearer_token: lookup("MTF_EINVOICING_TOKEN"),
                    }
                }
                Some(url) => {
                    return Err(ConfigError::new(
                        "MTF_EINVOICING_URL",
                        url,
                        "expected an http:// or https:// URL",
                    ))
                }
                None => {
                    return Err(ConfigError::new(
                        "MTF_EINVOICING_URL",
                        String::new(),
                        "required with MTF_EINVOICING=http",
                    ))
                }
            },
            Some(other) => {
                return Err(ConfigError::new(
                    "MTF_EINVOICING",
                    other.to_owned(),
                    "expected off, simulator or http",
                ))
            }
        };
        let worker_enabled = match lookup("MTF_EINVOICING_WORKER").as_deref().map(str::trim) {
            None | Some("on" | "true" | "1") => true,
            Some("off" | "false" | "0") => false,
            Some(other) => {
                return Err(ConfigError::new(
                    "MTF_EINVOICING_WORKER",
                    other.to_owned(),
                    "expected on or off (1 or 0)",
                ))
            }
        };
        let timeout = Duration::from_secs(whole("MTF_EINVOICING_TIMEOUT_SECS", 30, 300)?);
        let batch = whole("MTF_EINVOICING_BATCH", 32, 1_000)?;
        let backoff_base = Duration::from_secs(whole("MTF_EINVOICING_RETRY_SECS", 30, 86_400)?);
        let backoff_max =
            Duration::from_secs(whole("MTF_EINVOICING_RETRY_MAX_SECS", 3_600, 7 * 86_400)?);
        if backoff_max < backoff_base {
            return Err(ConfigError::new(
                "MTF_EINVOICING_RETRY_MAX_SECS",
                backoff_max.as_secs().to_string(),
                "must not be below MTF_EINVOICING_RETRY_SECS",
            ));
        }
        let batch_size = usize::try_from(batch).unwrap_or(32);
        Ok(EinvoicingConfig {
            mode,
            timeout,
            worker_enabled,
            poll: Duration::from_millis(whole("MTF_EINVOICING_POLL_MS", 1_000, 60_000)?),
            clearance: ClearanceSettings {
                batch: batch_size,
                // A round submits its batch one after the other: the lease outlasts them all
                // at the time-out, so no other instance takes a document still being sent.
                lease: timeout
                    .saturating_mul(u32::try_from(batch).unwrap_or(u32::MAX))
                    .saturating_add(Duration::from_secs(60)),
                backoff_base,
                backoff_max,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &'static [(&'static str, &'static str)]) -> Result<EinvoicingConfig, String> {
        EinvoicingConfig::from_lookup(&|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn off_by_default_and_each_mode_is_read() {
        let defaults = read(&[]).unwrap();
        assert_eq!(defaults.mode, EinvoicingMode::Off);
        assert!(!defaults.enabled());
        assert_eq!(defaults.timeout, Duration::from_secs(30));
        assert_eq!(defaults.clearance.batch, 32);
        assert!(defaults.clearance.lease > defaults.timeout * 32);
        assert_eq!(
            read(&[("MTF_EINVOICING", "simulator")]).unwrap().mode,
            EinvoicingMode::Simulator
        );
        let http = read(&[
            ("MTF_EINVOICING", "http"),
            ("MTF_EINVOICING_URL", "https://dgi.example/clearance"),
        ])
        .unwrap();
        assert_eq!(
            http.mode,
            EinvoicingMode::Http {
                url: "https://dgi.example/clearance".into(),
                bearer_token: None
            }
        );
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        for (bad, name) in [
            (&[("MTF_EINVOICING", "on")][..], "MTF_EINVOICING"),
            (&[("MTF_EINVOICING", "http")][..], "MTF_EINVOICING_URL"),
            (
                &[
                    ("MTF_EINVOICING", "http"),
                    ("MTF_EINVOICING_URL", "dgi.example"),
                ][..],
                "MTF_EINVOICING_URL",
            ),
            (
                &[("MTF_EINVOICING_TIMEOUT_SECS", "0")][..],
                "MTF_EINVOICING_TIMEOUT_SECS",
            ),
            (
                &[("MTF_EINVOICING_WORKER", "maybe")][..],
                "MTF_EINVOICING_WORKER",
            ),
            (
                &[
                    ("MTF_EINVOICING_RETRY_SECS", "600"),
                    ("MTF_EINVOICING_RETRY_MAX_SECS", "60"),
                ][..],
                "MTF_EINVOICING_RETRY_MAX_SECS",
            ),
        ] {
            let pairs: &'static [(&'static str, &'static str)] = bad;
            let error = read(pairs).err().unwrap_or_default();
            assert!(error.contains(name), "{bad:?}: {error}");
        }
    }
}
