//! Ports of the clients module.

use super::{Client, ClientAuditEntry, ClientFilter, Subscriber, SubscriberFilter};
use crate::error::Result;
use crate::page::PageRequest;
use crate::service_type::ServiceType;
use crate::typed_ids::{ClientId, SubscriberId};

/// Storage of clients.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait ClientRepository {
    /// The client with this id.
    fn find(&mut self, id: &ClientId) -> Result<Option<Client>>;
    /// The clients with these ids, in any order (unknown ids are left out).
    fn find_many(&mut self, ids: &[ClientId]) -> Result<Vec<Client>>;
    /// The client with this (normalised) CIN.
    fn find_by_cin(&mut self, cin: &str) -> Result<Option<Client>>;
    /// The client a legal identifier found in a bank line names: `identifier` is trimmed and
    /// upper-case. Matches a person's CIN or a company's ICE: the one place that matches a
    /// payer to a client, so every caller (the payment-file import) follows.
    fn find_by_identity(&mut self, identifier: &str) -> Result<Option<Client>>;
    /// Stores a new client. `Conflict::CinAlreadyExists` when another client has its CIN,
    /// `Conflict::IceAlreadyExists` when another has its ICE (adapters map the unique
    /// constraints, so two concurrent creates cannot both succeed).
    fn insert(&mut self, client: &Client) -> Result<()>;
    /// Saves every field of an existing client. `Error::NotFound(Client)` if absent;
    /// `Conflict::CinAlreadyExists` / `Conflict::IceAlreadyExists` when another client has
    /// the new CIN / ICE.
    fn update(&mut self, client: &Client) -> Result<()>;
    /// Appends an entry to a client's history. `Error::NotFound(Client)` when the client
    /// is gone.
    fn append_audit(&mut self, entry: &ClientAuditEntry) -> Result<()>;
    /// Every entry of the client's history, oldest first.
    fn audit_trail(&mut self, id: &ClientId) -> Result<Vec<ClientAuditEntry>>;
    /// Removes a client. `Error::NotFound(Client)` if absent; `Conflict::ClientDeleteBlocked`
    /// when stored rows still reference it (history written concurrently).
    fn delete(&mut self, id: &ClientId) -> Result<()>;
    /// Whether any contract, invoice, payment or collection case belongs to the client.
    fn has_history(&mut self, id: &ClientId) -> Result<bool>;
    /// At most `page.fetch()` clients matching `filter` whose id sorts after
    /// `page.after()`, ordered by id.
    fn list(&mut self, filter: &ClientFilter, page: &PageRequest) -> Result<Vec<Client>>;
}

/// Storage of subscribers (service lines).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait SubscriberRepository {
    /// The subscriber with this id.
    fn find(&mut self, id: &SubscriberId) -> Result<Option<Subscriber>>;
    /// The subscribers with these ids that exist, in no particular order.
    fn find_many(&mut self, ids: &[SubscriberId]) -> Result<Vec<Subscriber>>;
    /// Stores a new line. `Conflict::ServiceIdentifierExists` when a line of the same
    /// service type has its identifier; `Error::NotFound(Client)` when its client is gone.
    fn insert(&mut self, subscriber: &Subscriber) -> Result<()>;
    /// Saves every field of an existing line. `Error::NotFound(Subscriber)` if absent;
    /// `Conflict::ServiceIdentifierExists` when another line has the new identifier.
    fn update(&mut self, subscriber: &Subscriber) -> Result<()>;
    /// Removes every line of a client. `Conflict::ClientDeleteBlocked` when a contract
    /// references one of them.
    fn delete_for_client(&mut self, client_id: &ClientId) -> Result<()>;
    /// At most `page.fetch()` lines matching `filter` whose id sorts after
    /// `page.after()`, ordered by id.
    fn list(&mut self, filter: &SubscriberFilter, page: &PageRequest) -> Result<Vec<Subscriber>>;

    // --- Used by contract provisioning. ---

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
