//! Request and response bodies of the client endpoints.

use domain::clients::{Cin, Client, ClientFilter, ClientInput, ClientStatus};
use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// A client as created (`POST /customers`): omitted optional fields stay empty and `status`
/// defaults to `active`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientRequest {
    /// National ID: one or two letters then 3 to 8 digits; stored trimmed, upper-case.
    #[schema(example = "AB123456")]
    pub cin: String,
    /// First name, 1 to 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    #[schema(example = "Hajar")]
    pub first_name: String,
    /// Last name, 1 to 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    #[schema(example = "Benkirane")]
    pub last_name: String,
    /// E-mail address; stored lower-case.
    pub email: Option<String>,
    /// Moroccan number (`0612345678`, `+212612345678`…); stored in E.164.
    #[schema(example = "0612345678")]
    pub phone: Option<String>,
    /// Postal address, at most 300 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    pub address: Option<String>,
    /// City, at most 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    pub city: Option<String>,
    /// `YYYY-MM-DD`, not in the future; blank counts as absent.
    #[schema(
        pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$",
        example = "1990-05-17"
    )]
    pub birth_date: Option<String>,
    /// `active` or `inactive`; default `active`.
    pub status: Option<String>,
}

impl ClientRequest {
    /// The members of a complete representation: a `PUT` names each of them.
    pub const MEMBERS: [&'static str; 9] = [
        "cin",
        "first_name",
        "last_name",
        "email",
        "phone",
        "address",
        "city",
        "birth_date",
        "status",
    ];

    /// `client` as a request body: what a merge patch applies to.
    pub fn current(client: &Client) -> serde_json::Value {
        serde_json::to_value(ClientRequest {
            cin: client.cin.as_str().to_owned(),
            first_name: client.first_name.clone(),
            last_name: client.last_name.clone(),
            email: client.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: client.phone.clone(),
            address: client.address.clone(),
            city: client.city.clone(),
            birth_date: client.birth_date.map(|d| d.to_string()),
            status: Some(client.status.as_str().to_owned()),
        })
        .unwrap_or_default()
    }
}

/// `PUT /customers/{client_id}`: the complete client. Every member is required; `null` clears
/// an optional one (`status`: `active`). Validated as `POST`.
// Deserialize only for `deny_unknown_fields`, which the document then shows as
// `additionalProperties: false`, as the parser behaves; the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ClientReplacement {
    #[schema(example = "AB123456")]
    cin: String,
    #[schema(example = "Hajar")]
    first_name: String,
    #[schema(example = "Benkirane")]
    last_name: String,
    #[schema(required = true, example = "hajar@example.ma")]
    email: Option<String>,
    #[schema(required = true, example = "0612345678")]
    phone: Option<String>,
    #[schema(required = true, example = "12 rue Talaa")]
    address: Option<String>,
    #[schema(required = true, example = "Fès")]
    city: Option<String>,
    #[schema(
        required = true,
        pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$",
        example = "1990-05-17"
    )]
    birth_date: Option<String>,
    #[schema(required = true, example = "active")]
    status: Option<String>,
}

/// `PATCH /customers/{client_id}` (`application/merge-patch+json`): any members of the client;
/// those absent stay as they are, `null` clears an optional member. The result is validated
/// as a `PUT`.
// Deserialize only for `deny_unknown_fields`, which the document then shows as
// `additionalProperties: false`, as the parser behaves; the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ClientPatch {
    cin: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    city: Option<String>,
    #[schema(pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$")]
    birth_date: Option<String>,
    status: Option<String>,
}

impl From<ClientRequest> for ClientInput {
    fn from(r: ClientRequest) -> Self {
        ClientInput {
            cin: r.cin,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            phone: r.phone,
            address: r.address,
            city: r.city,
            birth_date: r.birth_date,
            status: r.status,
        }
    }
}

/// A client.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientResponse {
    /// `cli_…`.
    pub id: String,
    /// National ID, normalised.
    pub cin: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail address, lower-case.
    pub email: Option<String>,
    /// Phone in E.164 (`+212612345678`).
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub birth_date: Option<String>,
    /// `active` or `inactive`.
    pub status: String,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<&Client> for ClientResponse {
    fn from(client: &Client) -> Self {
        ClientResponse {
            id: client.id.to_string(),
            cin: client.cin.as_str().to_owned(),
            first_name: client.first_name.clone(),
            last_name: client.last_name.clone(),
            email: client.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: client.phone.clone(),
            address: client.address.clone(),
            city: client.city.clone(),
            birth_date: client.birth_date.map(|d| d.to_string()),
            status: client.status.as_str().to_owned(),
            created_at: client.created_at,
            updated_at: client.updated_at,
        }
    }
}

/// One page of clients.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientList {
    /// The clients, ordered by id (creation order).
    pub items: Vec<ClientResponse>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<Page<Client>> for ClientList {
    fn from(page: Page<Client>) -> Self {
        ClientList {
            items: page.items.iter().map(ClientResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Query parameters of `GET /customers`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientListQuery {
    /// At least 3 characters, matched case-insensitively inside "first last CIN phone
    /// e-mail"; a phone number in any usual form is matched in its E.164 form.
    #[param(pattern = "\\S[\\s\\S]+\\S")]
    pub q: Option<String>,
    /// Exactly this CIN (normalised first).
    #[param(value_type = Option<String>, pattern = "^\\s*[A-Za-z]{1,2}[0-9]{3,8}\\s*$")]
    pub cin: Option<Cin>,
    /// Only clients in this status: `active` or `inactive`.
    #[param(value_type = Option<String>, pattern = "^(active|inactive)$")]
    pub status: Option<ClientStatus>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^cli_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for ClientListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let q = params.parse_with("q", ClientFilter::search)?;
        let cin = params.parse_with("cin", Cin::parse)?;
        let status = params.parse_with("status", ClientStatus::parse)?;
        let page = params.page(IdKind::Client)?;
        Ok(ClientListQuery {
            q,
            cin,
            status,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}
