//! problem+json (RFC 9457) errors: the one place where domain errors become HTTP answers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use domain::error::{Conflict, Error, FieldError, Resource, RuleViolation};
use domain::landing::plan_change_rules::EligibleOffer;
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_context::current_request_id;

/// Media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldProblem {
    /// Path of the field in the request, e.g. `client.cin`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// An error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// URI reference identifying the problem type.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Explanation of this occurrence.
    pub detail: String,
    /// Stable machine-readable code, e.g. `offer_delete_blocked`.
    pub code: String,
    /// Invalid fields, for validation errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Id of the request (also in `X-Request-Id`), to quote to support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// With `otp_invalid`: wrong codes still accepted for this challenge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<i32>,
    /// With a refused plan-change target (`service_type_mismatch`, `offer_retired`,
    /// `same_offer` on `submit/plan-change`): the offers the contract may move to, cheapest
    /// first (empty when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible_offers: Option<Vec<EligibleOfferProblem>>,
    /// With `period_already_billed` and `invoice_already_corrected`: the legal number of the
    /// invoice concerned (the earliest one the change falls in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    /// With `period_already_billed`: the month that invoice bills, `YYYY-MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
}

/// One offer a contract may move to, in a refused plan change.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct EligibleOfferProblem {
    /// `ofr_…`: send it as `offer_id`.
    pub offer_id: String,
    /// Offer code.
    pub code: String,
    /// Commercial name.
    pub name: String,
    /// Monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// Monthly price incl. tax, centimes.
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// `upgrade`, `downgrade` or `lateral`.
    pub direction: String,
}

impl From<&EligibleOffer> for EligibleOfferProblem {
    fn from(offer: &EligibleOffer) -> Self {
        EligibleOfferProblem {
            offer_id: offer.offer_id.to_string(),
            code: offer.code.clone(),
            name: offer.name.clone(),
            monthly_price: offer.monthly_price.centimes(),
            monthly_price_incl_tax: offer.monthly_price_incl_tax,
            currency: offer.currency.clone(),
            direction: offer.direction.as_str().to_owned(),
        }
    }
}

/// Every error a handler can answer with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A use case failed.
    #[error(transparent)]
    Domain(#[from] Error),
    /// The request itself is malformed (JSON, parameters, headers).
    #[error("{detail}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        detail: String,
        /// Fields concerned.
        errors: Vec<FieldError>,
    },
    /// No route has this path.
    #[error("no such resource")]
    RouteNotFound,
    /// The path exists with other methods.
    #[error("method not allowed")]
    MethodNotAllowed {
        /// Methods the path accepts, for the `Allow` header.
        allow: String,
    },
    /// Body larger than accepted.
    #[error("request body too large")]
    PayloadTooLarge,
    /// Body larger than an endpoint with its own limit accepts (the limit, in words).
    #[error("request body too large")]
    PayloadOver(&'static str),
    /// The body did not arrive within the read time-out.
    #[error("request body not received in time")]
    RequestTimeout,
    /// Path and query longer than accepted.
    #[error("request URI too long")]
    UriTooLong,
    /// Body not sent in the media type the operation takes.
    #[error("expected Content-Type: {expected}")]
    UnsupportedMediaType {
        /// The media type to send (`application/json`, `application/merge-patch+json`).
        expected: &'static str,
    },
    /// A blocking task failed or was cancelled.
    #[error("internal task failure: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 with one field error.
    pub fn bad_field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::BadRequest {
            code,
            detail: format!("{field}: {message}"),
            errors: vec![FieldError::new(field, message)],
        }
    }

    /// Status, code, title and detail of this error.
    fn parts(&self) -> (StatusCode, String, &'static str, String) {
        match self {
            ApiError::Domain(error) => domain_parts(error),
            ApiError::BadRequest { code, detail, .. } => (
                StatusCode::BAD_REQUEST,
                (*code).to_owned(),
                "Bad request",
                detail.clone(),
            ),
            ApiError::RouteNotFound => (
                StatusCode::NOT_FOUND,
                "not_found".into(),
                "Not found",
                "no resource at this path".into(),
            ),
            ApiError::MethodNotAllowed { allow } => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed".into(),
                "Method not allowed",
                format!("this path accepts {allow}"),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large".into(),
                "Payload too large",
                "request bodies are limited to 1 MiB".into(),
            ),
            ApiError::PayloadOver(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large".into(),
                "Payload too large",
                format!("this request body is limited to {limit}"),
            ),
            ApiError::RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout".into(),
                "Request timeout",
                "the request body was not received in time".into(),
            ),
            ApiError::UriTooLong => (
                StatusCode::URI_TOO_LONG,
                "uri_too_long".into(),
                "URI too long",
                format!(
                    "the path and query are limited to {} bytes",
                    crate::edges::MAX_URI_BYTES
                ),
            ),
            ApiError::UnsupportedMediaType { expected } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type".into(),
                "Unsupported media type",
                format!("send the body as Content-Type: {expected}"),
            ),
            ApiError::Internal(_) => internal(),
        }
    }

    fn field_errors(&self) -> Vec<FieldProblem> {
        let errors = match self {
            ApiError::Domain(Error::Validation(errors)) => errors.as_slice(),
            ApiError::BadRequest { errors, .. } => errors.as_slice(),
            _ => &[],
        };
        errors
            .iter()
            .map(|e| FieldProblem {
                field: e.field.clone(),
                message: e.message.clone(),
            })
            .collect()
    }
}

fn internal() -> (StatusCode, String, &'static str, String) {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error".into(),
        "Internal server error",
        "the server failed; quote the request id to support".into(),
    )
}

fn domain_parts(error: &Error) -> (StatusCode, String, &'static str, String) {
    match error {
        Error::Validation(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed".into(),
            "Validation failed",
            "one or more fields are invalid".into(),
        ),
        Error::NotFound(resource) => (
            StatusCode::NOT_FOUND,
            not_found_code(*resource).into(),
            "Not found",
            format!("{resource} not found"),
        ),
        Error::Conflict(conflict) => (
            StatusCode::CONFLICT,
            conflict_code(conflict).into(),
            "Conflict",
            conflict.to_string(),
        ),
        Error::Rule(rule) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            rule_code(rule).into(),
            "Business rule violated",
            rule.to_string(),
        ),
        Error::Unauthenticated => (
            StatusCode::UNAUTHORIZED,
            "unauthenticated".into(),
            "Unauthenticated",
            "send a valid `Authorization: Bearer <token>` or `X-Actor-Id` header".into(),
        ),
        Error::ActorHeaderNotTrusted => (
            StatusCode::UNAUTHORIZED,
            "actor_header_not_trusted".into(),
            "Unauthenticated",
            "`X-Actor-Id` is honoured only from a trusted gateway address or with a gateway \
             actor's bearer token"
                .into(),
        ),
        Error::Forbidden => (
            StatusCode::FORBIDDEN,
            "forbidden".into(),
            "Forbidden",
            "these credentials do not allow this operation".into(),
        ),
        Error::RateLimited { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited".into(),
            "Too many requests",
            format!("retry in {retry_after_secs} s"),
        ),
        Error::Unavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable".into(),
            "Service unavailable",
            "the database is unavailable; retry later".into(),
        ),
        Error::Storage(_) | Error::Rendering(_) => internal(),
    }
}

fn not_found_code(resource: Resource) -> &'static str {
    match resource {
        Resource::Actor => "actor_not_found",
        Resource::Offer => "offer_not_found",
        Resource::Client => "client_not_found",
        Resource::Subscriber => "subscriber_not_found",
        Resource::Contract => "contract_not_found",
        Resource::ContractDocument => "document_not_found",
        Resource::Draft => "draft_not_found",
        Resource::BillingRun => "billing_run_not_found",
        Resource::Invoice => "invoice_not_found",
        Resource::Payment => "payment_not_found",
        Resource::CreditNote => "credit_note_not_found",
        Resource::CollectionCase => "case_not_found",
        Resource::OtpChallenge => "otp_challenge_not_found",
        Resource::PaymentImport => "payment_import_not_found",
        Resource::UnidentifiedReceipt => "receipt_not_found",
        Resource::WebhookEndpoint => "webhook_endpoint_not_found",
        Resource::WebhookDelivery => "webhook_delivery_not_found",
    }
}

fn conflict_code(conflict: &Conflict) -> &'static str {
    match conflict {
        Conflict::OfferCodeExists => "offer_code_exists",
        Conflict::OfferDeleteBlocked => "offer_delete_blocked",
        Conflict::CinAlreadyExists => "cin_already_exists",
        Conflict::IceAlreadyExists => "ice_already_exists",
        Conflict::ClientDeleteBlocked => "client_delete_blocked",
        Conflict::ServiceIdentifierExists => "service_identifier_exists",
        Conflict::ServiceIdentifierInUse => "service_identifier_in_use",
        Conflict::InvalidStatusTransition { .. } => "invalid_status_transition",
        Conflict::InvoiceAlreadyPaid => "invoice_already_paid",
        Conflict::InvoiceNotOpen => "invoice_not_open",
        Conflict::PaymentAlreadyReversed => "payment_already_reversed",
        Conflict::InvoiceFullyCredited => "invoice_fully_credited",
        Conflict::IdempotencyKeyInUse => "idempotency_key_in_use",
        Conflict::DraftAlreadySubmitted => "draft_already_submitted",
        Conflict::TooManyOpenDrafts => "too_many_open_drafts",
        Conflict::InvoiceAlreadyIssued => "invoice_already_issued",
        Conflict::ClientExistsVerifyCin => "client_exists_verify_cin",
        Conflict::LastActiveAdmin => "last_active_admin",
        Conflict::CaseAlreadyDisputed => "case_already_disputed",
        Conflict::InvoiceOfAnotherClient => "invoice_of_another_client",
        Conflict::InvoiceNotOverdue => "invoice_not_overdue",
        Conflict::NoOpenDispute => "no_open_dispute",
        Conflict::CreditNoteNotForDispute => "credit_note_not_for_dispute",
        Conflict::ReceiptAlreadyAssigned => "receipt_already_assigned",
        Conflict::PeriodAlreadyBilled { .. } => "period_already_billed",
        Conflict::InvoiceAlreadyCorrected { .. } => "invoice_already_corrected",
        Conflict::WebhookEndpointDisabled => "webhook_endpoint_disabled",
        Conflict::DocumentNotCleared { .. } => "document_not_cleared",
        Conflict::InvoiceNotRejected => "invoice_not_rejected",
        Conflict::InvoiceNotVoid => "invoice_not_void",
        Conflict::InvoiceAlreadyReissued => "invoice_already_reissued",
    }
}

fn rule_code(rule: &RuleViolation) -> &'static str {
    match rule {
        RuleViolation::IdempotencyKeyReused => "idempotency_key_reused",
        RuleViolation::ServiceTypeMismatch => "service_type_mismatch",
        RuleViolation::SubscriberNotOwned => "subscriber_not_owned",
        RuleViolation::OfferRetired => "offer_retired",
        RuleViolation::SubscriberNotFoundForClient => "line_not_found_for_client",
        RuleViolation::ContractNotActive => "contract_not_active",
        RuleViolation::SameOffer => "same_offer",
        RuleViolation::ClientInactive => "client_inactive",
        RuleViolation::AmountTooLarge => "amount_too_large",
        RuleViolation::InvoiceVoid => "invoice_void",
        RuleViolation::CreditExceedsInvoice => "credit_exceeds_invoice",
        RuleViolation::InvoiceNotOwned => "invoice_not_owned",
        RuleViolation::InsufficientCredit => "insufficient_credit",
        RuleViolation::PaymentCreditRefunded => "payment_credit_refunded",
        RuleViolation::EffectiveDateTooEarly => "effective_date_too_early",
        RuleViolation::DraftTooLarge => "draft_too_large",
        RuleViolation::TargetNotEligible { reason, .. } => rule_code(reason),
        RuleViolation::OtpInvalid { .. } => "otp_invalid",
        RuleViolation::OtpExpired => "otp_expired",
        RuleViolation::OtpNoDestination => "otp_no_destination",
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, code, title, detail) = self.parts();
        let request_id = current_request_id();
        if status.is_server_error() {
            // The cause stays in the logs; the client sees only the request id.
            tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), error = %self, "server error");
        }
        let problem = Problem {
            problem_type: format!("https://mt-facturation.ma/problems/{code}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            code,
            errors: self.field_errors(),
            request_id: if status.is_server_error() {
                request_id
            } else {
                None
            },
            attempts_left: match self {
                ApiError::Domain(Error::Rule(RuleViolation::OtpInvalid { attempts_left })) => {
                    Some(*attempts_left)
                }
                _ => None,
            },
            eligible_offers: match self {
                ApiError::Domain(Error::Rule(RuleViolation::TargetNotEligible {
                    eligible_offers,
                    ..
                })) => Some(
                    eligible_offers
                        .iter()
                        .map(EligibleOfferProblem::from)
                        .collect(),
                ),
                _ => None,
            },
            invoice_number: match self {
                ApiError::Domain(Error::Conflict(
                    Conflict::PeriodAlreadyBilled { invoice_number, .. }
                    | Conflict::InvoiceAlreadyCorrected { invoice_number },
                )) => Some(invoice_number.clone()),
                _ => None,
            },
            period: match self {
                ApiError::Domain(Error::Conflict(Conflict::PeriodAlreadyBilled {
                    period, ..
                })) => Some(period.clone()),
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::Domain(Error::RateLimited { retry_after_secs }) => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Domain(Error::Unavailable(_)) => {
                response.insert_header((
                    header::RETRY_AFTER,
                    crate::readiness::RETRY_AFTER_SECS.to_string(),
                ));
            }
            ApiError::Domain(Error::Unauthenticated | Error::ActorHeaderNotTrusted) => {
                response
                    .insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::MethodNotAllowed { allow } => {
                if let Ok(value) = HeaderValue::from_str(allow) {
                    response.insert_header((header::ALLOW, value));
                }
            }
            _ => {}
        }
        match serde_json::to_vec(&problem) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}
