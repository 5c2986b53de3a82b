//! Request and response bodies of the offer endpoints.

use domain::catalog::{Offer, OfferCategory, OfferInput, OfferStatus};
use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use domain::service_type::ServiceType;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use super::usage::{
    usage_bodies, usage_members, AllowancesBody, AllowancesResponse, OverageRatesBody,
    OverageRatesResponse,
};
use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// An offer as created (`POST /offers`); omitted optional fields take their defaults.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    /// Unique code: 2 to 40 letters, digits, `_` or `-`; stored upper-case.
    #[schema(example = "FORFAIT-20GO")]
    pub code: String,
    /// Commercial name, 1 to 200 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    #[schema(example = "Forfait 20 Go")]
    pub name: String,
    /// Free description, at most 2000 characters; default empty. Line feeds and tabs allowed; no other control,
    /// escape or bidi formatting character.
    pub description: Option<String>,
    /// `mobile`, `internet` or `landline`.
    #[schema(example = "mobile")]
    pub service_type: String,
    /// Monthly price excl. tax in centimes, 0 to 1 000 000 000.
    #[schema(example = 9900)]
    pub monthly_price: i64,
    /// `MAD` (the only currency); default `MAD`.
    pub currency: Option<String>,
    /// Tax rate in basis points, 0 to 10 000; default 2000 (TVA 20 %).
    pub tax_rate_bp: Option<i64>,
    /// Default commitment in months, 0 to 60; default 0.
    pub commitment_months: Option<i64>,
    /// `active` or `retired`; default `active`. Retired offers leave the landing catalog.
    pub status: Option<String>,
    /// What a month of the plan includes; with `overage_rates`, or neither (an offer without
    /// them rates no usage). Absent or `null`: no usage terms.
    pub allowances: Option<AllowancesBody>,
    /// What goes beyond the allowances costs; with `allowances`, or neither.
    pub overage_rates: Option<OverageRatesBody>,
}

impl OfferRequest {
    /// The members of a complete representation: a `PUT` names each of them.
    pub const MEMBERS: [&'static str; 11] = [
        "code",
        "name",
        "description",
        "service_type",
        "monthly_price",
        "currency",
        "tax_rate_bp",
        "commitment_months",
        "status",
        "allowances",
        "overage_rates",
    ];

    /// `offer` as a request body: what a merge patch applies to.
    pub fn current(offer: &Offer) -> serde_json::Value {
        let (allowances, overage_rates) = usage_bodies(offer.usage.as_ref());
        serde_json::to_value(OfferRequest {
            allowances,
            overage_rates,
            code: offer.code.as_str().to_owned(),
            name: offer.name.clone(),
            description: Some(offer.description.clone()),
            service_type: offer.service_type.as_str().to_owned(),
            monthly_price: offer.monthly_price.centimes(),
            currency: Some(offer.currency.clone()),
            tax_rate_bp: Some(offer.tax_rate_bp.into()),
            commitment_months: Some(offer.commitment_months.into()),
            status: Some(offer.status.as_str().to_owned()),
        })
        .unwrap_or_default()
    }
}

/// `PUT /offers/{offer_id}`: the complete offer. Every member is required; `null` stands for
/// the default (empty description, `MAD`, 2000, 0, `active`). Validated as `POST`.
// Deserialize only for `deny_unknown_fields`, which the document then shows as
// `additionalProperties: false`, as the parser behaves; the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct OfferReplacement {
    #[schema(example = "FORFAIT-20GO")]
    code: String,
    #[schema(example = "Forfait 20 Go")]
    name: String,
    #[schema(required = true, example = "20 Go, appels illimités")]
    description: Option<String>,
    #[schema(example = "mobile")]
    service_type: String,
    #[schema(example = 9900)]
    monthly_price: i64,
    #[schema(required = true, example = "MAD")]
    currency: Option<String>,
    #[schema(required = true, example = 2000)]
    tax_rate_bp: Option<i64>,
    #[schema(required = true, example = 12)]
    commitment_months: Option<i64>,
    #[schema(required = true, example = "active")]
    status: Option<String>,
    /// `null` for an offer without usage terms.
    #[schema(required = true)]
    allowances: Option<AllowancesBody>,
    /// `null` for an offer without usage terms; with `allowances`, or neither.
    #[schema(required = true)]
    overage_rates: Option<OverageRatesBody>,
}

/// `PATCH /offers/{offer_id}` (`application/merge-patch+json`): any members of the offer; those
/// absent stay as they are, `null` restores an optional member's default. The result is
/// validated as a `PUT`.
// Deserialize only for `deny_unknown_fields`, which the document then shows as
// `additionalProperties: false`, as the parser behaves; the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct OfferPatch {
    code: Option<String>,
    name: Option<String>,
    description: Option<String>,
    service_type: Option<String>,
    monthly_price: Option<i64>,
    currency: Option<String>,
    tax_rate_bp: Option<i64>,
    commitment_months: Option<i64>,
    status: Option<String>,
    /// Merged member by member; `null` removes the usage terms (send `overage_rates: null`
    /// too).
    allowances: Option<AllowancesBody>,
    /// Merged member by member; `null` removes them (with `allowances: null`).
    overage_rates: Option<OverageRatesBody>,
}

impl From<OfferRequest> for OfferInput {
    fn from(r: OfferRequest) -> Self {
        OfferInput {
            code: r.code,
            name: r.name,
            description: r.description,
            service_type: r.service_type,
            monthly_price: r.monthly_price,
            currency: r.currency,
            tax_rate_bp: r.tax_rate_bp,
            commitment_months: r.commitment_months,
            status: r.status,
            allowances: r.allowances.map(Into::into),
            overage_rates: r.overage_rates.map(Into::into),
        }
    }
}

/// An offer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OfferResponse {
    /// `ofr_…`.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Commercial name.
    pub name: String,
    /// Free description.
    pub description: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// Monthly price incl. tax, centimes (half-up to the centime).
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Tax rate in basis points.
    pub tax_rate_bp: i32,
    /// Default commitment in months.
    pub commitment_months: i32,
    /// `active` or `retired`.
    pub status: String,
    /// What a month includes; `null` for an offer without usage terms.
    pub allowances: Option<AllowancesResponse>,
    /// Out-of-bundle rates; `null` for an offer without usage terms.
    pub overage_rates: Option<OverageRatesResponse>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<&Offer> for OfferResponse {
    fn from(offer: &Offer) -> Self {
        let (allowances, overage_rates) = usage_members(offer.usage.as_ref());
        OfferResponse {
            allowances,
            overage_rates,
            id: offer.id.to_string(),
            code: offer.code.as_str().to_owned(),
            name: offer.name.clone(),
            description: offer.description.clone(),
            service_type: offer.service_type.as_str().to_owned(),
            monthly_price: offer.monthly_price.centimes(),
            monthly_price_incl_tax: offer.monthly_price_incl_tax(),
            currency: offer.currency.clone(),
            tax_rate_bp: offer.tax_rate_bp,
            commitment_months: offer.commitment_months,
            status: offer.status.as_str().to_owned(),
            created_at: offer.created_at,
            updated_at: offer.updated_at,
        }
    }
}

/// One page of offers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OfferList {
    /// The offers, ordered by id (creation order).
    pub items: Vec<OfferResponse>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<Page<Offer>> for OfferList {
    fn from(page: Page<Offer>) -> Self {
        OfferList {
            items: page.items.iter().map(OfferResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Query parameters of `GET /offers`: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferListQuery {
    /// Only this service family: `mobile`, `internet` or `landline` (the name contracts and
    /// invoices use).
    #[param(value_type = Option<String>, pattern = "^(mobile|internet|landline)$")]
    pub service: Option<ServiceType>,
    /// Alias of `service`, kept for existing callers; both given and different is 422.
    #[param(value_type = Option<String>, pattern = "^(mobile|internet|landline)$")]
    pub service_type: Option<ServiceType>,
    /// Only offers in this status: `active` or `retired`.
    #[param(value_type = Option<String>, pattern = "^(active|retired)$")]
    pub status: Option<OfferStatus>,
    /// Case-insensitive substring of the code or the name.
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^ofr_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for OfferListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let service = params.parse_aliased("service", "service_type", ServiceType::parse)?;
        let status = params.parse_with("status", OfferStatus::parse)?;
        let q = params.take("q")?;
        let page = params.page(IdKind::Offer)?;
        Ok(OfferListQuery {
            service,
            service_type: service,
            status,
            q,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// Query parameters of `GET /offer-categories`: parsed and documented by this declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CategoryQuery {
    /// Only offers in this status (`active` or `retired`); default all, each with its status.
    #[param(value_type = Option<String>, pattern = "^(active|retired)$")]
    pub status: Option<OfferStatus>,
}

impl FromQuery for CategoryQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let status = params.parse_with("status", OfferStatus::parse)?;
        Ok(CategoryQuery { status })
    }
}

/// One service family and its offers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryResponse {
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Label shown to people (`Téléphonie fixe`).
    pub label: String,
    /// Number of offers listed.
    pub offer_count: usize,
    /// The offers, ordered by code.
    pub offers: Vec<OfferResponse>,
}

impl From<&OfferCategory> for CategoryResponse {
    fn from(category: &OfferCategory) -> Self {
        CategoryResponse {
            service_type: category.service_type.as_str().to_owned(),
            label: category.label().to_owned(),
            offer_count: category.offer_count(),
            offers: category.offers.iter().map(OfferResponse::from).collect(),
        }
    }
}

/// The catalog grouped by service family: always the three families, in catalog order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CategoryList {
    /// One entry per service type.
    pub items: Vec<CategoryResponse>,
}
