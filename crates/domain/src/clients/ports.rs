//! Ports of the clients module.

use super::{Client, Subscriber};
use crate::error::Result;

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
}
