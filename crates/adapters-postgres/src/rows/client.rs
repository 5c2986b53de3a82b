//! `clients` rows.

use diesel::prelude::*;
use domain::clients::{Cin, Client, ClientStatus, Email};
use domain::error::Result;
use domain::typed_ids::ClientId;
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::clients;

/// One row of `clients`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
pub struct ClientRow {
    pub id: String,
    pub cin: String,
    pub first_name: String,
    pub last_name: String,
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
        Self {
            id: client.id.to_string(),
            cin: client.cin.as_str().to_owned(),
            first_name: client.first_name.clone(),
            last_name: client.last_name.clone(),
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
        Ok(Client {
            cin: Cin::parse(&self.cin).map_err(bad)?,
            email: self
                .email
                .as_deref()
                .map(Email::parse)
                .transpose()
                .map_err(bad)?,
            status: ClientStatus::parse(&self.status).map_err(bad)?,
            id: ClientId::from_stored(self.id),
            first_name: self.first_name,
            last_name: self.last_name,
            phone: self.phone,
            address: self.address,
            city: self.city,
            birth_date: self.birth_date,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
