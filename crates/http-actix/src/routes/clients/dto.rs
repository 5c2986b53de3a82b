//! Request and response bodies of the client endpoints.

use domain::clients::{
    Cin, Client, ClientAuditEntry, ClientFilter, ClientInput, ClientKind, ClientStatus, Ice,
    LegalRepresentative, RepresentativeInput,
};
use domain::ids::IdKind;
use domain::page::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::auth::recorded_parts;
use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// A company's legal representative.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalRepresentativeBody {
    /// Full name, 1 to 100 characters (printed: Latin script only).
    #[schema(example = "Karim Alaoui")]
    pub name: String,
    /// Their national ID (one or two letters then 3 to 8 digits).
    #[schema(example = "BK998877")]
    pub cin: String,
}

/// A client as created (`POST /customers`): a person (`kind` absent or `person`: `cin`,
/// `first_name`, `last_name`) or a company (`kind: company`: `company_name`, `ice`, and
/// optionally `rc`, `if`, `legal_representative`; no CIN, names or birth date). Omitted
/// optional fields stay empty, `status` defaults to `active`, `invoicing` to `per_contract`
/// for a person and `per_account` for a company.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientRequest {
    /// `person` (default) or `company`.
    #[schema(example = "person")]
    pub kind: Option<String>,
    /// A person's national ID: one or two letters then 3 to 8 digits; stored trimmed,
    /// upper-case. Required for a person; a company has none.
    #[schema(example = "AB123456")]
    pub cin: Option<String>,
    /// A person's first name, 1 to 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    #[schema(example = "Hajar")]
    pub first_name: Option<String>,
    /// A person's last name, 1 to 100 characters. Printed on contracts and invoices:
    /// Latin script (Windows-1252) only; no control or bidi formatting character.
    #[schema(example = "Benkirane")]
    pub last_name: Option<String>,
    /// A company's registered name, 1 to 200 characters (printed: Latin script only).
    /// Required for a company.
    #[schema(example = "Atlas Logistique SARL")]
    pub company_name: Option<String>,
    /// A company's ICE: 15 digits (spaces ignored), unique among clients. Required for a
    /// company.
    #[schema(example = "001525374000089")]
    pub ice: Option<String>,
    /// A company's trade register (RC) number, at most 30 characters.
    #[schema(example = "RC 12345")]
    pub rc: Option<String>,
    /// A company's tax identifier (IF): 1 to 15 digits.
    #[serde(rename = "if")]
    #[schema(example = "40123456")]
    pub tax_id: Option<String>,
    /// A company's legal representative.
    pub legal_representative: Option<LegalRepresentativeBody>,
    /// `per_contract` (one invoice per contract; a person's default) or `per_account` (one
    /// invoice per month for all the client's contracts; a company's default).
    #[schema(example = "per_contract")]
    pub invoicing: Option<String>,
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
    /// A person's birth date, `YYYY-MM-DD`, not in the future; blank counts as absent.
    #[schema(
        pattern = "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2})?\\s*$",
        example = "1990-05-17"
    )]
    pub birth_date: Option<String>,
    /// `active` or `inactive`; default `active`.
    pub status: Option<String>,
}

impl ClientRequest {
    /// The members of a person's complete representation: a `PUT` of a person names each
    /// of them (`kind` and `invoicing` may be left out: `person` and its default).
    pub const PERSON_MEMBERS: [&'static str; 9] = [
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

    /// The members of a company's complete representation: a `PUT` with `kind: company`
    /// names each of them (`invoicing` may be left out: its default).
    pub const COMPANY_MEMBERS: [&'static str; 11] = [
        "kind",
        "company_name",
        "ice",
        "rc",
        "if",
        "legal_representative",
        "email",
        "phone",
        "address",
        "city",
        "status",
    ];

    /// The members a `PUT` body must name, by the kind it states.
    pub fn members_of(document: &serde_json::Value) -> &'static [&'static str] {
        match document.get("kind").and_then(serde_json::Value::as_str) {
            Some(kind) if kind.trim() == ClientKind::Company.as_str() => &Self::COMPANY_MEMBERS,
            _ => &Self::PERSON_MEMBERS,
        }
    }

    /// `client` as a request body: what a merge patch applies to. Members that do not
    /// apply to its kind are left out.
    pub fn current(client: &Client) -> serde_json::Value {
        let person = client.identity.person();
        let company = client.identity.company();
        serde_json::to_value(ClientRequest {
            kind: Some(client.identity.kind().as_str().to_owned()),
            cin: person.map(|p| p.cin.as_str().to_owned()),
            first_name: person.map(|p| p.first_name.clone()),
            last_name: person.map(|p| p.last_name.clone()),
            company_name: company.map(|c| c.company_name.clone()),
            ice: company.map(|c| c.ice.as_str().to_owned()),
            rc: company.and_then(|c| c.rc.clone()),
            tax_id: company.and_then(|c| c.tax_id.clone()),
            legal_representative: company
                .and_then(|c| c.legal_representative.as_ref())
                .map(LegalRepresentativeBody::from),
            invoicing: Some(client.invoicing.as_str().to_owned()),
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

impl From<&LegalRepresentative> for LegalRepresentativeBody {
    fn from(r: &LegalRepresentative) -> Self {
        LegalRepresentativeBody {
            name: r.name.clone(),
            cin: r.cin.as_str().to_owned(),
        }
    }
}

/// `PUT /customers/{client_id}` for a person: the complete client. Every member is
/// required but `kind` and `invoicing`; `null` clears an optional one (`status`: `active`).
/// Validated as `POST`.
// Deserialize only for `deny_unknown_fields`, which the document then shows as
// `additionalProperties: false`, as the parser behaves; the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PersonReplacement {
    #[schema(example = "person", pattern = "^person$")]
    kind: Option<String>,
    #[schema(example = "AB123456")]
    cin: String,
    #[schema(example = "Hajar")]
    first_name: String,
    #[schema(example = "Benkirane")]
    last_name: String,
    #[schema(example = "per_contract")]
    invoicing: Option<String>,
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

/// `PUT /customers/{client_id}` for a company (`kind: company`): the complete client.
/// Every member is required but `invoicing`; `null` clears an optional one.
// Deserialize only for `deny_unknown_fields` (see `PersonReplacement`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CompanyReplacement {
    #[schema(example = "company", pattern = "^company$")]
    kind: String,
    #[schema(example = "Atlas Logistique SARL")]
    company_name: String,
    #[schema(example = "001525374000089")]
    ice: String,
    #[schema(required = true, example = "RC 12345")]
    rc: Option<String>,
    #[serde(rename = "if")]
    #[schema(required = true, example = "40123456")]
    tax_id: Option<String>,
    #[schema(required = true)]
    legal_representative: Option<LegalRepresentativeBody>,
    #[schema(example = "per_account")]
    invoicing: Option<String>,
    #[schema(required = true, example = "contact@atlas.ma")]
    email: Option<String>,
    #[schema(required = true, example = "0522123456")]
    phone: Option<String>,
    #[schema(required = true, example = "Zone industrielle, lot 12")]
    address: Option<String>,
    #[schema(required = true, example = "Casablanca")]
    city: Option<String>,
    #[schema(required = true, example = "active")]
    status: Option<String>,
}

/// `PUT /customers/{client_id}`: the complete client, as a person or as a company.
// Documentation only: the handler parses the body itself.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum ClientReplacement {
    /// A person.
    Person(PersonReplacement),
    /// A company.
    Company(CompanyReplacement),
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
    kind: Option<String>,
    cin: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    company_name: Option<String>,
    ice: Option<String>,
    rc: Option<String>,
    #[serde(rename = "if")]
    tax_id: Option<String>,
    legal_representative: Option<LegalRepresentativeBody>,
    invoicing: Option<String>,
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
            kind: r.kind,
            cin: r.cin.unwrap_or_default(),
            first_name: r.first_name.unwrap_or_default(),
            last_name: r.last_name.unwrap_or_default(),
            company_name: r.company_name,
            ice: r.ice,
            rc: r.rc,
            tax_id: r.tax_id,
            legal_representative: r.legal_representative.map(|l| RepresentativeInput {
                name: l.name,
                cin: l.cin,
            }),
            invoicing: r.invoicing,
            email: r.email,
            phone: r.phone,
            address: r.address,
            city: r.city,
            birth_date: r.birth_date,
            status: r.status,
        }
    }
}

/// A client: a person or a company.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientResponse {
    /// `cli_…`.
    pub id: String,
    /// `person` or `company`.
    pub kind: String,
    /// The company name, or "first last": what lists and documents show.
    pub display_name: String,
    /// A person's national ID, normalised; `null` for a company.
    pub cin: Option<String>,
    /// A person's first name; `null` for a company.
    pub first_name: Option<String>,
    /// A person's last name; `null` for a company.
    pub last_name: Option<String>,
    /// A company's registered name; `null` for a person.
    pub company_name: Option<String>,
    /// A company's ICE (15 digits); `null` for a person.
    pub ice: Option<String>,
    /// A company's RC number.
    pub rc: Option<String>,
    /// A company's IF.
    #[serde(rename = "if")]
    pub tax_id: Option<String>,
    /// A company's legal representative.
    pub legal_representative: Option<LegalRepresentativeBody>,
    /// `per_contract` or `per_account`.
    pub invoicing: String,
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
        let person = client.identity.person();
        let company = client.identity.company();
        ClientResponse {
            id: client.id.to_string(),
            kind: client.identity.kind().as_str().to_owned(),
            display_name: client.display_name(),
            cin: person.map(|p| p.cin.as_str().to_owned()),
            first_name: person.map(|p| p.first_name.clone()),
            last_name: person.map(|p| p.last_name.clone()),
            company_name: company.map(|c| c.company_name.clone()),
            ice: company.map(|c| c.ice.as_str().to_owned()),
            rc: company.and_then(|c| c.rc.clone()),
            tax_id: company.and_then(|c| c.tax_id.clone()),
            legal_representative: company
                .and_then(|c| c.legal_representative.as_ref())
                .map(LegalRepresentativeBody::from),
            invoicing: client.invoicing.as_str().to_owned(),
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
    /// At least 3 characters, matched case-insensitively inside "first last CIN company-name
    /// ICE phone e-mail"; a phone number in any usual form is matched in its E.164 form.
    #[param(pattern = "\\S[\\s\\S]+\\S")]
    pub q: Option<String>,
    /// Exactly this CIN (normalised first).
    #[param(value_type = Option<String>, pattern = "^\\s*[A-Za-z]{1,2}[0-9]{3,8}\\s*$")]
    pub cin: Option<Cin>,
    /// Exactly this ICE (15 digits).
    #[param(value_type = Option<String>, pattern = "^\\s*[0-9 ]{15,}\\s*$")]
    pub ice: Option<Ice>,
    /// Only persons or only companies: `person` or `company`.
    #[param(value_type = Option<String>, pattern = "^(person|company)$")]
    pub kind: Option<ClientKind>,
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
        let ice = params.parse_with("ice", Ice::parse)?;
        let kind = params.parse_with("kind", ClientKind::parse)?;
        let status = params.parse_with("status", ClientStatus::parse)?;
        let page = params.page(IdKind::Client)?;
        Ok(ClientListQuery {
            q,
            cin,
            ice,
            kind,
            status,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// One entry of a client's history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientAuditEntryResponse {
    /// `aud_…`.
    pub id: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who: `act_…`, or `landing:<CIN>` for a landing subscription.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token; absent
    /// otherwise.
    pub via_gateway: Option<String>,
    /// `created`, `updated` (`PUT`), `patched` (`PATCH`) or `status_changed` (only the
    /// status changed, by either).
    pub action: String,
    /// The changed members before the change, by their request name
    /// (`legal_representative.cin`…); `null` at creation.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// Every member at creation; else the changed members after the change (a member that
    /// became empty is absent).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

fn object(fields: Vec<(String, String)>) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect(),
    )
}

impl From<ClientAuditEntry> for ClientAuditEntryResponse {
    fn from(e: ClientAuditEntry) -> Self {
        let (actor_id, via_gateway) = recorded_parts(&e.actor_id);
        ClientAuditEntryResponse {
            id: e.id.into_string(),
            at: e.at,
            actor_id,
            via_gateway,
            action: e.action.as_str().to_owned(),
            before: e.before.map(object),
            after: e.after.map(object),
        }
    }
}

/// A client's history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientAudit {
    /// Entries, oldest first.
    pub items: Vec<ClientAuditEntryResponse>,
}
