//! Business settings an operator may configure (with the defaults of domain-rules.md).

use crate::documents::SellerIdentity;
use crate::exports::TvaRegime;

/// Configurable business parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The operator's legal identity printed on documents.
    pub seller: SellerIdentity,
    /// Invoice due date = issue date + this (default 15).
    pub due_in_days: i64,
    /// Drafts expire after this many days (default 30).
    pub draft_ttl_days: i64,
    /// Document links expire after this many days (default 7).
    pub document_link_ttl_days: i64,
    /// Lookup tokens expire after this many minutes (default 15).
    pub lookup_token_ttl_minutes: i64,
    /// Dunning steps: days after due date (default 1, 15, 30, 60).
    pub dunning_ladder: DunningLadder,
    /// `verify-cin` calls allowed per minute and client address (default 10).
    pub verify_cin_per_minute: i64,
    /// Every other landing call allowed per minute and client address (default 120).
    pub landing_per_minute: i64,
    /// `verify-cin` calls allowed per hour for one CIN, from any address, whether or not the
    /// CIN exists (default 20).
    pub verify_cin_per_cin_per_hour: i64,
    /// Open, unexpired drafts one client address may hold (default 20).
    pub drafts_per_address: i64,
    /// Business dates may lie at most this many days after today (default 366).
    pub max_future_days: i64,
    /// Whether `verify-cin` sends a one-time code before giving the lookup token
    /// (`MTF_LANDING_OTP`, default off).
    pub landing_otp: bool,
    /// Idempotency records are purged this many hours after they were stored
    /// (`MTF_IDEMPOTENCY_RETENTION_HOURS`, default 168, never below 24).
    pub idempotency_retention_hours: i64,
    /// When TVA is due, for `GET /reports/tva` without `regime` (`MTF_TVA_REGIME`, default
    /// `encaissements`, CGI art. 95).
    pub tva_regime: TvaRegime,
    /// Events are purged this many days after they occurred (`MTF_EVENT_RETENTION_DAYS`,
    /// default 30, never below 30): the window a feed consumer or a webhook replay has.
    pub event_retention_days: i64,
}

impl Settings {
    /// The window of business dates as seen from `today`.
    pub fn date_window(&self, today: time::Date) -> crate::business_dates::DateWindow {
        crate::business_dates::DateWindow::new(today, self.max_future_days)
    }
}

/// Days after the due date at which each dunning step applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DunningLadder {
    /// First reminder (SMS).
    pub reminder_days: i64,
    /// Second reminder (e-mail / letter).
    pub second_reminder_days: i64,
    /// Suspension of the client's active contracts.
    pub suspension_days: i64,
    /// Pre-litigation notice.
    pub pre_litigation_days: i64,
}

impl Default for DunningLadder {
    fn default() -> Self {
        Self {
            reminder_days: 1,
            second_reminder_days: 15,
            suspension_days: 30,
            pre_litigation_days: 60,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            seller: SellerIdentity {
                name: "MT Télécom SA".into(),
                address: "Avenue Annakhil, Hay Riad, Rabat, Maroc".into(),
                ice: "001234567000089".into(),
                if_number: "12345678".into(),
                rc: "RC Rabat 123456".into(),
                tva_number: "TVA 12345678".into(),
                tp: "25123456".into(),
            },
            due_in_days: 15,
            draft_ttl_days: 30,
            document_link_ttl_days: 7,
            lookup_token_ttl_minutes: 15,
            dunning_ladder: DunningLadder::default(),
            verify_cin_per_minute: 10,
            landing_per_minute: 120,
            verify_cin_per_cin_per_hour: 20,
            drafts_per_address: 20,
            max_future_days: crate::business_dates::DEFAULT_MAX_FUTURE_DAYS,
            landing_otp: false,
            idempotency_retention_hours: 168,
            tva_regime: TvaRegime::Encaissements,
            event_retention_days: crate::retention::MIN_EVENT_RETENTION_DAYS,
        }
    }
}
