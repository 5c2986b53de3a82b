//! Clients and their service lines (P3).

mod client;
mod identifiers;
mod ports;
mod subscriber;

pub use client::{Client, ClientStatus, Email};
pub use identifiers::mask;
pub use identifiers::{Cin, Msisdn, ServiceIdentifier};
pub use ports::{ClientRepository, SubscriberRepository};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockClientRepository, MockSubscriberRepository};
pub use subscriber::Subscriber;
