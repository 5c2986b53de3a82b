//! The public self-service journey: drafts, subscriptions, plan changes, documents (P7–P10).

mod catalog;
mod change_plan;
mod draft;
mod drafts;
mod links;
mod lookup;
pub mod otp;
pub mod plan_change;
mod ports;
mod service;
mod subscribe;
mod throttle;

pub use catalog::{LandingCatalog, COMMITMENT_OPTIONS, REQUIRED_FIELDS};
pub use change_plan::{PlanChangeRequest, PlanChanged};
pub use draft::{Draft, DraftStatus, MAX_PAYLOAD_BYTES};
pub use links::DocumentLink;
pub use lookup::{CinVerification, Subscription};
pub use otp::{CinProof, OtpChallenge, OtpChannel, OtpIssued, OtpMessage};
pub use plan_change::Direction;
pub use ports::{DraftRepository, OtpChallengeRepository, OtpCodes, OtpSender};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockDraftRepository, MockOtpChallengeRepository, MockOtpCodes, MockOtpSender};
pub use service::LandingService;
pub use subscribe::{idempotency_scope, landing_actor, NewSubscription, Subscribed};
pub use throttle::LandingCall;
