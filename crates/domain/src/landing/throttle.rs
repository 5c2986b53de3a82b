//! Rate limits of the public endpoints, counted in shared storage: per client address, and
//! for `verify-cin` also per CIN from any address.

use super::LandingService;
use crate::clients::Cin;
use crate::error::Result;
use crate::rate_limit::{self, Limit};

/// Which limit a landing call counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LandingCall {
    /// `verify-cin`: the call that could enumerate CINs, so the strictest limit.
    VerifyCin,
    /// Every other landing call.
    Other,
}

/// Longest address kept in a bucket name (forwarded headers are client-controlled).
const MAX_ADDRESS_CHARS: usize = 64;

impl LandingService {
    /// Counts one call from `client_address` and fails with `Error::RateLimited` (with the
    /// seconds until the window resets) once the minute's limit from the settings is passed.
    pub fn admit(&self, call: LandingCall, client_address: &str) -> Result<()> {
        let address: String = client_address.chars().take(MAX_ADDRESS_CHARS).collect();
        let (bucket, max) = match call {
            LandingCall::VerifyCin => (
                format!("landing:verify-cin:{address}"),
                self.settings.verify_cin_per_minute,
            ),
            LandingCall::Other => (
                format!("landing:{address}"),
                self.settings.landing_per_minute,
            ),
        };
        let limit = Limit {
            max,
            window_secs: 60,
        };
        rate_limit::check(self.tx.as_ref(), &bucket, limit, self.clock.now())
    }

    /// Counts one verification of `cin`, from whatever address, and fails with
    /// `Error::RateLimited` once the hour's `verify_cin_per_cin_per_hour` is passed. Counted
    /// before the CIN is looked up, so known and unknown CINs answer alike. The bucket holds
    /// a keyed digest of the CIN, never the CIN.
    pub fn admit_cin(&self, cin: &Cin) -> Result<()> {
        let bucket = format!(
            "landing:verify-cin:cin:{}",
            self.tokens.pseudonym("cin", cin.as_str())
        );
        let limit = Limit {
            max: self.settings.verify_cin_per_cin_per_hour,
            window_secs: 3600,
        };
        rate_limit::check(self.tx.as_ref(), &bucket, limit, self.clock.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::settings::Settings;
    use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use crate::tokens::MockTokenService;
    use mockall::predicate::eq;
    use std::sync::Arc;
    use time::macros::datetime;

    fn service(uow: MockUnitOfWork) -> LandingService {
        let mut p = ports(
            MockTransactions::new(uow),
            fixed_clock(datetime!(2026-03-10 09:00:45 UTC)),
        );
        p.settings = Arc::new(Settings {
            verify_cin_per_minute: 2,
            ..Settings::default()
        });
        LandingService::over(&p)
    }

    #[test]
    fn verify_cin_counts_in_its_own_bucket_per_address_and_minute() {
        let mut uow = MockUnitOfWork::default();
        uow.rate_limits
            .expect_hit()
            .with(
                eq("landing:verify-cin:10.0.0.7"),
                eq(datetime!(2026-03-10 09:00:00 UTC)),
            )
            .times(1)
            .returning(|_, _| Ok(2));
        assert!(service(uow)
            .admit(LandingCall::VerifyCin, "10.0.0.7")
            .is_ok());
    }

    #[test]
    fn passing_the_limit_says_when_the_window_resets() {
        let mut uow = MockUnitOfWork::default();
        uow.rate_limits.expect_hit().returning(|_, _| Ok(3));
        let error = service(uow).admit(LandingCall::VerifyCin, "10.0.0.7");
        assert!(matches!(
            error,
            Err(Error::RateLimited {
                retry_after_secs: 15
            })
        ));
    }

    #[test]
    fn other_calls_share_the_general_bucket_and_long_addresses_are_cut() {
        let mut uow = MockUnitOfWork::default();
        let long = "x".repeat(500);
        let expected = format!("landing:{}", "x".repeat(MAX_ADDRESS_CHARS));
        uow.rate_limits
            .expect_hit()
            .withf(move |bucket, _| bucket == expected)
            .returning(|_, _| Ok(120));
        assert!(service(uow).admit(LandingCall::Other, &long).is_ok());
    }

    fn cin_service(uow: MockUnitOfWork) -> LandingService {
        let mut p = ports(
            MockTransactions::new(uow),
            fixed_clock(datetime!(2026-03-10 09:20:00 UTC)),
        );
        let mut tokens = MockTokenService::new();
        tokens
            .expect_pseudonym()
            .with(eq("cin"), eq("AB123456"))
            .returning(|_, _| "d1g35t".into());
        p.tokens = Arc::new(tokens);
        p.settings = Arc::new(Settings {
            verify_cin_per_cin_per_hour: 20,
            ..Settings::default()
        });
        LandingService::over(&p)
    }

    #[test]
    fn a_cin_counts_per_hour_under_its_digest_never_in_clear() {
        let mut uow = MockUnitOfWork::default();
        uow.rate_limits
            .expect_hit()
            .with(
                eq("landing:verify-cin:cin:d1g35t"),
                eq(datetime!(2026-03-10 09:00:00 UTC)),
            )
            .times(1)
            .returning(|_, _| Ok(20));
        let cin = Cin::parse("AB123456").unwrap();
        assert!(cin_service(uow).admit_cin(&cin).is_ok());
    }

    #[test]
    fn passing_the_cin_limit_waits_for_the_next_hour() {
        let mut uow = MockUnitOfWork::default();
        uow.rate_limits.expect_hit().returning(|_, _| Ok(21));
        let cin = Cin::parse("AB123456").unwrap();
        assert!(matches!(
            cin_service(uow).admit_cin(&cin),
            Err(Error::RateLimited {
                retry_after_secs: 2400
            })
        ));
    }
}
