//! The `TokenService` port: signed, expiring tokens of the public landing API.

use time::OffsetDateTime;

use crate::error::Result;

/// What a token opens. A token of one purpose never opens another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// `lookup_token`: the `/landing/clients/{cin}/…` reads of one CIN.
    Lookup,
    /// `token` of one contract's documents.
    ContractDocument,
    /// `token` of one invoice's document.
    InvoiceDocument,
    /// `token` of one credit note's document.
    CreditNoteDocument,
}

impl TokenPurpose {
    /// Short tag signed into the token.
    pub fn tag(self) -> &'static str {
        match self {
            TokenPurpose::Lookup => "lookup",
            TokenPurpose::ContractDocument => "ctrdoc",
            TokenPurpose::InvoiceDocument => "invdoc",
            TokenPurpose::CreditNoteDocument => "cndoc",
        }
    }
}

/// Issues and checks signed tokens bound to a purpose, a subject and an expiry.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TokenService: Send + Sync {
    /// A token for `subject` (a CIN, a contract id, an invoice id) valid until `expires_at`.
    fn issue(&self, purpose: TokenPurpose, subject: &str, expires_at: OffsetDateTime) -> String;
    /// `Ok` when `token` was issued here for this purpose and subject and has not expired at
    /// `now`; `Error::Forbidden` otherwise (tampered, expired, or for something else).
    fn verify(
        &self,
        token: &str,
        purpose: TokenPurpose,
        subject: &str,
        now: OffsetDateTime,
    ) -> Result<()>;
    /// A keyed digest of `value` in `scope` (e.g. a CIN, a client address), for counting and
    /// comparing it without storing it. Keyed with the server secret, so the small space of
    /// CINs cannot be hashed in advance to reverse it. Same input, same output.
    fn pseudonym(&self, scope: &str, value: &str) -> String;
}
