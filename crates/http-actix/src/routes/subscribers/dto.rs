//! Request and response bodies of the subscriber (service line) endpoints.

use domain::clients::{Subscriber, SubscriberInput};
use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use domain::service_type::ServiceType;
use domain::typed_ids::ClientId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// A new line (`POST /subscribers`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSubscriberRequest {
    /// Owner, `cli_…`; an active client.
    pub client_id: String,
    /// `mobile`, `internet` or `landline`; fixed for the line's life.
    #[schema(example = "mobile")]
    pub service_type: String,
    /// Number (`0612345678`, stored `+212612345678`; mobile 6/7, landline 5) or internet
    /// line id (4 to 32 letters, digits, `-`, `_`, `.`; stored upper-case).
    #[schema(example = "0612345678")]
    pub service_identifier: String,
}

impl From<CreateSubscriberRequest> for SubscriberInput {
    fn from(r: CreateSubscriberRequest) -> Self {
        SubscriberInput {
            client_id: r.client_id,
            service_type: r.service_type,
            service_identifier: r.service_identifier,
        }
    }
}

/// A number change (`PUT /subscribers/{subscriber_id}`, the complete changeable part of a
/// line; `PATCH` takes the same members as a merge patch): only the identifier can change.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSubscriberRequest {
    /// The new identifier, validated for the line's service type.
    #[schema(example = "0698765432")]
    pub service_identifier: String,
}

impl UpdateSubscriberRequest {
    /// The members of a complete representation: a `PUT` names each of them.
    pub const MEMBERS: [&'static str; 1] = ["service_identifier"];

    /// `line` as a request body: what a merge patch applies to.
    pub fn current(line: &Subscriber) -> serde_json::Value {
        serde_json::json!({ "service_identifier": line.service_identifier.as_str() })
    }
}

/// `PATCH /subscribers/{subscriber_id}` (`application/merge-patch+json`): absent, the number
/// stays; `null` is refused (a line always has one).
// Deserialize only for `deny_unknown_fields`, which the document then shows as
// `additionalProperties: false`, as the parser behaves; the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SubscriberPatch {
    #[schema(example = "0698765432")]
    service_identifier: Option<String>,
}

/// A service line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubscriberResponse {
    /// `sub_…`.
    pub id: String,
    /// Owner.
    pub client_id: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Normalised number or line id.
    pub service_identifier: String,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<&Subscriber> for SubscriberResponse {
    fn from(s: &Subscriber) -> Self {
        SubscriberResponse {
            id: s.id.to_string(),
            client_id: s.client_id.to_string(),
            service_type: s.service_type.as_str().to_owned(),
            service_identifier: s.service_identifier.as_str().to_owned(),
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// One page of lines.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubscriberList {
    /// The lines, ordered by id.
    pub items: Vec<SubscriberResponse>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<Page<Subscriber>> for SubscriberList {
    fn from(page: Page<Subscriber>) -> Self {
        SubscriberList {
            items: page.items.iter().map(SubscriberResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Query parameters of `GET /subscribers`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriberListQuery {
    /// Only lines of this client (`cli_…`).
    #[param(value_type = Option<String>)]
    pub client_id: Option<ClientId>,
    /// Only lines of this type: `mobile`, `internet` or `landline`.
    #[param(value_type = Option<String>, pattern = "^(mobile|internet|landline)$")]
    pub service_type: Option<ServiceType>,
    /// Only the line with this identifier, in any accepted form (`0612345678` finds
    /// `+212612345678`).
    pub service_identifier: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^sub_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for SubscriberListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let client_id = params.parse_with("client_id", |raw| {
            ClientId::parse(raw).map_err(|_| "must be a client id (cli_…)".to_owned())
        })?;
        let service_type = params.parse_with("service_type", ServiceType::parse)?;
        let service_identifier = params.take("service_identifier")?;
        let page = params.page(IdKind::Subscriber)?;
        Ok(SubscriberListQuery {
            client_id,
            service_type,
            service_identifier,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}
