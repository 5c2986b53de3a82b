//! The error every use case returns, with one variant family per HTTP-visible outcome.

use std::fmt;

/// A field that failed validation, with a message a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Request field path, e.g. `client.cin` or `subscriber.service_identifier`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The kinds of resource a lookup can fail to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Resource {
    Actor,
    Offer,
    Client,
    Subscriber,
    Contract,
    ContractDocument,
    Draft,
    BillingRun,
    Invoice,
    Payment,
    CreditNote,
    CollectionCase,
    OtpChallenge,
    PaymentImport,
    UnidentifiedReceipt,
    WebhookEndpoint,
    WebhookDelivery,
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Resource::Actor => "actor",
            Resource::Offer => "offer",
            Resource::Client => "client",
            Resource::Subscriber => "subscriber",
            Resource::Contract => "contract",
            Resource::ContractDocument => "contract document",
            Resource::Draft => "draft",
            Resource::BillingRun => "billing run",
            Resource::Invoice => "invoice",
            Resource::Payment => "payment",
            Resource::CreditNote => "credit note",
            Resource::CollectionCase => "collection case",
            Resource::OtpChallenge => "one-time code challenge",
            Resource::PaymentImport => "payment import",
            Resource::UnidentifiedReceipt => "unidentified receipt",
            Resource::WebhookEndpoint => "webhook endpoint",
            Resource::WebhookDelivery => "webhook delivery",
        };
        f.write_str(name)
    }
}

/// The request conflicts with the current state of a resource (HTTP 409).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)]
pub enum Conflict {
    #[error("an offer with this code already exists")]
    OfferCodeExists,
    #[error("the offer is referenced by contracts; retire it instead")]
    OfferDeleteBlocked,
    #[error("a client with this CIN already exists")]
    CinAlreadyExists,
    #[error("a client with this ICE already exists")]
    IceAlreadyExists,
    #[error("the client has contract, invoice, payment or collection history")]
    ClientDeleteBlocked,
    #[error("this service identifier already exists")]
    ServiceIdentifierExists,
    #[error("this service identifier is held by a live contract")]
    ServiceIdentifierInUse,
    #[error("cannot move from `{from}` to `{to}`")]
    InvalidStatusTransition { from: String, to: String },
    #[error("the invoice is already paid")]
    InvoiceAlreadyPaid,
    #[error("the invoice named by the payment is not open (paid or void); nothing was recorded")]
    InvoiceNotOpen,
    #[error("the payment is already reversed")]
    PaymentAlreadyReversed,
    #[error("nothing remains to credit on this invoice")]
    InvoiceFullyCredited,
    #[error("a request with this idempotency key is still being processed")]
    IdempotencyKeyInUse,
    #[error("this draft was already submitted")]
    DraftAlreadySubmitted,
    #[error("this address already holds the most open drafts allowed; submit or let one expire")]
    TooManyOpenDrafts,
    #[error("the contract already has an invoice for this period")]
    InvoiceAlreadyIssued,
    #[error("a client with this CIN exists; verify the CIN first and send its lookup token")]
    ClientExistsVerifyCin,
    #[error("this change would leave no active admin")]
    LastActiveAdmin,
    #[error("the case already has an open dispute; close it first")]
    CaseAlreadyDisputed,
    #[error("the invoice belongs to another client than the case's")]
    InvoiceOfAnotherClient,
    #[error("only an overdue invoice with something outstanding can be disputed")]
    InvoiceNotOverdue,
    #[error("the case has no open dispute")]
    NoOpenDispute,
    #[error("the credit note corrects none of the disputed invoices")]
    CreditNoteNotForDispute,
    #[error("this receipt is already assigned to a client")]
    ReceiptAlreadyAssigned,
    /// A contract change effective inside a period already invoiced for the contract, sent
    /// without `regularize: true` (decision 0250).
    #[error(
        "the change falls in {period}, already billed on invoice {invoice_number}: choose a \
         later date, or (operator endpoints) send `regularize: true` to correct that invoice \
         with the change"
    )]
    PeriodAlreadyBilled {
        invoice_number: String,
        period: String,
    },
    /// A regularisation would correct an invoice that already has a credit note: the
    /// operator corrects it by hand (decision 0251).
    #[error(
        "invoice {invoice_number} already has a credit note; correct it with a credit note of \
         your own and apply the change without the billed months"
    )]
    InvoiceAlreadyCorrected { invoice_number: String },
    #[error("the webhook endpoint is disabled; create a new one to deliver again")]
    WebhookEndpointDisabled,
    /// The document waits for (or was refused) the tax authority's clearance, so it is not
    /// offered yet (issue #18, decision 0311).
    #[error("the document is {status} at the tax authority; it is offered once cleared")]
    DocumentNotCleared { status: &'static str },
    /// A replacement invoice is issued only for an invoice the tax authority rejected
    /// (decision 0315).
    #[error(
        "the invoice was not rejected by the tax authority; only a rejected invoice is replaced"
    )]
    InvoiceNotRejected,
    /// A rejected invoice is replaced once a credit note voided all of it.
    #[error("the invoice is not void; cancel it with a credit note for all of it first")]
    InvoiceNotVoid,
    /// A rejected invoice is replaced once.
    #[error("the invoice was already replaced")]
    InvoiceAlreadyReissued,
}

/// A well-formed request that breaks a business rule (HTTP 422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)]
pub enum RuleViolation {
    #[error("this idempotency key was used with a different request")]
    IdempotencyKeyReused,
    #[error("the offer's service type does not match the contract or line")]
    ServiceTypeMismatch,
    #[error("the subscriber does not belong to this client")]
    SubscriberNotOwned,
    #[error("the offer is retired")]
    OfferRetired,
    #[error("the client has no line with this service identifier")]
    SubscriberNotFoundForClient,
    #[error("the contract must be active")]
    ContractNotActive,
    #[error("the target offer is the current offer")]
    SameOffer,
    #[error("the client is inactive")]
    ClientInactive,
    #[error("the amount exceeds what can be applied")]
    AmountTooLarge,
    #[error("the invoice is void")]
    InvoiceVoid,
    #[error("a line's credited amount would exceed what remains of that line")]
    CreditExceedsInvoice,
    #[error("the invoice does not belong to this client")]
    InvoiceNotOwned,
    #[error("the amount exceeds the client's available credit")]
    InsufficientCredit,
    #[error("credit that came from this payment was refunded: reversing it would go negative")]
    PaymentCreditRefunded,
    #[error("the effective date is before the contract's current offer period")]
    EffectiveDateTooEarly,
    #[error("the draft payload is larger than 16 KiB once serialised")]
    DraftTooLarge,
    /// A plan-change target the contract cannot move to (`reason`: `ServiceTypeMismatch`,
    /// `OfferRetired` or `SameOffer`), with the offers it can move to.
    #[error("{reason}")]
    TargetNotEligible {
        reason: Box<RuleViolation>,
        eligible_offers: Vec<crate::landing::plan_change_rules::EligibleOffer>,
    },
    #[error("the code is wrong; {attempts_left} attempt(s) left")]
    OtpInvalid { attempts_left: i32 },
    #[error("the code expired, was used or has no attempts left; verify the CIN again")]
    OtpExpired,
    #[error("the client has no mobile line or e-mail that can receive a code; contact an agent")]
    OtpNoDestination,
}

/// Why a use case failed. Adapters translate driver errors into these variants.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more fields are invalid (HTTP 422 `validation_failed`).
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The resource does not exist, or is not visible to the caller (HTTP 404).
    #[error("{0} not found")]
    NotFound(Resource),
    /// Conflict with current state (HTTP 409).
    #[error(transparent)]
    Conflict(Conflict),
    /// Business rule violation (HTTP 422).
    #[error(transparent)]
    Rule(RuleViolation),
    /// No or unknown credentials (HTTP 401).
    #[error("authentication required")]
    Unauthenticated,
    /// `X-Actor-Id` from neither a trusted gateway address nor a gateway actor's token
    /// (HTTP 401 `actor_header_not_trusted`).
    #[error("X-Actor-Id is honoured only from a trusted gateway")]
    ActorHeaderNotTrusted,
    /// Credentials valid but not allowed, or a token for something else (HTTP 403).
    #[error("not allowed")]
    Forbidden,
    /// Too many requests from one client (HTTP 429).
    #[error("rate limited; retry in {retry_after_secs} s")]
    RateLimited {
        /// Seconds until the window resets.
        retry_after_secs: u64,
    },
    /// The storage failed; the cause is logged, never shown (HTTP 500).
    #[error("storage failure: {0}")]
    Storage(String),
    /// The storage is unreachable (HTTP 503).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A document could not be produced (HTTP 500).
    #[error("document rendering failed: {0}")]
    Rendering(String),
}

impl Error {
    /// A validation error on a single field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<Conflict> for Error {
    fn from(value: Conflict) -> Self {
        Error::Conflict(value)
    }
}

impl From<RuleViolation> for Error {
    fn from(value: RuleViolation) -> Self {
        Error::Rule(value)
    }
}

/// Collects field errors while validating a command, then fails once with all of them.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records the error and returns `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push(FieldError::new(field, message));
                None
            }
        }
    }

    /// Records an error directly.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// The validated value when nothing was recorded, otherwise `Error::Validation` with
    /// every error. `check` records an error each time it yields `None`, so a missing value
    /// always comes with the errors that explain it: validation never needs a second,
    /// "impossible" failure path.
    pub fn finish_with<T>(self, value: Option<T>) -> Result<T, Error> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(Error::Validation(self.errors)),
        }
    }

    /// `Ok` when nothing was recorded, otherwise `Error::Validation` with every error.
    pub fn finish(self) -> Result<(), Error> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.errors))
        }
    }
}

/// Result alias for use cases.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_concludes_with_its_value_or_every_error() {
        let mut v = Validator::new();
        let a = v.check("a", Ok::<_, String>(1));
        let b = v.check("b", Ok::<_, String>(2));
        assert_eq!(v.finish_with(a.zip(b)).ok(), Some((1, 2)));

        let mut v = Validator::new();
        let a = v.check("a", Err::<i32, _>("bad a".to_owned()));
        let b = v.check("b", Err::<i32, _>("bad b".to_owned()));
        let Err(Error::Validation(errors)) = v.finish_with(a.zip(b)) else {
            panic!("expected the field errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b"]);
    }

    #[test]
    fn a_validator_yields_the_value_only_when_every_field_passed() {
        let mut v = Validator::new();
        let n = v.check("n", Ok::<_, String>(3));
        assert!(matches!(v.finish_with(n), Ok(3)));

        let mut v = Validator::new();
        let a = v.check("a", Ok::<_, String>(1));
        let b = v.check::<i32>("b", Err("must be even".into()));
        let Err(Error::Validation(errors)) = v.finish_with(a.zip(b)) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors, vec![FieldError::new("b", "must be even")]);
    }

    #[test]
    fn a_pushed_error_fails_validation_even_with_every_value_present() {
        let mut v = Validator::new();
        let a = v.check("a", Ok::<_, String>(1));
        v.push("reason", "too long");
        assert!(matches!(v.finish_with(a), Err(Error::Validation(e)) if e.len() == 1));
    }
}
