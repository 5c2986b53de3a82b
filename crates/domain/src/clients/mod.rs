//! Clients and their service lines (P3).

mod audit;
mod client;
mod company;
mod filter;
mod identifiers;
pub mod input;
mod lines;
mod ports;
mod service;
#[cfg(test)]
mod service_tests;
mod subscriber;

pub use audit::{
    action_of, changed_fields, client_snapshot, ClientAuditAction, ClientAuditEntry, ClientChange,
};
pub use client::{Client, ClientStatus, Email};
pub use company::{ClientKind, Company, Ice, Identity, Invoicing, LegalRepresentative, Person};
pub use filter::{ClientFilter, SubscriberFilter, MIN_SEARCH_CHARS};
pub use identifiers::mask;
pub use identifiers::{Cin, Msisdn, ServiceIdentifier};
pub use input::{ClientFields, ClientInput, RepresentativeInput, SubscriberInput};
pub use lines::get_subscriber_in;
pub use ports::{ClientRepository, SubscriberRepository};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockClientRepository, MockSubscriberRepository};
pub use service::{get_client_in, ClientService};
pub use subscriber::Subscriber;
