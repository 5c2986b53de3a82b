//! P9 steps 1–2: verify a CIN, then list its subscriptions with the offers each may move to.

use actix_web::{get, post, web, HttpResponse};
use domain::error::Resource;
use domain::landing::{CinProof, CinVerification, Subscription};
use domain::services::Services;
use domain::typed_ids::OtpChallengeId;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::queries::LookupQuery;
use super::views::LandingOffer;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::LandingErrors;

/// A CIN to verify.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyCinRequest {
    /// National ID card number, e.g. `AB123456` (case and spaces ignored).
    pub cin: String,
}

/// Just enough of the client to greet them.
#[derive(Debug, Serialize, ToSchema)]
pub struct GreetingView {
    /// First name.
    pub first_name: String,
    /// Initial of the last name, e.g. `B.`.
    pub last_name_initial: String,
}

/// A verified CIN.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyCinResponse {
    /// Token for `/landing/clients/{cin}/…` reads of this CIN only.
    pub lookup_token: String,
    /// When the token stops working (15 minutes by default).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// The client.
    pub client: GreetingView,
}

impl From<CinVerification> for VerifyCinResponse {
    fn from(verified: CinVerification) -> Self {
        Self {
            lookup_token: verified.lookup_token,
            expires_at: verified.expires_at,
            client: GreetingView {
                first_name: verified.first_name,
                last_name_initial: verified.last_name_initial,
            },
        }
    }
}

/// A one-time code was sent (setting `MTF_LANDING_OTP=on`): confirm it to get the token.
#[derive(Debug, Serialize, ToSchema)]
pub struct OtpChallengeResponse {
    /// Id to send to `verify-cin/confirm` with the code.
    pub challenge_id: String,
    /// `sms` or `email`.
    pub channel: String,
    /// Where the code went, mostly hidden, e.g. `06••••••78`.
    pub masked_destination: String,
}

/// The answer of `verify-cin`: the token (one-time code off) or a challenge (on).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum VerifyCinAnswer {
    /// `MTF_LANDING_OTP=off`: the lookup token.
    Verified(VerifyCinResponse),
    /// `MTF_LANDING_OTP=on`: a code was sent; see `/landing/clients/verify-cin/confirm`.
    Challenge(OtpChallengeResponse),
}

#[utoipa::path(
    tag = "landing",
    security(()),
    request_body = VerifyCinRequest,
    responses(
        (status = 200, description = "CIN known. One-time code off: lookup token issued. On: a 6-digit code (valid 5 minutes, 5 tries) was sent to the client's mobile line or e-mail on file; confirm it", body = VerifyCinAnswer),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`, and nothing more", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: not a CIN; `otp_no_destination`: no mobile line or e-mail on file to send a code to", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many verifications from this address, or of this CIN from any address", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`service_unavailable`: the code could not be sent; ask again", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/verify-cin")]
pub async fn verify_cin(
    services: web::Data<Services>,
    json: ApiJson<VerifyCinRequest>,
) -> Result<HttpResponse, ApiError> {
    let landing = services.landing.clone();
    let proof = blocking(move || landing.verify_cin(&json.body.cin)).await?;
    Ok(HttpResponse::Ok().json(match proof {
        CinProof::Verified(verified) => VerifyCinAnswer::Verified(verified.into()),
        CinProof::Challenge(issued) => VerifyCinAnswer::Challenge(OtpChallengeResponse {
            challenge_id: issued.challenge_id,
            channel: issued.channel.as_str().to_owned(),
            masked_destination: issued.masked_destination,
        }),
    }))
}

/// The code received after `verify-cin`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmCinRequest {
    /// From `verify-cin`.
    pub challenge_id: String,
    /// The 6 digits received.
    pub code: String,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    request_body = ConfirmCinRequest,
    responses(
        (status = 200, description = "Right code: the same body `verify-cin` gives with the one-time code off", body = VerifyCinResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`otp_challenge_not_found`: unknown challenge, or replaced by a newer code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`otp_invalid` (wrong code; `attempts_left` says how many tries remain), `otp_expired` (expired, already used or out of tries: verify the CIN again) or `validation_failed` on `code` (not 6 digits; spends no try)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many verifications from this address", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/verify-cin/confirm")]
pub async fn confirm_cin(
    services: web::Data<Services>,
    json: ApiJson<ConfirmCinRequest>,
) -> Result<HttpResponse, ApiError> {
    let landing = services.landing.clone();
    let body = json.body;
    let challenge = existing(
        OtpChallengeId::parse(&body.challenge_id),
        Resource::OtpChallenge,
    )?;
    let verified = blocking(move || landing.confirm_cin(&challenge, &body.code)).await?;
    Ok(HttpResponse::Ok().json(VerifyCinResponse::from(verified)))
}

/// An offer a contract may move to.
#[derive(Debug, Serialize, ToSchema)]
pub struct EligibleOfferView {
    /// The target offer.
    pub offer: LandingOffer,
    /// `upgrade` (dearer than the contract's price incl. tax) or `downgrade`.
    pub direction: String,
}

/// One live contract of the client.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    /// `ctr_…`.
    pub contract_id: String,
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// Current offer, as in the catalog.
    pub offer: LandingOffer,
    /// `pending`, `active` or `suspended`.
    pub status: String,
    /// Effective start of the current offer.
    #[serde(with = "super::dates::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub contract_start_date: Date,
    /// Commitment, months.
    pub commitment_months: i32,
    /// End of commitment.
    #[serde(with = "super::dates::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub commitment_end_date: Date,
    /// Price the contract states (snapshot), excl. tax, centimes.
    pub monthly_price: i64,
    /// Same, incl. tax.
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// The line with its middle hidden, e.g. `+2126••••••78`.
    pub service_identifier_masked: String,
    /// Plan-change targets; empty unless the contract is active.
    pub eligible_offers: Vec<EligibleOfferView>,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> Self {
        let c = s.contract;
        Self {
            monthly_price_incl_tax: domain::landing::plan_change_rules::current_price_incl_tax(&c),
            contract_id: c.id.into_string(),
            contract_number: c.contract_number,
            offer: LandingOffer::from(&s.offer),
            status: c.status.as_str().to_owned(),
            contract_start_date: c.contract_start_date,
            commitment_months: c.commitment_months,
            commitment_end_date: c.commitment_end_date,
            monthly_price: c.monthly_price.centimes(),
            currency: c.currency,
            service_identifier_masked: s.service_identifier_masked,
            eligible_offers: s
                .eligible_offers
                .iter()
                .map(|(offer, direction)| EligibleOfferView {
                    offer: LandingOffer::from(offer),
                    direction: direction.as_str().to_owned(),
                })
                .collect(),
        }
    }
}

/// The client's live contracts.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionsResponse {
    /// Oldest first.
    pub items: Vec<SubscriptionView>,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(
        ("cin" = String, Path, description = "The verified CIN"),
        LookupQuery
    ),
    responses(
        (status = 200, description = "Live contracts and their eligible offers", body = SubscriptionsResponse),
        (status = 400, description = "`invalid_query`: undecodable query string or repeated `lookup_token`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: missing, expired, tampered or other-CIN token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`client_not_found`: the client no longer exists", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[get("/{cin}/subscriptions")]
pub async fn subscriptions(
    services: web::Data<Services>,
    path: web::Path<String>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    // Other parameters are ignored, not refused: links get tracking parameters appended.
    let token = query.read_ignoring_others::<LookupQuery>()?.lookup_token;
    let cin = path.into_inner();
    let landing = services.landing.clone();
    let items = blocking(move || landing.subscriptions(&cin, token.as_deref())).await?;
    Ok(HttpResponse::Ok().json(SubscriptionsResponse {
        items: items.into_iter().map(SubscriptionView::from).collect(),
    }))
}
