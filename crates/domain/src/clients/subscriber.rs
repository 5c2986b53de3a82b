//! The subscriber entity: one service line owned by a client.

use time::OffsetDateTime;

use super::ServiceIdentifier;
use crate::service_type::ServiceType;
use crate::typed_ids::{ClientId, SubscriberId};

/// A service line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// `sub_…`.
    pub id: SubscriberId,
    /// Owner.
    pub client_id: ClientId,
    /// Service family of the line.
    pub service_type: ServiceType,
    /// Number or line id, normalised.
    pub service_identifier: ServiceIdentifier,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}
