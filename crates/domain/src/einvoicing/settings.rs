//! How the clearance workers pace their submissions.

use std::time::Duration;

/// Pacing of the clearance workers (`MTF_EINVOICING_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearanceSettings {
    /// Documents claimed per round (`MTF_EINVOICING_BATCH`, default 32).
    pub batch: usize,
    /// How long a claimed document stays reserved to its worker; a worker that died is
    /// replaced once it passes (default 2 minutes, above the HTTP time-out).
    pub lease: Duration,
    /// Wait after the first attempt without a verdict, doubled at each further one
    /// (`MTF_EINVOICING_RETRY_SECS`, default 30).
    pub backoff_base: Duration,
    /// Longest wait between attempts (`MTF_EINVOICING_RETRY_MAX_SECS`, default 3600).
    pub backoff_max: Duration,
}

impl Default for ClearanceSettings {
    fn default() -> Self {
        ClearanceSettings {
            batch: 32,
            lease: Duration::from_secs(120),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(3_600),
        }
    }
}

impl ClearanceSettings {
    /// The wait before the attempt after attempt number `attempt` (1-based) found the
    /// authority unavailable: the base, doubled at each attempt, at most the maximum.
    pub fn backoff_after(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.backoff_base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.backoff_max)
            .min(self.backoff_max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_the_base_up_to_the_maximum() {
        let settings = ClearanceSettings::default();
        assert_eq!(settings.backoff_after(1), Duration::from_secs(30));
        assert_eq!(settings.backoff_after(2), Duration::from_secs(60));
        assert_eq!(settings.backoff_after(4), Duration::from_secs(240));
        assert_eq!(settings.backoff_after(8), Duration::from_secs(3_600));
        assert_eq!(settings.backoff_after(1_000), Duration::from_secs(3_600));
        assert_eq!(settings.backoff_after(0), Duration::from_secs(30));
    }
}
