//! The public self-service journey: drafts, subscriptions, plan changes, documents (P7–P10).
//!
//! Entities and rules are named for what they are (`draft.rs`, `plan_change_rules.rs`); the
//! use cases that apply them are `draft_service.rs` and `plan_change.rs`.

mod catalog;
mod draft;
mod draft_service;
mod links;
mod lookup;
pub mod otp;
mod plan_change;
pub mod plan_change_rules;
mod ports;
mod service;
mod subscribe;
mod throttle;

pub use catalog::{LandingCatalog, COMMITMENT_OPTIONS, REQUIRED_FIELDS};
pub use draft::{Draft, DraftStatus, MAX_PAYLOAD_BYTES};
pub use links::DocumentLink;
pub(crate) use lookup::{client_by_cin, contracts_of, missing};
pub use lookup::{CinVerification, Subscription};
pub use otp::{CinProof, OtpChallenge, OtpChannel, OtpIssued, OtpMessage};
pub use plan_change::{PlanChangeRequest, PlanChanged};
pub use plan_change_rules::Direction;
pub use ports::{DraftRepository, OtpChallengeRepository, OtpCodes, OtpSender};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockDraftRepository, MockOtpChallengeRepository, MockOtpCodes, MockOtpSender};
pub use service::LandingService;
pub use subscribe::{idempotency_scope, landing_actor, NewSubscription, Subscribed};
pub use throttle::LandingCall;
