//! The retry schedule and the other webhook settings.

use std::time::Duration;

/// Delays before each retry, after the first attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule {
    delays: Vec<Duration>,
}

impl RetrySchedule {
    /// A schedule of these delays (at least one attempt is always made; an empty schedule
    /// means no retry).
    pub fn new(delays: Vec<Duration>) -> RetrySchedule {
        RetrySchedule { delays }
    }

    /// Parses `5s,30s,2m,10m,1h,6h,24h` (units `ms`, `s`, `m`, `h`, `d`).
    pub fn parse(raw: &str) -> Result<RetrySchedule, String> {
        let mut delays = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let split = part
                .find(|c: char| !c.is_ascii_digit())
                .ok_or_else(|| format!("`{part}` needs a unit (ms, s, m, h or d)"))?;
            let (number, unit) = part.split_at(split);
            let n: u64 = number
                .parse()
                .map_err(|_| format!("`{part}` is not a whole number with a unit"))?;
            let millis = match unit {
                "ms" => Some(n),
                "s" => n.checked_mul(1_000),
                "m" => n.checked_mul(60_000),
                "h" => n.checked_mul(3_600_000),
                "d" => n.checked_mul(86_400_000),
                _ => return Err(format!("`{part}`: the unit must be ms, s, m, h or d")),
            }
            .filter(|ms| *ms <= 30 * 86_400_000)
            .ok_or_else(|| format!("`{part}` is longer than 30 days"))?;
            delays.push(Duration::from_millis(millis));
        }
        if delays.len() > 20 {
            return Err("at most 20 retries".into());
        }
        Ok(RetrySchedule { delays })
    }

    /// The default of issue #16: 5 s, 30 s, 2 min, 10 min, 1 h, 6 h, 24 h.
    pub fn standard() -> RetrySchedule {
        RetrySchedule::new(
            [5, 30, 120, 600, 3_600, 21_600, 86_400]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
        )
    }

    /// The delay before the attempt after attempt number `attempt` (1-based), with `jitter`
    /// (from -1.0 to 1.0) moving it by up to a fifth, so endpoints that failed together do
    /// not all retry at the same instant; `None` once the schedule is spent.
    pub fn delay_after(&self, attempt: i32, jitter: f64) -> Option<Duration> {
        let index = usize::try_from(attempt).ok()?.checked_sub(1)?;
        let base = *self.delays.get(index)?;
        let factor = 1.0 + jitter.clamp(-1.0, 1.0) / 5.0;
        Some(base.mul_f64(factor))
    }

    /// Attempts in all: the first plus one per delay.
    pub fn max_attempts(&self) -> i32 {
        i32::try_from(self.delays.len()).unwrap_or(i32::MAX - 1) + 1
    }
}

impl Default for RetrySchedule {
    fn default() -> Self {
        RetrySchedule::standard()
    }
}

/// Webhook settings of the domain (the sender's own, time-outs and body size, live in the
/// application's configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// `MTF_WEBHOOK_ALLOW_PRIVATE=1`: loopback and private addresses allowed (tests, demo).
    pub allow_private: bool,
    /// `MTF_WEBHOOK_RETRY_SCHEDULE`.
    pub retry_schedule: RetrySchedule,
    /// `MTF_WEBHOOK_DISABLE_AFTER_HOURS` (default 72): an endpoint whose every attempt
    /// failed for this long is disabled.
    pub disable_after: Duration,
    /// How long the previous secret keeps signing after a rotation (24 h, decision 0272).
    pub rotation_grace: Duration,
    /// How long a claimed delivery stays reserved to its worker; a worker that died is
    /// replaced once it passes (at-least-once, decision 0273).
    pub lease: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            retry_schedule: RetrySchedule::standard(),
            disable_after: Duration::from_secs(72 * 3_600),
            rotation_grace: Duration::from_secs(24 * 3_600),
            lease: Duration::from_secs(60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_parses_units_and_refuses_nonsense() {
        let schedule = RetrySchedule::parse("5s, 30s,2m,10m,1h,6h,24h").unwrap();
        assert_eq!(schedule, RetrySchedule::standard());
        assert_eq!(
            RetrySchedule::parse("200ms,1d").unwrap(),
            RetrySchedule::new(vec![
                Duration::from_millis(200),
                Duration::from_secs(86_400)
            ])
        );
        for bad in ["5", "5x", "s", "-1s", "31d"] {
            assert!(RetrySchedule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_retry_waits_its_delay_give_or_take_a_fifth_then_stops() {
        let schedule = RetrySchedule::standard();
        assert_eq!(schedule.max_attempts(), 8);
        assert_eq!(schedule.delay_after(1, 0.0), Some(Duration::from_secs(5)));
        assert_eq!(schedule.delay_after(2, 1.0), Some(Duration::from_secs(36)));
        assert_eq!(schedule.delay_after(3, -1.0), Some(Duration::from_secs(96)));
        assert_eq!(
            schedule.delay_after(7, 0.0),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(schedule.delay_after(8, 0.0), None);
        assert_eq!(schedule.delay_after(0, 0.0), None);
    }
}
