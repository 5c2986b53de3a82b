//! Ports of the landing module.

use time::OffsetDateTime;

use super::otp::{OtpChallenge, OtpChannel, OtpMessage};
use super::Draft;
use crate::error::Result;
use crate::typed_ids::{DraftId, OtpChallengeId};

/// Storage of drafts.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait DraftRepository {
    /// The draft with this id, expired or not.
    fn find(&mut self, id: &DraftId) -> Result<Option<Draft>>;
    /// The draft with this id, expired or not, locked (`FOR UPDATE`) until the transaction
    /// ends, so two saves or submits of one draft never interleave.
    fn find_for_update(&mut self, id: &DraftId) -> Result<Option<Draft>>;
    /// Stores a new draft made by `creator` (a pseudonym of the client address, kept only to
    /// count). Its `payload` is JSON object text; adapters may store it in a normalised form
    /// (key order, whitespace).
    fn insert(&mut self, draft: &Draft, creator: &str) -> Result<()>;
    /// How many drafts of `creator` are open and unexpired at `now`. Also holds, until the
    /// transaction ends, a lock on `creator` that the same call in another transaction waits
    /// for, so concurrent creations cannot all pass the cap on the same count.
    fn lock_and_count_open(&mut self, creator: &str, now: OffsetDateTime) -> Result<i64>;
    /// Saves payload, status and instants of an existing draft; `Error::NotFound(Draft)` if
    /// absent.
    fn update(&mut self, draft: &Draft) -> Result<()>;
}

/// Storage of one-time-code challenges (at most one per client).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait OtpChallengeRepository {
    /// The challenge with this id, locked (`FOR UPDATE`) until the transaction ends, so two
    /// confirmations of one challenge never both spend the same attempt.
    fn find_for_update(&mut self, id: &OtpChallengeId) -> Result<Option<OtpChallenge>>;
    /// Stores a new challenge, removing any other challenge of the same client: a new code
    /// makes the previous one useless.
    fn replace_for_client(&mut self, challenge: &OtpChallenge) -> Result<()>;
    /// Saves `attempts_left` and `consumed_at`; `Error::NotFound(OtpChallenge)` if absent.
    fn update(&mut self, challenge: &OtpChallenge) -> Result<()>;
}

/// Delivers a one-time code to the client's registered line or e-mail.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait OtpSender: Send + Sync {
    /// Whether this sender can deliver on `channel`.
    fn supports(&self, channel: OtpChannel) -> bool;
    /// Sends the message; `Error::Unavailable` when the gateway refuses or cannot be reached.
    fn send(&self, message: &OtpMessage) -> Result<()>;
}

/// Makes and checks one-time codes. Codes are stored only as keyed hashes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait OtpCodes: Send + Sync {
    /// A fresh code of [`OTP_DIGITS`](super::otp::OTP_DIGITS) digits from the OS random source.
    fn generate(&self) -> String;
    /// The keyed hash stored for `code` of `challenge_id`.
    fn hash(&self, challenge_id: &OtpChallengeId, code: &str) -> String;
    /// Whether `code` hashes to `stored_hash` for `challenge_id` (constant-time comparison).
    fn matches(&self, challenge_id: &OtpChallengeId, code: &str, stored_hash: &str) -> bool;
}
