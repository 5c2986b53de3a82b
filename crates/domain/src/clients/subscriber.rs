//! The subscriber entity: one service line owned by a client.

use time::OffsetDateTime;

use super::ServiceIdentifier;
use crate::service_type::ServiceType;

/// A service line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// `sub_…`.
    pub id: String,
    /// Owner.
    pub client_id: String,
    /// Service family of the line.
    pub service_type: ServiceType,
    /// Number or line id, normalised.
    pub service_identifier: ServiceIdentifier,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}
