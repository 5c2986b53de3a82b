//! P8 step 2 and P9 step 3: the two idempotent landing writes. Both are scoped to the CIN
//! (`cin:<CIN>`) and run their use case inside the idempotency transaction.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use domain::clients::input::ClientInput;
use domain::landing::{idempotency_scope, NewSubscription, PlanChangeRequest};
use domain::services::Services;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::views::document_url;
use crate::idempotency::{self, json_response};
use crate::json::ApiJson;
use crate::problem::{ApiError, Problem};
use crate::public_links::link_base;
use crate::responses::LandingErrors;

/// The client as the form sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriberClient {
    /// National ID card number, e.g. `AB123456`.
    pub cin: String,
    /// First name, 1 to 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    pub first_name: String,
    /// Last name, 1 to 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    pub last_name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone (`06…`, `+212…`).
    pub phone: Option<String>,
    /// Postal address, at most 300 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    pub address: Option<String>,
    /// City, at most 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    pub city: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

/// The line to subscribe.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriberLine {
    /// Phone number (mobile, landline) or line id (internet).
    pub service_identifier: String,
}

/// A new subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitNewRequest {
    /// The draft this finishes (marked `submitted`).
    pub draft_id: Option<String>,
    /// Who subscribes. An existing CIN needs `lookup_token`; its stored details are kept
    /// and the differences sent are recorded on the contract's audit trail.
    pub client: SubscriberClient,
    /// `lookup_token` from `verify-cin` (or its `/confirm`) for `client.cin`: required when
    /// that CIN is already a client, ignored otherwise.
    pub lookup_token: Option<String>,
    /// Active offer.
    pub offer_id: String,
    /// `YYYY-MM-DD`, within a year of today either way.
    pub contract_start_date: String,
    /// 0, 12 or 24; default the offer's.
    pub commitment_months: Option<i32>,
    /// The line.
    pub subscriber: SubscriberLine,
}

/// The subscription made.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmitNewResponse {
    /// `cli_…`.
    pub client_id: String,
    /// `ctr_…`.
    pub contract_id: String,
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// `active`.
    pub status: String,
    /// Absolute path of the contract PDF with its token (a URL on `MTF_PUBLIC_BASE_URL` when set).
    pub document_download_url: String,
    /// When that link stops working.
    #[serde(with = "time::serde::rfc3339")]
    pub document_expires_at: OffsetDateTime,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(("Idempotency-Key" = String, Header, description = "1 to 255 visible ASCII characters, unique per attempt")),
    request_body = SubmitNewRequest,
    responses(
        (status = 201, description = "Client and contract created; contract PDF produced", body = SubmitNewResponse),
        (status = 400, description = "Malformed body, or `idempotency_key_required`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`draft_not_found` or `offer_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`client_exists_verify_cin` (the CIN is a client: verify it and send `lookup_token`), `draft_already_submitted`, `service_identifier_in_use`, `service_identifier_exists` or `idempotency_key_in_use`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `offer_retired`, `client_inactive` or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[post("/submit/new")]
pub async fn submit_new(
    req: HttpRequest,
    services: web::Data<Services>,
    json: ApiJson<SubmitNewRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = json.body;
    let scope = idempotency_scope(&body.client.cin);
    let request = NewSubscription {
        draft_id: body.draft_id,
        lookup_token: body.lookup_token,
        client: ClientInput {
            cin: body.client.cin,
            first_name: body.client.first_name,
            last_name: body.client.last_name,
            email: body.client.email,
            phone: body.client.phone,
            address: body.client.address,
            city: body.client.city,
            birth_date: body.client.birth_date,
            ..ClientInput::default()
        },
        offer_id: body.offer_id,
        contract_start_date: body.contract_start_date,
        commitment_months: body.commitment_months,
        service_identifier: body.subscriber.service_identifier,
    };
    let landing = services.landing.clone();
    let base = link_base(&req);
    idempotency::run(
        &services,
        &req,
        scope,
        &json.document,
        move |uow| landing.subscribe_in(uow, &request),
        move |done| {
            json_response(
                StatusCode::CREATED,
                &SubmitNewResponse {
                    client_id: done.client.id.to_string(),
                    contract_id: done.contract.id.to_string(),
                    contract_number: done.contract.contract_number.clone(),
                    status: done.contract.status.as_str().to_owned(),
                    document_download_url: document_url(base.as_ref(), &done.link),
                    document_expires_at: done.link.expires_at,
                },
            )
        },
    )
    .await
}

/// A plan change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanChangeBody {
    /// The verified CIN.
    pub cin: String,
    /// Its `lookup_token` from `verify-cin`.
    pub lookup_token: String,
    /// One of its active contracts.
    pub contract_id: String,
    /// Target offer: same service type, active, not the current one (the name the rest of
    /// the API uses).
    pub offer_id: Option<String>,
    /// Older name of `offer_id`, still accepted; both given and different is 422.
    pub target_offer_id: Option<String>,
    /// `YYYY-MM-DD`: first day on the new offer, where the commitment restarts; not before
    /// the current offer's start, at most a year ahead.
    pub contract_start_date: String,
}

/// The plan change made.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanChangeResponse {
    /// `ctr_…`.
    pub contract_id: String,
    /// `upgrade`, `downgrade` or `lateral` (same price incl. tax).
    pub direction: String,
    /// The offer left.
    pub previous_offer_id: String,
    /// The offer now on.
    pub offer_id: String,
    /// Effective start of the new offer.
    #[serde(with = "super::dates::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub contract_start_date: Date,
    /// Commitment months (kept from the contract).
    pub commitment_months: i32,
    /// New end of commitment.
    #[serde(with = "super::dates::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub commitment_end_date: Date,
    /// New monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// `MAD`.
    pub currency: String,
    /// The new document's version.
    pub document_version: i32,
    /// Absolute path of the latest contract PDF with its token (a URL on `MTF_PUBLIC_BASE_URL`
    /// when set).
    pub document_download_url: String,
    /// When that link stops working.
    #[serde(with = "time::serde::rfc3339")]
    pub document_expires_at: OffsetDateTime,
}

#[utoipa::path(
    tag = "landing",
    security(()),
    params(("Idempotency-Key" = String, Header, description = "1 to 255 visible ASCII characters, unique per attempt")),
    request_body = PlanChangeBody,
    responses(
        (status = 200, description = "Plan changed; new document version produced", body = PlanChangeResponse),
        (status = 400, description = "Malformed body, or `idempotency_key_required`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: lookup token missing, expired, tampered or for another CIN", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`contract_not_found` (unknown or not this CIN's) or `offer_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_key_in_use`; `period_already_billed` (`contract_start_date` falls in a month already invoiced for the contract, named by `invoice_number` and `period`: choose a later date)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`offer_id` missing, or `offer_id` and `target_offer_id` differ), `contract_not_active`, `effective_date_too_early` or `idempotency_key_reused`; `same_offer`, `service_type_mismatch` or `offer_retired` with `eligible_offers`, the offers the contract may move to", body = Problem, content_type = "application/problem+json"),
        LandingErrors
    )
)]
#[post("/submit/plan-change")]
pub async fn submit_plan_change(
    req: HttpRequest,
    services: web::Data<Services>,
    json: ApiJson<PlanChangeBody>,
) -> Result<HttpResponse, ApiError> {
    let body = json.body;
    let scope = idempotency_scope(&body.cin);
    let request = PlanChangeRequest {
        cin: body.cin,
        lookup_token: body.lookup_token,
        contract_id: body.contract_id,
        offer_id: body.offer_id,
        target_offer_id: body.target_offer_id,
        contract_start_date: body.contract_start_date,
    };
    let landing = services.landing.clone();
    let base = link_base(&req);
    idempotency::run(
        &services,
        &req,
        scope,
        &json.document,
        move |uow| landing.change_plan_in(uow, &request),
        move |done| {
            let c = &done.contract;
            json_response(
                StatusCode::OK,
                &PlanChangeResponse {
                    contract_id: c.id.to_string(),
                    direction: done.direction.as_str().to_owned(),
                    previous_offer_id: done.previous_offer_id.to_string(),
                    offer_id: c.offer_id.to_string(),
                    contract_start_date: c.contract_start_date,
                    commitment_months: c.commitment_months,
                    commitment_end_date: c.commitment_end_date,
                    monthly_price: c.monthly_price.centimes(),
                    currency: c.currency.clone(),
                    document_version: c.document_version,
                    document_download_url: document_url(base.as_ref(), &done.link),
                    document_expires_at: done.link.expires_at,
                },
            )
        },
    )
    .await
}
