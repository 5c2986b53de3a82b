//! `subscribers` rows.

use diesel::prelude::*;
use domain::clients::{ServiceIdentifier, Subscriber};
use domain::error::Result;
use domain::service_type::ServiceType;
use domain::typed_ids::{ClientId, SubscriberId};
use time::OffsetDateTime;

use super::corrupt;
use crate::schema::subscribers;

/// One row of `subscribers`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = subscribers)]
pub struct SubscriberRow {
    pub id: String,
    pub client_id: String,
    pub service_type: String,
    pub service_identifier: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl SubscriberRow {
    /// The row of `subscriber`.
    pub fn from_domain(subscriber: &Subscriber) -> Self {
        Self {
            id: subscriber.id.to_string(),
            client_id: subscriber.client_id.to_string(),
            service_type: subscriber.service_type.as_str().to_owned(),
            service_identifier: subscriber.service_identifier.as_str().to_owned(),
            created_at: subscriber.created_at,
            updated_at: subscriber.updated_at,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> Result<Subscriber> {
        let bad = |m: String| corrupt("subscriber", &self.id, m);
        let service_type = ServiceType::parse(&self.service_type).map_err(bad)?;
        let bad = |m: String| corrupt("subscriber", &self.id, m);
        Ok(Subscriber {
            service_identifier: ServiceIdentifier::parse(service_type, &self.service_identifier)
                .map_err(bad)?,
            service_type,
            id: SubscriberId::from_stored(self.id),
            client_id: ClientId::from_stored(self.client_id),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}
