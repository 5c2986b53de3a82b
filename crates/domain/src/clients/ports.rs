//! Ports of the clients module.

use super::{Client, Subscriber};
use crate::error::Result;
use crate::service_type::ServiceType;

/// Storage of clients.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ClientRepository {
    /// The client with this id.
    fn find(&mut self, id: &str) -> Result<Option<Client>>;
    /// The client with this (normalised) CIN.
    fn find_by_cin(&mut self, cin: &str) -> Result<Option<Client>>;
}

/// Storage of subscribers (service lines).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SubscriberRepository {
    /// The subscriber with this id.
    fn find(&mut self, id: &str) -> Result<Option<Subscriber>>;

    // --- Used by contract provisioning (feat/contracts). ---

    /// The line with this (normalised) identifier for this service type, whoever owns it.
    fn find_by_line(
        &mut self,
        service_type: ServiceType,
        service_identifier: &str,
    ) -> Result<Option<Subscriber>>;
    /// Stores `subscriber` unless a line with its (service type, identifier) exists; in both
    /// cases returns the stored line (compare ids to tell). A concurrent insert of the same
    /// line is waited for, never reported as an error, so the caller's transaction stays usable.
    fn insert_or_get(&mut self, subscriber: &Subscriber) -> Result<Subscriber>;
}
