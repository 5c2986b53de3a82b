//! `clients` and `client_audit` rows.

use diesel::prelude::*;
use domain::clients::{
    Cin, Client, ClientAuditAction, ClientAuditEntry, ClientKind, ClientStatus, Company, Email,
    Ice, Identity, Invoicing, LegalRepresentative, Person,
};
use domain::error::Result;
use domain::typed_ids::{AuditEntryId, ClientId};
use time::{Date, OffsetDateTime};

use super::contract::{fields_json, json_fields};
use super::corrupt;
use crate::schema::{client_audit, clients};

/// One row of `clients`: a person fills `cin` and the names, a company `company_name`,
/// `ice` and the rest (a check constraint holds each kind to its columns).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
pub struct ClientRow {
    pub id: String,
    pub kind: String,
    pub cin: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    pub ice: Option<String>,
    pub rc: Option<String>,
    pub tax_id: Option<String>,
    pub representative_name: Option<String>,
    pub representative_cin: Option<String>,
    pub invoicing: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub birth_date: Option<Date>,
    pub status: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl ClientRow {
    /// The row of `client`.
    pub fn from_domain(client: &Client) -> Self {
        let person = client.identity.person();
        let company = client.identity.company();
        let representative = company.and_then(|c| c.legal_representative.as_ref());
        Self {
            id: client.id.to_string(),
            kind: client.identity.kind().as_str().to_owned(),
            cin: person.map(|p| p.cin.as_str().to_owned()),
            first_name: person.map(|p| p.first_name.clone()),
            last_name: person.map(|p| p.last_name.clone()),
            company_name: company.map(|c| c.company_name.clone()),
            ice: company.map(|c| c.ice.as_str().to_owned()),
            rc: company.and_then(|c| c.rc.clone()),
            tax_id: company.and_then(|c| c.tax_id.clone()),
            representative_name: representative.map(|r| r.name.clone()),
            representative_cin: representative.map(|r| r.cin.as_str().to_owned()),
            invoicing: client.invoicing.as_str().to_owned(),
            email: client.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: client.phone.clone(),
            address: client.address.clone(),
            city: client.city.clone(),
            birth_date: client.birth_date,
            status: client.status.as_str().to_owned(),
            created_at: client.created_at,
            updated_at: client.updated_at,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> Result<Client> {
        let bad = |m: String| corrupt("client", &self.id, m);
        let missing = |column: &str| bad(format!("{} without {column}", self.kind));
        let identity = match ClientKind::parse(&self.kind).map_err(bad)? {
            ClientKind::Person => Identity::Person(Person {
                cin: Cin::parse(self.cin.as_deref().ok_or_else(|| missing("cin"))?).map_err(bad)?,
                first_name: self
                    .first_name
                    .clone()
                    .ok_or_else(|| missing("first_name"))?,
                last_name: self.last_name.clone().ok_or_else(|| missing("last_name"))?,
            }),
            ClientKind::Company => Identity::Company(Company {
                company_name: self
                    .company_name
                    .clone()
                    .ok_or_else(|| missing("company_name"))?,
                ice: Ice::parse(self.ice.as_deref().ok_or_else(|| missing("ice"))?).map_err(bad)?,
                rc: self.rc.clone(),
                tax_id: self.tax_id.clone(),
                legal_representative: match (&self.representative_name, &self.representative_cin) {
                    (Some(name), Some(cin)) => Some(LegalRepresentative {
                        name: name.clone(),
                        cin: Cin::parse(cin).map_err(bad)?,
                    }),
                    _ => None,
                },
            }),
        };
        Ok(Client {
            identity,
            invoicing: Invoicing::parse(&self.invoicing).map_err(bad)?,
            email: self
                .email
                .as_deref()
                .map(Email::parse)
                .transpose()
                .map_err(bad)?,
            status: ClientStatus::parse(&self.status).map_err(bad)?,
            id: ClientId::from_stored(self.id),
            phone: self.phone,
            address: self.address,
            city: self.city,
            birth_date: self.birth_date,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// One row of `client_audit`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = client_audit)]
pub struct ClientAuditRow {
    pub id: String,
    pub client_id: String,
    pub at: OffsetDateTime,
    pub actor_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl ClientAuditRow {
    /// The row of `entry`.
    pub fn from_domain(entry: &ClientAuditEntry) -> Self {
        Self {
            id: entry.id.to_string(),
            client_id: entry.client_id.to_string(),
            at: entry.at,
            actor_id: entry.actor_id.clone(),
            action: entry.action.as_str().to_owned(),
            before: entry.before.as_ref().map(fields_json),
            after: entry.after.as_ref().map(fields_json),
        }
    }

    /// The domain entry; an action name this service never writes is a storage fault.
    pub fn into_domain(self) -> Result<ClientAuditEntry> {
        Ok(ClientAuditEntry {
            action: ClientAuditAction::from_stored(&self.action)
                .map_err(|m| corrupt("client_audit", &self.id, m))?,
            id: AuditEntryId::from_stored(self.id),
            client_id: ClientId::from_stored(self.client_id),
            at: self.at,
            actor_id: self.actor_id,
            before: self.before.map(json_fields),
            after: self.after.map(json_fields),
        })
    }
}
