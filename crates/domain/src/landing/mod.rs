//! The public self-service journey: drafts, subscriptions, plan changes, documents (P7–P10).

mod draft;
mod ports;

pub use draft::{Draft, DraftStatus};
pub use ports::DraftRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockDraftRepository;
