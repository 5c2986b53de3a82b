//! Clients and their service lines (P3).

mod client;
mod filter;
mod identifiers;
pub mod input;
mod lines;
mod ports;
mod service;
#[cfg(test)]
mod service_tests;
mod subscriber;

pub use client::{Client, ClientStatus, Email};
pub use filter::{ClientFilter, SubscriberFilter, MIN_SEARCH_CHARS};
pub use identifiers::mask;
pub use identifiers::{Cin, Msisdn, ServiceIdentifier};
pub use input::{ClientFields, ClientInput, SubscriberInput};
pub use lines::get_subscriber_in;
pub use ports::{ClientRepository, SubscriberRepository};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockClientRepository, MockSubscriberRepository};
pub use service::{get_client_in, ClientService};
pub use subscriber::Subscriber;
